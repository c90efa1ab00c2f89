import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { ClusterCore } from './cluster-core';
import type { LocalAgent } from './agent-node';
import type { FrameworkRecord, TaskRecord, TaskState } from './model';
import { TERMINAL_STATES } from './model';
import {
  allocationSplit,
  reservedByRole,
  reservedFullJson,
  reservedJson,
  unreservedResources,
} from './reservations';
import {
  addResources,
  emptyResources,
  resourcesFullJson,
  resourcesJson,
  scalarMapJson,
  subtractResources,
  sumResources,
} from './resources';
import type { ClusterResources } from './resources';
import { offerJson, taskJson } from './task-json';
import { MESOS_VERSION, versionJson } from './version';
import { nowSecs } from './ids';

/** Capabilities a 1.11 master advertises. */
const MASTER_CAPABILITIES = ['AGENT_UPDATE', 'AGENT_DRAINING', 'QUOTA_V2'];
/** Capabilities a 1.11 agent advertises. */
export const AGENT_CAPABILITIES = [
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
  'RESOURCE_PROVIDER',
  'RESIZE_VOLUME',
  'AGENT_OPERATION_FEEDBACK',
  'AGENT_DRAINING',
  'TASK_RESOURCE_LIMITS',
];

const COUNTED_STATES: TaskState[] = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
];

/** The master's `--flags`, all strings like Mesos renders them. */
export function masterFlags(core: ClusterCore): Record<string, string> {
  return {
    agent_ping_timeout: '15secs',
    agent_reregister_timeout: '10mins',
    allocation_interval: '1secs',
    allocator: 'hierarchical',
    authenticate_agents: 'false',
    authenticate_frameworks: 'false',
    authenticate_http_frameworks: 'false',
    authenticate_http_readonly: 'false',
    authenticate_http_readwrite: 'false',
    authenticators: 'crammd5',
    authorizers: 'local',
    cluster: core.clusterName,
    framework_sorter: 'drf',
    help: 'false',
    hostname_lookup: 'true',
    http_authenticators: 'basic',
    initialize_driver_logging: 'true',
    ip: core.host,
    log_auto_initialize: 'true',
    log_dir: core.logDir,
    logbufsecs: '0',
    logging_level: 'INFO',
    max_agent_ping_timeouts: '5',
    max_completed_frameworks: '50',
    max_completed_tasks_per_framework: '1000',
    max_unreachable_tasks_per_framework: '1000',
    port: String(core.masterPort),
    quiet: 'false',
    recovery_agent_removal_limit: '100%',
    registry: 'in_memory',
    registry_fetch_timeout: '1mins',
    registry_store_timeout: '20secs',
    registry_strict: 'false',
    root_submissions: 'true',
    user_sorter: 'drf',
    version: 'false',
    work_dir: core.workDir,
    zk_session_timeout: '10secs',
  };
}

function frameworkResources(core: ClusterCore, framework: FrameworkRecord) {
  const used = sumResources([...framework.tasks.values()].map((t) => t.resources));
  const offered = sumResources(
    [...core.offers.values()].filter((o) => o.frameworkId === framework.id).map((o) => o.resources),
  );
  return { used, offered };
}

/** The `Summary` part of a framework (what `/master/state-summary` shows). */
function frameworkSummaryJson(core: ClusterCore, framework: FrameworkRecord): Record<string, unknown> {
  const { used, offered } = frameworkResources(core, framework);
  return {
    id: framework.id,
    name: framework.name,
    used_resources: resourcesJson(used),
    offered_resources: resourcesJson(offered),
    capabilities: framework.capabilities,
    hostname: framework.hostname,
    webui_url: framework.webuiUrl,
    active: framework.active,
    connected: framework.active,
    recovered: false,
  };
}

/** The full framework shape of `/master/state` and `/master/frameworks`. */
export function frameworkJson(core: ClusterCore, framework: FrameworkRecord): Record<string, unknown> {
  const { used, offered } = frameworkResources(core, framework);
  const out: Record<string, unknown> = {
    ...frameworkSummaryJson(core, framework),
    user: framework.user,
    failover_timeout: framework.failoverTimeout,
    checkpoint: framework.checkpoint,
    registered_time: framework.registeredTime,
    unregistered_time: framework.unregisteredTime,
  };
  if (framework.principal !== undefined) out.principal = framework.principal;
  out.resources = resourcesJson(addResources(used, offered));
  if (framework.singleRole) out.role = framework.roles[0] ?? '*';
  else out.roles = framework.roles;
  out.tasks = [...framework.tasks.values()].map(taskJson);
  out.unreachable_tasks = framework.unreachableTasks.map(taskJson);
  out.completed_tasks = framework.completedTasks.map(taskJson);
  out.offers = [...core.offers.values()].filter((o) => o.frameworkId === framework.id).map(offerJson);
  // Only custom executors are listed here; command executors are implicit.
  out.executors = [];
  return out;
}

