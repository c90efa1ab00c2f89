/**
 * The v0 JSON of a simulated cluster, shaped exactly like the embedded cluster's (and Mesos's): the same task,
 * offer and executor writers, and master-level documents written as pieces so a massive state never has to
 * be one string. Everything here is O(tasks) at most, never O(agents × tasks).
 */
import { countTaskState, masterStateHeader, roleJson, zeroStateCounters } from '../../master/master-fields';
import {
  AGENT_CAPABILITIES,
  frameworkJson,
  frameworkSummaryJson,
  slaveJson,
} from '../../operator-api/master-writers';
import type { AgentView, FrameworkUsage } from '../../operator-api/master-writers';
import type { FrameworkRecord, OfferRecord, TaskRecord } from '../../master/model';
import { TERMINAL_STATES, commandExecutorOf } from '../../master/model';
import { listPieces, objectPieces, valuePieces } from '../../operator-api/json-pieces';
import type { Pieces } from '../../operator-api/json-pieces';
import { resourcesFullJson, resourcesJson } from '../../master/resources';
import type { ClusterResources } from '../../master/resources';
import { executorJson } from '../../master/task-json';
import { versionJson } from '../../version';
import type { SimAgent, SimMaster, SimTask } from './sim-master';
import { accumulateResources } from '../../../mesos/resources';

function zero(): ClusterResources {
  return { cpus: 0, gpus: 0, mem: 0, disk: 0, ports: [] };
}

/** Outstanding offers by framework id. */
export function offersByFramework(master: SimMaster): Map<string, OfferRecord[]> {
  const out = new Map<string, OfferRecord[]>();
  for (const offer of master.offers.values()) {
    const list = out.get(offer.frameworkId);
    if (list) list.push(offer);
    else out.set(offer.frameworkId, [offer]);
  }
  return out;
}

/** What the master knows of an agent, for `SlaveWriter`. */
export function simAgentView(agent: SimAgent): AgentView {
  return {
    agent,
    used: agent.used,
    offered: agent.offered,
    unreserved: agent.resources,
    reserved: {},
    reservedFull: {},
    active: !agent.deactivated,
  };
}

function simSlaveJson(agent: SimAgent): Record<string, unknown> {
  return slaveJson(simAgentView(agent));
}

function frameworkUsage(framework: FrameworkRecord, offers: readonly OfferRecord[]): FrameworkUsage {
  const used = zero();
  for (const task of framework.tasks.values()) accumulateResources(used, task.resources);
  const offered = zero();
  for (const offer of offers) accumulateResources(offered, offer.resources);
  return { used, offered };
}

function simFrameworkJson(
  framework: FrameworkRecord,
  offers: readonly OfferRecord[],
): Record<string, unknown> {
  return frameworkJson(framework, frameworkUsage(framework, offers), offers);
}

/** `GET /master/state`, as pieces (a massive cluster's state is over 100 MB). */
export function simMasterStatePieces(master: SimMaster): Pieces {
  const offers = offersByFramework(master);
  const active = master.agents.filter((a) => !a.deactivated).length;
  const agents = { activated: active, deactivated: master.agents.length - active, unreachable: 0 };
  const header = masterStateHeader(master, agents, master.flags());
  return objectPieces([
    ...Object.entries(header).map(([key, value]) => [key, valuePieces(value)] as const),
    ['slaves', listPieces(master.agents, simSlaveJson)],
    ['recovered_slaves', valuePieces([])],
    [
      'frameworks',
      listPieces(master.frameworks.values(), (f) => simFrameworkJson(f, offers.get(f.id) ?? [])),
    ],
    ['completed_frameworks', listPieces(master.completedFrameworks, (f) => simFrameworkJson(f, []))],
    ['orphan_tasks', valuePieces([])],
    ['unregistered_frameworks', valuePieces([])],
  ]);
}

