/**
 * `POST /api/v1` of an agent (agent/agent.proto, src/slave/http.cpp): the read calls GET_STATE,
 * GET_CONTAINERS, GET_FRAMEWORKS, GET_EXECUTORS and GET_TASKS, plus GET_HEALTH, GET_VERSION, GET_FLAGS,
 * GET_METRICS and GET_AGENT. Like the agent's `jsonify` writers, every list of these answers is written,
 * empty or not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalAgent } from './agent-node';
import type { ClusterCore } from '../master/cluster-core';
import { TERMINAL_STATES } from '../master/model';
import type { ExecutorRecord, TaskRecord } from '../master/model';
import { operatorMasterOf } from '../operator-api/core-master';
import { mediaTypes, readCallBody, refusedNonJsonCall, sendText } from '../operator-api/operator-endpoint';
import { agentV1, frameworkInfoV1, resourcesV1, taskV1 } from '../operator-api/v1-json';
import { readGroupUsage } from './proc-stats';
import { versionJson } from '../version';
import { nowSecs } from '../master/ids';
import { frameworksOnAgent } from './frameworks-on-agent';

type Json = Record<string, unknown>;

const MAX_CALL_BYTES = 1024 * 1024;

/** Every `agent::Call` type of Mesos 1.11; a name not here is dropped by the JSON parser, as unset. */
const CALL_TYPES = new Set(
  (
    'GET_HEALTH GET_FLAGS GET_VERSION GET_METRICS GET_LOGGING_LEVEL SET_LOGGING_LEVEL LIST_FILES READ_FILE ' +
    'GET_STATE GET_CONTAINERS GET_FRAMEWORKS GET_EXECUTORS GET_OPERATIONS GET_TASKS GET_AGENT ' +
    'GET_RESOURCE_PROVIDERS LAUNCH_NESTED_CONTAINER WAIT_NESTED_CONTAINER KILL_NESTED_CONTAINER ' +
    'REMOVE_NESTED_CONTAINER LAUNCH_NESTED_CONTAINER_SESSION ATTACH_CONTAINER_INPUT ATTACH_CONTAINER_OUTPUT ' +
    'LAUNCH_CONTAINER WAIT_CONTAINER KILL_CONTAINER REMOVE_CONTAINER ADD_RESOURCE_PROVIDER_CONFIG ' +
    'UPDATE_RESOURCE_PROVIDER_CONFIG REMOVE_RESOURCE_PROVIDER_CONFIG MARK_RESOURCE_PROVIDER_GONE PRUNE_IMAGES'
  ).split(' '),
);

/** The ExecutorInfo of an executor; a command executor's is the one the agent makes up for its task. */
function executorInfoV1(executor: ExecutorRecord): Json {
  if (executor.info) return executor.info;
  return {
    executor_id: { value: executor.id },
    framework_id: { value: executor.frameworkId },
    command: { value: 'mesos-executor', shell: false, arguments: ['mesos-executor'] },
    resources: resourcesV1(executor.resources, { allocatedTo: executor.role }),
    name: executor.name,
    source: executor.source,
  };
}

function tasksOf(executor: ExecutorRecord): TaskRecord[] {
  return executor.tasks ?? [executor.task];
}

function getTasks(agent: LocalAgent): Json {
  const queued: Json[] = [];
  const launched: Json[] = [];
  const terminated: Json[] = [];
  const completed: Json[] = [];
  for (const executor of agent.executors.values()) {
    for (const task of tasksOf(executor)) {
      if (TERMINAL_STATES.has(task.state)) terminated.push(taskV1(task));
      else if (executor.queuedTaskIds?.has(task.id)) queued.push(taskV1(task));
      else launched.push(taskV1(task));
    }
  }
  for (const executor of agent.completedExecutors) {
    for (const task of tasksOf(executor)) completed.push(taskV1(task));
  }
  return {
    pending_tasks: [],
    queued_tasks: queued,
    launched_tasks: launched,
    terminated_tasks: terminated,
    completed_tasks: completed,
  };
}

function getExecutors(core: ClusterCore, agent: LocalAgent): Json {
  const { active, completed } = frameworksOnAgent(core, agent);
  const frameworks = [...active, ...completed];
  return {
    executors: frameworks.flatMap((f) => f.executors.map((e) => ({ executor_info: executorInfoV1(e) }))),
    completed_executors: frameworks.flatMap((f) =>
      f.completedExecutors.map((e) => ({ executor_info: executorInfoV1(e) })),
    ),
  };
}