/** `drain_info` of a draining agent (master) and the matching `drain_config` (agent). */
export function drainJson(agent: LocalAgent): Record<string, unknown> {
  if (!agent.drain) return {};
  const config: Record<string, unknown> = { mark_gone: agent.drain.markGone };
  if (agent.drain.maxGracePeriodSecs !== undefined) {
    config.max_grace_period = { nanoseconds: agent.drain.maxGracePeriodSecs * 1e9 };
  }
  return {
    drain_info: { state: agent.drain.state, config },
    drain_config: config,
    estimated_drain_start_time_seconds: Math.floor(agent.drain.startTime),
  };
}

/** `SlaveWriter`: one agent in `/master/state` and friends. */
export function slaveJson(core: ClusterCore, agent: LocalAgent): Record<string, unknown> {
  const { drain_info, estimated_drain_start_time_seconds } = drainJson(agent);
  return {
    id: agent.id,
    hostname: agent.hostname,
    port: agent.port,
    attributes: agent.attributes,
    pid: agent.pid,
    registered_time: agent.registeredTime,
    resources: resourcesJson(agent.resources),
    used_resources: resourcesJson(core.usedOn(agent.id)),
    offered_resources: resourcesJson(core.offeredOn(agent.id)),
    reserved_resources: reservedJson(agent),
    unreserved_resources: resourcesJson(unreservedResources(agent)),
    active: true,
    deactivated: agent.deactivated,
    version: MESOS_VERSION,
    capabilities: AGENT_CAPABILITIES,
    ...(drain_info ? { drain_info, estimated_drain_start_time_seconds } : {}),
  };
}

/** `/master/slaves`: the slave fields plus the protobuf `*_full` forms. */
export function slavesJson(core: ClusterCore, agentId: string | null): Record<string, unknown> {
  return {
    slaves: core.agents
      .filter((a) => agentId === null || a.id === agentId)
      .map((agent) => ({
        ...slaveJson(core, agent),
        reserved_resources_full: reservedFullJson(agent),
        unreserved_resources_full: resourcesFullJson(unreservedResources(agent)),
        used_resources_full: resourcesFullJson(core.usedOn(agent.id)),
        offered_resources_full: resourcesFullJson(core.offeredOn(agent.id)),
      })),
    recovered_slaves: [],
  };
}

