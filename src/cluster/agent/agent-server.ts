import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createAgentApiV1 } from './agent-api-v1';
import { frameworksOnAgent } from './frameworks-on-agent';
import type { FrameworkOnAgent } from './frameworks-on-agent';
import { createExecutorApi } from './executor-api';
import type { AgentExecutors } from './executors';
import type { LocalAgent } from './agent-node';
import type { ClusterCore } from '../master/cluster-core';
import type { ServerSecurity } from '../ha/http-auth';
import { LibprocessServer, jsonResult } from '../http/http-server';
import type { RouteHandler } from '../http/http-server';
import { nowSecs } from '../master/ids';
import { drainJson } from '../master/agent-view';
import { systemMetrics } from '../master/master-json';
import { AGENT_CAPABILITIES } from '../operator-api/master-writers';
import type { TaskState } from '../master/model';
import { readGroupUsage } from './proc-stats';
import { allocationSplit, reservedFullJson, reservedJson, unreservedResources } from '../master/reservations';
import { resourcesFullJson, resourcesJson, sumResources } from '../master/resources';
import { executorJson } from '../master/task-json';
import { versionJson } from '../version';

/** The agent's `--flags`. */
function agentFlags(core: ClusterCore, agent: LocalAgent): Record<string, string> {
  return {
    attributes: Object.entries(agent.attributes)
      .map(([k, v]) => `${k}:${v}`)
      .join(';'),
    authenticatee: 'crammd5',
    containerizers: 'mesos',
    default_role: '*',
    executor_registration_timeout: '1mins',
    executor_shutdown_grace_period: '5secs',
    gc_delay: '1weeks',
    hostname: agent.hostname,
    hostname_lookup: 'true',
    ip: agent.address,
    isolation: 'posix/cpu,posix/mem',
    launcher: 'posix',
    log_dir: agent.logDir,
    logbufsecs: '0',
    logging_level: 'INFO',
    master: `${core.host}:${core.masterPort}`,
    port: String(agent.port),
    recover: 'reconnect',
    resources: `cpus:${agent.resources.cpus};mem:${agent.resources.mem};disk:${agent.resources.disk}`,
    strict: 'true',
    switch_user: 'false',
    work_dir: agent.workDir,
  };
}

function frameworkOnAgentJson({ framework, executors, completedExecutors }: FrameworkOnAgent) {
  const out: Record<string, unknown> = {
    id: framework.id,
    name: framework.name,
    user: framework.user,
    failover_timeout: framework.failoverTimeout,
    checkpoint: framework.checkpoint,
    hostname: framework.hostname,
  };
  if (framework.principal !== undefined) out.principal = framework.principal;
  if (framework.singleRole) out.role = framework.roles[0] ?? '*';
  else out.roles = framework.roles;
  out.executors = executors.map(executorJson);
  out.completed_executors = completedExecutors.map(executorJson);
  return out;
}

/** `GET /slave(1)/state`. */
export function agentStateJson(core: ClusterCore, agent: LocalAgent): Record<string, unknown> {
  // A framework with no executor left on the agent is a completed framework there, as in Mesos.
  const { active, completed } = frameworksOnAgent(core, agent);
  const split = allocationSplit(core, agent);
  const { drain_config, estimated_drain_start_time_seconds } = drainJson(agent);
  return {
    ...versionJson(),
    start_time: agent.startTime,
    id: agent.id,
    pid: agent.pid,
    hostname: agent.hostname,
    capabilities: AGENT_CAPABILITIES,
    resources: resourcesJson(agent.resources),
    reserved_resources: reservedJson(agent),
    unreserved_resources: resourcesJson(unreservedResources(agent)),
    reserved_resources_full: reservedFullJson(agent),
    unreserved_resources_full: resourcesFullJson(unreservedResources(agent)),
    reserved_resources_allocated: Object.fromEntries(
      [...split.reserved].map(([role, r]) => [role, resourcesJson(r)]),
    ),
    unreserved_resources_allocated: resourcesJson(split.unreserved),
    ...(drain_config ? { drain_config, estimated_drain_start_time_seconds } : {}),
    ...(agent.resourceProviders.length > 0 && { resource_providers: agent.resourceProviders }),
    attributes: agent.attributes,
    master_hostname: core.host,
    log_dir: agent.logDir,
    flags: agentFlags(core, agent),
    frameworks: active.map(frameworkOnAgentJson),
    completed_frameworks: completed.map(frameworkOnAgentJson),
  };
}