/** `GET /master/state-summary`: agents and frameworks with per-state task counts, no task lists. */
export function simStateSummaryJson(master: SimMaster): Record<string, unknown> {
  const byAgent = new Map<string, { counts: Record<string, number>; frameworks: Set<string> }>();
  const byFramework = new Map<string, { counts: Record<string, number>; agents: Set<string> }>();
  for (const framework of master.frameworks.values()) {
    const entry = { counts: zeroStateCounters(), agents: new Set<string>() };
    byFramework.set(framework.id, entry);
    const count = (task: TaskRecord, live: boolean) => {
      countTaskState(entry.counts, task);
      let agent = byAgent.get(task.agentId);
      if (!agent) byAgent.set(task.agentId, (agent = { counts: zeroStateCounters(), frameworks: new Set() }));
      countTaskState(agent.counts, task);
      if (live) {
        entry.agents.add(task.agentId);
        agent.frameworks.add(task.frameworkId);
      }
    };
    for (const task of framework.tasks.values()) count(task, true);
    for (const task of framework.completedTasks) count(task, false);
  }
  const offers = offersByFramework(master);
  return {
    hostname: master.host,
    cluster: master.clusterName,
    slaves: master.agents.map((agent) => {
      const entry = byAgent.get(agent.id);
      return {
        ...simSlaveJson(agent),
        ...(entry?.counts ?? zeroStateCounters()),
        framework_ids: [...(entry?.frameworks ?? [])],
      };
    }),
    frameworks: [...master.frameworks.values()].map((framework) => {
      const entry = byFramework.get(framework.id);
      return {
        ...frameworkSummaryJson(framework, frameworkUsage(framework, offers.get(framework.id) ?? [])),
        ...(entry?.counts ?? zeroStateCounters()),
        slave_ids: [...(entry?.agents ?? [])],
      };
    }),
  };
}

/** `GET /master/frameworks?framework_id=`. */
export function simFrameworksPieces(master: SimMaster, frameworkId: string | null): Pieces {
  const offers = offersByFramework(master);
  const keep = (f: FrameworkRecord) => frameworkId === null || f.id === frameworkId;
  return objectPieces([
    [
      'frameworks',
      listPieces([...master.frameworks.values()].filter(keep), (f) =>
        simFrameworkJson(f, offers.get(f.id) ?? []),
      ),
    ],
    [
      'completed_frameworks',
      listPieces(master.completedFrameworks.filter(keep), (f) => simFrameworkJson(f, [])),
    ],
    ['unregistered_frameworks', valuePieces([])],
  ]);
}

/** `GET /master/roles`. */
export function simRolesJson(master: SimMaster): Record<string, unknown> {
  const roles = new Map<
    string,
    { allocated: ClusterResources; offered: ClusterResources; frameworks: string[] }
  >();
  const role = (name: string) => {
    let entry = roles.get(name);
    if (!entry) roles.set(name, (entry = { allocated: zero(), offered: zero(), frameworks: [] }));
    return entry;
  };
  for (const framework of master.frameworks.values()) {
    for (const name of framework.roles) role(name).frameworks.push(framework.id);
    for (const task of framework.tasks.values())
      accumulateResources(role(task.role).allocated, task.resources);
  }
  for (const offer of master.offers.values()) accumulateResources(role(offer.role).offered, offer.resources);
  return {
    roles: [...roles]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, entry]) =>
        roleJson({
          name,
          weight: 1.0,
          guarantee: {},
          limit: {},
          consumed: entry.allocated,
          allocated: entry.allocated,
          offered: entry.offered,
          reserved: zero(),
          frameworks: entry.frameworks,
        }),
      ),
  };
}

/** The agent's `--flags`. */
export function simAgentFlags(master: SimMaster, agent: SimAgent): Record<string, string> {
  return {
    attributes: Object.entries(agent.attributes)
      .map(([k, v]) => `${k}:${v}`)
      .join(';'),
    containerizers: 'mesos',
    default_role: '*',
    hostname: agent.hostname,
    ip: master.host,
    isolation: 'posix/cpu,posix/mem',
    master: `${master.host}:${master.masterPort}`,
    port: String(agent.port),
    resources: `cpus:${agent.resources.cpus};mem:${agent.resources.mem};disk:${agent.resources.disk}`,
    work_dir: agent.workDir,
  };
}