/** `GET /master/state`. */
export function masterStateJson(core: ClusterCore): Record<string, unknown> {
  return {
    ...versionJson(),
    start_time: core.startTime,
    elected_time: core.electedTime,
    id: core.masterId,
    pid: core.pid,
    hostname: core.host,
    capabilities: MASTER_CAPABILITIES,
    activated_slaves: core.agents.filter((a) => !a.deactivated).length,
    deactivated_slaves: core.agents.filter((a) => a.deactivated).length,
    unreachable_slaves: core.unreachableAgents.length,
    leader: core.pid,
    leader_info: leaderInfoJson(core),
    cluster: core.clusterName,
    log_dir: core.logDir,
    flags: masterFlags(core),
    slaves: core.agents.map((agent) => slaveJson(core, agent)),
    recovered_slaves: [],
    frameworks: [...core.frameworks.values()].map((f) => frameworkJson(core, f)),
    completed_frameworks: core.completedFrameworks.map((f) => frameworkJson(core, f)),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

/** `json(MasterInfo)` as `leader_info`. */
export function leaderInfoJson(core: ClusterCore): Record<string, unknown> {
  return { id: core.masterId, pid: core.pid, port: core.masterPort, hostname: core.host };
}

function stateCounters(tasks: TaskRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const state of COUNTED_STATES) out[state] = 0;
  for (const task of tasks) if (task.state in out) out[task.state] = (out[task.state] ?? 0) + 1;
  return out;
}

function allTasks(framework: FrameworkRecord): TaskRecord[] {
  return [...framework.tasks.values(), ...framework.unreachableTasks, ...framework.completedTasks];
}

/** `GET /master/state-summary`. */
export function stateSummaryJson(core: ClusterCore): Record<string, unknown> {
  const frameworks = [...core.frameworks.values()];
  return {
    hostname: core.host,
    cluster: core.clusterName,
    slaves: core.agents.map((agent) => {
      const tasks = frameworks.flatMap(allTasks).filter((t) => t.agentId === agent.id);
      return {
        ...slaveJson(core, agent),
        ...stateCounters(tasks),
        framework_ids: [
          ...new Set(tasks.filter((t) => !TERMINAL_STATES.has(t.state)).map((t) => t.frameworkId)),
        ],
      };
    }),
    frameworks: frameworks.map((framework) => {
      const tasks = allTasks(framework);
      return {
        ...frameworkSummaryJson(core, framework),
        ...stateCounters(tasks),
        slave_ids: [...new Set([...framework.tasks.values()].map((t) => t.agentId))],
      };
    }),
  };
}

/** `GET /master/frameworks?framework_id=`. */
export function frameworksJson(core: ClusterCore, frameworkId: string | null): Record<string, unknown> {
  const keep = (f: FrameworkRecord) => frameworkId === null || f.id === frameworkId;
  return {
    frameworks: [...core.frameworks.values()].filter(keep).map((f) => frameworkJson(core, f)),
    completed_frameworks: core.completedFrameworks.filter(keep).map((f) => frameworkJson(core, f)),
    unregistered_frameworks: [],
  };
}

/** Query of `/master/tasks`, already validated. */
export interface TasksQuery {
  limit: number;
  offset: number;
  order: 'asc' | 'desc';
  frameworkId: string | null;
  taskId: string | null;
}

/** `GET /master/tasks`: active, unreachable and completed tasks, ordered by first status time. */
export function tasksJson(core: ClusterCore, query: TasksQuery): Record<string, unknown> {
  const frameworks = [...core.frameworks.values(), ...core.completedFrameworks].filter(
    (f) => query.frameworkId === null || f.id === query.frameworkId,
  );
  const tasks = frameworks.flatMap(allTasks).filter((t) => query.taskId === null || t.id === query.taskId);
  const key = (t: TaskRecord) => t.statuses[0]?.timestamp ?? t.launchedAt;
  tasks.sort((a, b) => (query.order === 'asc' ? key(a) - key(b) : key(b) - key(a)));
  return { tasks: tasks.slice(query.offset, query.offset + query.limit).map(taskJson) };
}

/** `GET /master/roles`. */
export function rolesJson(core: ClusterCore): Record<string, unknown> {
  const reserved = reservedByRole(core.agents);
  const names = new Set<string>([...core.quotas.keys(), ...core.weights.keys(), ...reserved.keys()]);
  for (const f of core.frameworks.values()) for (const role of f.roles) names.add(role);
  const live = core.liveTasks();
  const splits = core.agents.map((agent) => allocationSplit(core, agent));
  return {
    roles: [...names].sort().map((name) => {
      const allocated = sumResources(live.filter((t) => t.role === name).map((t) => t.resources));
      const offered = sumResources(
        [...core.offers.values()].filter((o) => o.role === name).map((o) => o.resources),
      );
      const quota = core.quotas.get(name);
      const roleReserved = reserved.get(name) ?? emptyResources();
      // Quota consumption (Mesos 1.9+): reservations plus unreserved allocation.
      const reservedAllocated = sumResources(
        splits.map((split) => split.reserved.get(name) ?? emptyResources()),
      );
      const consumed = addResources(roleReserved, subtractResources(allocated, reservedAllocated));
      return {
        name,
        weight: core.weights.get(name) ?? 1.0,
        quota: {
          role: name,
          guarantee: quota?.guarantee ?? {},
          limit: quota?.limit ?? {},
          consumed: scalarMapJson(consumed),
        },
        resources: resourcesJson(addResources(allocated, offered)),
        allocated: scalarMapJson(allocated),
        offered: scalarMapJson(offered),
        reserved: scalarMapJson(roleReserved),
        frameworks: [...core.frameworks.values()].filter((f) => f.roles.includes(name)).map((f) => f.id),
      };
    }),
  };
}

function usageMetrics(
  prefix: string,
  total: ClusterResources,
  used: ClusterResources,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    out[`${prefix}/${key}_total`] = total[key];
    out[`${prefix}/${key}_used`] = used[key];
    out[`${prefix}/${key}_percent`] = total[key] > 0 ? used[key] / total[key] : 0;
    out[`${prefix}/${key}_revocable_total`] = 0;
    out[`${prefix}/${key}_revocable_used`] = 0;
    out[`${prefix}/${key}_revocable_percent`] = 0;
  }
  return out;
}

