import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { ClusterCore } from './cluster-core';
import type { LocalAgent } from './agent-node';
import type { RoleView } from './master-fields';
import {
  countTaskState,
  masterStateHeader,
  roleJson,
  terminalTaskMetrics,
  zeroStateCounters,
} from './master-fields';
import { frameworkJson, frameworkSummaryJson, slaveJson } from './master-writers';
import type { AgentView, FrameworkUsage } from './master-writers';
import type { FrameworkRecord, TaskRecord, TaskState } from './model';
import { TERMINAL_STATES } from './model';
import {
  allocationSplit,
  reservedByRole,
  reservedFullJson,
  reservedJson,
  unreservedResources,
} from './reservations';
import { addResources, emptyResources, subtractResources, sumResources } from './resources';
import type { ClusterResources } from './resources';
import { nowSecs } from './ids';

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
    max_completed_tasks_per_framework: String(core.maxCompletedTasksPerFramework),
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

function frameworkUsage(core: ClusterCore, framework: FrameworkRecord): FrameworkUsage {
  const used = sumResources([...framework.tasks.values()].map((t) => t.resources));
  const offered = sumResources(
    [...core.offers.values()].filter((o) => o.frameworkId === framework.id).map((o) => o.resources),
  );
  return { used, offered };
}

function frameworkOf(core: ClusterCore, framework: FrameworkRecord): Record<string, unknown> {
  const offers = [...core.offers.values()].filter((o) => o.frameworkId === framework.id);
  return frameworkJson(framework, frameworkUsage(core, framework), offers);
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

/** What the master knows of an agent, for the writers of `/master/state`, `/master/slaves` and friends. */
export function agentView(core: ClusterCore, agent: LocalAgent): AgentView {
  const { drain_info, estimated_drain_start_time_seconds } = drainJson(agent);
  return {
    agent,
    used: core.usedOn(agent.id),
    offered: core.offeredOn(agent.id),
    unreserved: unreservedResources(agent),
    reserved: reservedJson(agent),
    reservedFull: reservedFullJson(agent),
    // A deactivated (or draining) agent is inactive: the master sends it no offers.
    active: !agent.deactivated,
    trailer: drain_info ? { drain_info, estimated_drain_start_time_seconds } : {},
  };
}

/** `GET /master/state`. */
export function masterStateJson(core: ClusterCore): Record<string, unknown> {
  const agents = {
    activated: core.agents.filter((a) => !a.deactivated).length,
    deactivated: core.agents.filter((a) => a.deactivated).length,
    unreachable: core.unreachableAgents.length,
  };
  return {
    ...masterStateHeader(core, agents, masterFlags(core)),
    slaves: core.agents.map((agent) => slaveJson(agentView(core, agent))),
    recovered_slaves: [],
    frameworks: [...core.frameworks.values()].map((f) => frameworkOf(core, f)),
    completed_frameworks: core.completedFrameworks.map((f) => frameworkOf(core, f)),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

function stateCounters(tasks: TaskRecord[]): Record<string, number> {
  const out = zeroStateCounters();
  for (const task of tasks) countTaskState(out, task);
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
        ...slaveJson(agentView(core, agent)),
        ...stateCounters(tasks),
        framework_ids: [
          ...new Set(tasks.filter((t) => !TERMINAL_STATES.has(t.state)).map((t) => t.frameworkId)),
        ],
      };
    }),
    frameworks: frameworks.map((framework) => {
      const tasks = allTasks(framework);
      return {
        ...frameworkSummaryJson(framework, frameworkUsage(core, framework)),
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
    frameworks: [...core.frameworks.values()].filter(keep).map((f) => frameworkOf(core, f)),
    completed_frameworks: core.completedFrameworks.filter(keep).map((f) => frameworkOf(core, f)),
    unregistered_frameworks: [],
  };
}

/** Every role the master knows, as `/master/roles` and GET_ROLES show them. */
export function roleViews(core: ClusterCore): RoleView[] {
  const reserved = reservedByRole(core.agents);
  const names = new Set<string>([...core.quotas.keys(), ...core.weights.keys(), ...reserved.keys()]);
  for (const f of core.frameworks.values()) for (const role of f.roles) names.add(role);
  const live = core.liveTasks();
  const splits = core.agents.map((agent) => allocationSplit(core, agent));
  return [...names].sort().map((name) => {
    const allocated = sumResources(live.filter((t) => t.role === name).map((t) => t.resources));
    const offered = sumResources(
      [...core.offers.values()].filter((o) => o.role === name).map((o) => o.resources),
    );
    const quota = core.quotas.get(name);
    const roleReserved = reserved.get(name) ?? emptyResources();
    const reservedAllocated = sumResources(
      splits.map((split) => split.reserved.get(name) ?? emptyResources()),
    );
    return {
      name,
      weight: core.weights.get(name) ?? 1.0,
      guarantee: quota?.guarantee ?? {},
      limit: quota?.limit ?? {},
      consumed: addResources(roleReserved, subtractResources(allocated, reservedAllocated)),
      allocated,
      offered,
      reserved: roleReserved,
      frameworks: [...core.frameworks.values()].filter((f) => f.roles.includes(name)).map((f) => f.id),
    };
  });
}

/** `GET /master/roles`. */
export function rolesJson(core: ClusterCore): Record<string, unknown> {
  return { roles: roleViews(core).map(roleJson) };
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
  const frameworks = core.frameworks.size;
  // A scheduler that lost its connection is disconnected and inactive until it re-subscribes.
  const activeFrameworks = [...core.frameworks.values()].filter((f) => f.active).length;
  return {
    ...usageMetrics('master', total, used),
    'master/elected': 1,
    'master/uptime_secs': nowSecs() - core.startTime,
    'master/slaves_active': core.agents.filter((a) => !a.deactivated).length,
    'master/slaves_connected': core.agents.length,
    'master/slaves_disconnected': 0,
    'master/slaves_inactive': core.agents.filter((a) => a.deactivated).length,
    'master/slaves_unreachable': core.unreachableAgents.length,
    'master/frameworks_active': activeFrameworks,
    'master/frameworks_connected': activeFrameworks,
    'master/frameworks_disconnected': frameworks - activeFrameworks,
    'master/frameworks_inactive': frameworks - activeFrameworks,
    'master/tasks_staging': liveCount('TASK_STAGING'),
    'master/tasks_starting': liveCount('TASK_STARTING'),
    'master/tasks_running': liveCount('TASK_RUNNING'),
    'master/tasks_killing': liveCount('TASK_KILLING'),
    'master/tasks_unreachable': [...core.frameworks.values()].reduce(
      (n, f) => n + f.unreachableTasks.filter((t) => t.state === 'TASK_UNREACHABLE').length,
      0,
    ),
    ...terminalTaskMetrics(core.counters.terminalTasks),
    'master/outstanding_offers': core.offers.size,
    'master/slave_registrations': core.agents.length,
    'master/slave_reregistrations': 0,
    'master/slave_removals': core.counters.agentRemovals,
    'master/recovery_slave_removals': 0,
    'master/valid_status_updates': core.counters.validStatusUpdates,
    'master/invalid_status_updates': 0,
    'master/messages_launch_tasks': core.counters.launchTasks,
    'master/messages_kill_task': core.counters.killTasks,
    'master/messages_register_framework': core.counters.frameworkRegistrations,
    'master/messages_decline_offers': core.counters.offersDeclined,
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