/** `GET /slave(N)/state` of a simulated agent. */
export function simAgentStateJson(master: SimMaster, agent: SimAgent): Record<string, unknown> {
  const live = new Map<string, SimTask[]>();
  const done = new Map<string, SimTask[]>();
  for (const task of agent.tasks) live.set(task.frameworkId, [...(live.get(task.frameworkId) ?? []), task]);
  for (const task of agent.completed)
    done.set(task.frameworkId, [...(done.get(task.frameworkId) ?? []), task]);
  const active: Record<string, unknown>[] = [];
  const completed: Record<string, unknown>[] = [];
  for (const frameworkId of new Set([...live.keys(), ...done.keys()])) {
    const framework =
      master.frameworks.get(frameworkId) ?? master.completedFrameworks.find((f) => f.id === frameworkId);
    if (!framework) continue;
    const json: Record<string, unknown> = {
      id: framework.id,
      name: framework.name,
      user: framework.user,
      failover_timeout: framework.failoverTimeout,
      checkpoint: framework.checkpoint,
      hostname: framework.hostname,
    };
    if (framework.principal !== undefined) json.principal = framework.principal;
    json.roles = framework.roles;
    json.executors = (live.get(frameworkId) ?? []).map((task) => executorJson(commandExecutorOf(task)));
    json.completed_executors = (done.get(frameworkId) ?? []).map((task) =>
      executorJson(commandExecutorOf(task)),
    );
    (framework.active ? active : completed).push(json);
  }
  return {
    ...versionJson(),
    start_time: agent.registeredTime,
    id: agent.id,
    pid: agent.pid,
    hostname: agent.hostname,
    capabilities: AGENT_CAPABILITIES,
    resources: resourcesJson(agent.resources),
    reserved_resources: {},
    unreserved_resources: resourcesJson(agent.resources),
    reserved_resources_full: {},
    unreserved_resources_full: resourcesFullJson(agent.resources),
    reserved_resources_allocated: {},
    unreserved_resources_allocated: resourcesJson(agent.used),
    attributes: agent.attributes,
    master_hostname: master.host,
    flags: simAgentFlags(master, agent),
    frameworks: active,
    completed_frameworks: completed,
  };
}

/** `GET /slave(N)/monitor/statistics`: plausible usage, steady for a given task. */
export function simMonitorStatisticsJson(agent: SimAgent, now: number): Record<string, unknown>[] {
  return [...agent.tasks]
    .filter((task) => !TERMINAL_STATES.has(task.state))
    .map((task) => {
      const age = Math.max(0, now - task.launchedAt);
      // A task uses a steady share of its CPU allocation, derived from its id so it does not jump around.
      const share = 0.2 + (task.id.charCodeAt(task.id.length - 1) % 7) / 10;
      return {
        framework_id: task.frameworkId,
        executor_id: task.executorId,
        executor_name: commandExecutorOf(task).name,
        source: task.id,
        statistics: {
          timestamp: now,
          cpus_limit: task.resources.cpus,
          cpus_user_time_secs: Math.round(age * task.resources.cpus * share * 0.8 * 100) / 100,
          cpus_system_time_secs: Math.round(age * task.resources.cpus * share * 0.2 * 100) / 100,
          mem_limit_bytes: task.resources.mem * 1024 * 1024,
          mem_rss_bytes: Math.round(task.resources.mem * 1024 * 1024 * (0.3 + share / 2)),
          disk_limit_bytes: task.resources.disk * 1024 * 1024,
          disk_used_bytes: 4096 * (1 + Math.floor(age / 60)),
        },
      };
    });
}

/** Agent `GET /metrics/snapshot` of one simulated agent. */
export function simAgentMetricsJson(agent: SimAgent, now: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    out[`slave/${key}_total`] = agent.resources[key];
    out[`slave/${key}_used`] = agent.used[key];
    out[`slave/${key}_percent`] = agent.resources[key] > 0 ? agent.used[key] / agent.resources[key] : 0;
  }
  const live = (state: string) => [...agent.tasks].filter((t) => t.state === state).length;
  const done = (state: string) => agent.counters.terminalTasks.get(state) ?? 0;
  return {
    ...out,
    'slave/tasks_staging': live('TASK_STAGING'),
    'slave/tasks_starting': live('TASK_STARTING'),
    'slave/tasks_running': live('TASK_RUNNING'),
    'slave/tasks_killing': live('TASK_KILLING'),
    'slave/tasks_finished': done('TASK_FINISHED'),
    'slave/tasks_killed': done('TASK_KILLED'),
    'slave/tasks_failed': done('TASK_FAILED'),
    'slave/tasks_lost': done('TASK_LOST'),
    'slave/tasks_gone': done('TASK_GONE'),
    'slave/executors_running': agent.tasks.size,
    'slave/executors_terminated': agent.completed.length,
    'slave/frameworks_active': new Set([...agent.tasks].map((t) => t.frameworkId)).size,
    'slave/registered': 1,
    'slave/uptime_secs': now - agent.registeredTime,
    'slave/valid_status_updates': agent.counters.statusUpdates,
  };
}