/** `system/*` keys, shared by master and agent snapshots. */
export function systemMetrics(): Record<string, number> {
  const [l1 = 0, l5 = 0, l15 = 0] = loadavg();
  return {
    'system/cpus_total': cpus().length,
    'system/load_1min': l1,
    'system/load_5min': l5,
    'system/load_15min': l15,
    'system/mem_total_bytes': totalmem(),
    'system/mem_free_bytes': freemem(),
  };
}

/** Master `GET /metrics/snapshot`. */
export function masterMetricsJson(core: ClusterCore): Record<string, number> {
  const total = sumResources(core.agents.map((a) => a.resources));
  const used = sumResources(core.agents.map((a) => core.usedOn(a.id)));
  const live = core.liveTasks();
  const liveCount = (state: TaskState) => live.filter((t) => t.state === state).length;
  const done = (state: TaskState) => core.counters.terminalTasks.get(state) ?? 0;
  const frameworks = core.frameworks.size;
  return {
    ...usageMetrics('master', total, used),
    'master/elected': 1,
    'master/uptime_secs': nowSecs() - core.startTime,
    'master/slaves_active': core.agents.filter((a) => !a.deactivated).length,
    'master/slaves_connected': core.agents.length,
    'master/slaves_disconnected': 0,
    'master/slaves_inactive': core.agents.filter((a) => a.deactivated).length,
    'master/slaves_unreachable': core.unreachableAgents.length,
    'master/frameworks_active': frameworks,
    'master/frameworks_connected': frameworks,
    'master/frameworks_disconnected': 0,
    'master/frameworks_inactive': 0,
    'master/tasks_staging': liveCount('TASK_STAGING'),
    'master/tasks_starting': liveCount('TASK_STARTING'),
    'master/tasks_running': liveCount('TASK_RUNNING'),
    'master/tasks_killing': liveCount('TASK_KILLING'),
    'master/tasks_unreachable': [...core.frameworks.values()].reduce(
      (n, f) => n + f.unreachableTasks.filter((t) => t.state === 'TASK_UNREACHABLE').length,
      0,
    ),
    'master/tasks_finished': done('TASK_FINISHED'),
    'master/tasks_killed': done('TASK_KILLED'),
    'master/tasks_failed': done('TASK_FAILED'),
    'master/tasks_lost': done('TASK_LOST'),
    'master/tasks_error': done('TASK_ERROR'),
    'master/tasks_dropped': done('TASK_DROPPED'),
    'master/tasks_gone': done('TASK_GONE'),
    'master/tasks_gone_by_operator': done('TASK_GONE_BY_OPERATOR'),
    'master/outstanding_offers': core.offers.size,
    'master/slave_registrations': core.agents.length,
    'master/slave_reregistrations': 0,
    'master/slave_removals': 0,
    'master/recovery_slave_removals': 0,
    'master/valid_status_updates': core.counters.validStatusUpdates,
    'master/invalid_status_updates': 0,
    'master/messages_launch_tasks': core.counters.launchTasks,
    'master/messages_kill_task': core.counters.killTasks,
    'master/messages_register_framework': core.counters.frameworkRegistrations,
    'master/dropped_messages': 0,
    'master/event_queue_messages': 0,
    'master/event_queue_dispatches': 0,
    'master/event_queue_http_requests': 0,
    'master/operator_event_stream_subscribers': 0,
    'master/http_cache_hits': 0,
    'allocator/mesos/event_queue_dispatches': 0,
    'registrar/log/recovered': 1,
    ...systemMetrics(),
  };
}

/** `GET /master/quota`: `infos` (protobuf guarantees, pre-1.9 readers) and `configs` (1.9+ guarantees/limits). */
export function quotaJson(core: ClusterCore): Record<string, unknown> {
  const quotas = [...core.quotas].sort(([a], [b]) => a.localeCompare(b));
  return {
    infos: quotas.map(([role, quota]) => ({
      role,
      guarantee: Object.entries(quota.guarantee ?? {}).map(([name, value]) => ({
        name,
        type: 'SCALAR',
        scalar: { value },
        role: '*',
      })),
    })),
    configs: quotas.map(([role, quota]) => ({
      role,
      guarantees: quota.guarantee ?? {},
      limits: quota.limit ?? {},
    })),
  };
}

/** `GET /master/weights`: `[{role, weight}]` for every role given a weight. */
export function weightsJson(core: ClusterCore): Record<string, unknown>[] {
  return [...core.weights].sort(([a], [b]) => a.localeCompare(b)).map(([role, weight]) => ({ role, weight }));
}