function getFrameworks(core: ClusterCore, agent: LocalAgent): Json {
  const { active, completed } = frameworksOnAgent(core, agent);
  return {
    frameworks: active.map((f) => ({ framework_info: frameworkInfoV1(f.framework) })),
    completed_frameworks: completed.map((f) => ({ framework_info: frameworkInfoV1(f.framework) })),
  };
}

/** The pid an executor's container runs as: its own process, or its (first) task's. */
function executorPid(executor: ExecutorRecord): number | undefined {
  return executor.pid ?? (executor.type === undefined ? executor.task.pid : undefined);
}

async function getContainers(agent: LocalAgent): Promise<Json> {
  const executors = [...agent.executors.values()];
  const pids = new Set(executors.map(executorPid).filter((pid): pid is number => pid !== undefined));
  const usage = await readGroupUsage(pids);
  return {
    containers: executors.map((executor) => {
      const pid = executorPid(executor);
      const used = pid === undefined ? undefined : usage.get(pid);
      return {
        framework_id: { value: executor.frameworkId },
        executor_id: { value: executor.id },
        executor_name: executor.name,
        container_id: { value: executor.containerId },
        container_status: {
          container_id: { value: executor.containerId },
          ...(pid !== undefined && { executor_pid: pid }),
          network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: agent.address }] }],
        },
        resource_statistics: {
          timestamp: nowSecs(),
          cpus_limit: executor.resources.cpus,
          mem_limit_bytes: executor.resources.mem * 1024 * 1024,
          ...(used && {
            cpus_user_time_secs: used.cpusUserTimeSecs,
            cpus_system_time_secs: used.cpusSystemTimeSecs,
            mem_rss_bytes: used.memRssBytes,
          }),
        },
      };
    }),
  };
}

/** What an agent's `/api/v1` reads besides its own state: flags and metrics as the v0 endpoints serve them. */
export interface AgentApiSources {
  flags(): Record<string, string>;
  metrics(): Record<string, number>;
}

/** Builds the `/api/v1` handler of one agent. */
export function createAgentApiV1(
  core: ClusterCore,
  agent: LocalAgent,
  sources: AgentApiSources,
): (req: IncomingMessage, res: ServerResponse) => void {
  const calls: Record<string, () => Json | Promise<Json>> = {
    GET_HEALTH: () => ({ healthy: true }),
    GET_VERSION: () => ({ version_info: versionJson() }),
    GET_FLAGS: () => ({ flags: Object.entries(sources.flags()).map(([name, value]) => ({ name, value })) }),
    GET_METRICS: () => ({
      metrics: Object.entries(sources.metrics()).map(([name, value]) => ({ name, value })),
    }),
    GET_AGENT: () => ({ agent_info: agentV1(operatorMasterOf(core), agent).agent_info }),
    GET_STATE: () => ({
      get_tasks: getTasks(agent),
      get_executors: getExecutors(core, agent),
      get_frameworks: getFrameworks(core, agent),
    }),
    GET_CONTAINERS: () => getContainers(agent),
    GET_FRAMEWORKS: () => getFrameworks(core, agent),
    GET_EXECUTORS: () => getExecutors(core, agent),
    GET_TASKS: () => getTasks(agent),
  };

  return (req, res) => {
    if (req.method !== 'POST') {
      req.resume();
      return sendText(
        res,
        405,
        `405 Method Not Allowed. Expecting one of { 'POST' }, but received '${req.method}'.`,
        { Allow: 'POST' },
      );
    }
    if (refusedNonJsonCall(req, res, 'This local agent speaks the v1 API in JSON only')) return;
    const accept = mediaTypes(req.headers.accept);
    if (
      accept.length > 0 &&
      !accept.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*')
    ) {
      req.resume();
      return sendText(res, 406, "Expecting 'Accept' to allow 'application/json'");
    }
    void readCallBody(req, MAX_CALL_BYTES).then((body) => {
      void (async () => {
        if (!body) return sendText(res, 413, 'Call too large');
        let call: unknown;
        try {
          call = JSON.parse(body.toString('utf8'));
        } catch (error) {
          return sendText(res, 400, `Failed to parse body into JSON: ${(error as Error).message}`);
        }
        const type =
          typeof call === 'object' && call !== null ? (call as { type?: unknown }).type : undefined;
        if (typeof type !== 'string' || !CALL_TYPES.has(type)) {
          return sendText(res, 400, "Failed to validate agent::Call: Expecting 'type' to be present");
        }
        const handler = calls[type];
        if (!handler) return sendText(res, 501, `The local agent does not implement ${type}`);
        try {
          const body = JSON.stringify({ type, [type.toLowerCase()]: await handler() });
          res.writeHead(200, {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          });
          res.end(body);
        } catch (error) {
          sendText(res, 500, `${(error as Error).message}`);
        }
      })();
    });
  };
}