/** Agent `GET /metrics/snapshot`. */
export function agentMetricsJson(core: ClusterCore, agent: LocalAgent): Record<string, number> {
  const live = core.liveTasks(agent.id);
  const count = (state: TaskState) => live.filter((t) => t.state === state).length;
  const done = (state: TaskState) => agent.counters.terminalTasks.get(state) ?? 0;
  const used = sumResources(live.map((t) => t.resources));
  const out: Record<string, number> = {};
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    out[`slave/${key}_total`] = agent.resources[key];
    out[`slave/${key}_used`] = used[key];
    out[`slave/${key}_percent`] = agent.resources[key] > 0 ? used[key] / agent.resources[key] : 0;
    out[`slave/${key}_revocable_total`] = 0;
    out[`slave/${key}_revocable_used`] = 0;
    out[`slave/${key}_revocable_percent`] = 0;
  }
  const frameworks = new Set(live.map((t) => t.frameworkId));
  return {
    ...out,
    'slave/tasks_staging': count('TASK_STAGING'),
    'slave/tasks_starting': count('TASK_STARTING'),
    'slave/tasks_running': count('TASK_RUNNING'),
    'slave/tasks_killing': count('TASK_KILLING'),
    'slave/tasks_finished': done('TASK_FINISHED'),
    'slave/tasks_killed': done('TASK_KILLED'),
    'slave/tasks_failed': done('TASK_FAILED'),
    'slave/tasks_lost': done('TASK_LOST'),
    'slave/tasks_gone': done('TASK_GONE'),
    'slave/tasks_gone_by_operator': done('TASK_GONE_BY_OPERATOR'),
    'slave/executors_registering': 0,
    'slave/executors_running': agent.executors.size,
    'slave/executors_terminating': 0,
    'slave/executors_terminated': agent.counters.executorsTerminated,
    'slave/executors_preempted': 0,
    'slave/frameworks_active': frameworks.size,
    'slave/registered': 1,
    'slave/uptime_secs': nowSecs() - agent.startTime,
    'slave/recovery_errors': 0,
    'slave/valid_status_updates': agent.counters.statusUpdates,
    'slave/invalid_status_updates': 0,
    'slave/valid_framework_messages': 0,
    'slave/invalid_framework_messages': 0,
    'slave/container_launch_errors': 0,
    'containerizer/mesos/container_destroy_errors': 0,
    ...systemMetrics(),
  };
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  try {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) total += await directorySize(path);
      else if (entry.isFile()) total += (await stat(path)).size;
    }
  } catch {
    // Sandbox removed concurrently.
  }
  return total;
}

/** `GET /monitor/statistics`: real usage of each running executor's process group. */
export async function monitorStatisticsJson(agent: LocalAgent): Promise<Record<string, unknown>[]> {
  const pidOf = (e: { pid?: number; task: { pid?: number } }) => e.pid ?? e.task.pid;
  const executors = [...agent.executors.values()].filter((e) => pidOf(e) !== undefined);
  const usage = await readGroupUsage(new Set(executors.map((e) => pidOf(e) ?? -1)));
  return Promise.all(
    executors.map(async (executor) => {
      const groupUsage = usage.get(pidOf(executor) ?? -1);
      const statistics: Record<string, number> = {
        timestamp: nowSecs(),
        cpus_limit: executor.resources.cpus,
        mem_limit_bytes: executor.resources.mem * 1024 * 1024,
        disk_limit_bytes: executor.resources.disk * 1024 * 1024,
        disk_used_bytes: await directorySize(executor.directory),
      };
      if (groupUsage) {
        statistics.cpus_user_time_secs = groupUsage.cpusUserTimeSecs;
        statistics.cpus_system_time_secs = groupUsage.cpusSystemTimeSecs;
        statistics.mem_rss_bytes = groupUsage.memRssBytes;
      }
      return {
        framework_id: executor.frameworkId,
        executor_id: executor.id,
        executor_name: executor.name,
        source: executor.source,
        statistics,
      };
    }),
  );
}

/** Builds an agent's HTTP server. */
export function createAgentServer(
  core: ClusterCore,
  agent: LocalAgent,
  security: ServerSecurity = {},
  /** Runs executors the framework names; without it the agent serves no executor API. */
  executors?: AgentExecutors,
): LibprocessServer {
  const routes = new Map<string, RouteHandler>();
  const state: RouteHandler = () => jsonResult(agentStateJson(core, agent));
  for (const path of ['/state', '/state.json', '/slave(1)/state', '/slave(1)/state.json'])
    routes.set(path, state);
  const statistics: RouteHandler = async () => jsonResult(await monitorStatisticsJson(agent));
  for (const path of [
    '/monitor/statistics',
    '/monitor/statistics.json',
    '/slave(1)/monitor/statistics',
    '/slave(1)/monitor/statistics.json',
  ]) {
    routes.set(path, statistics);
  }
  const flags: RouteHandler = () => jsonResult({ flags: agentFlags(core, agent) });
  routes.set('/flags', flags);
  routes.set('/slave(1)/flags', flags);
  routes.set('/slave(1)/health', () => ({ kind: 'text', status: 200, body: '' }));
  routes.set('/health', () => ({ kind: 'text', status: 200, body: '' }));
  routes.set('/version', () => jsonResult(versionJson()));
  routes.set('/metrics/snapshot', () => jsonResult(agentMetricsJson(core, agent)));
  for (const [path, handler] of agent.files.routes()) routes.set(path, handler);
  const v1 = createAgentApiV1(core, agent, {
    flags: () => agentFlags(core, agent),
    metrics: () => agentMetricsJson(core, agent),
  });
  routes.set('/api/v1', () => ({ kind: 'stream', write: (req, res) => v1(req, res) }));
  if (executors) {
    const executorApi = createExecutorApi(executors, agent);
    routes.set('/api/v1/executor', () => ({ kind: 'stream', write: (req, res) => executorApi(req, res) }));
  }
  return new LibprocessServer(agent.address, routes, security);
}
