/**
 * Master-level parts of the v0 documents both clusters serve: the head of `/master/state`, the per-state
 * counters of `/master/state-summary`, a page of `/master/tasks` and a role of `/master/roles`.
 */
import type { FrameworkRecord, TaskRecord, TaskState } from './model';
import { addResources, resourcesJson, scalarMapJson } from './resources';
import type { ClusterResources } from './resources';
import { taskJson } from './task-json';
import { versionJson } from '../version';

/** Capabilities a 1.11 master advertises. */
export const MASTER_CAPABILITIES = ['AGENT_UPDATE', 'AGENT_DRAINING', 'QUOTA_V2'];

/** The task states `/master/state-summary` counts for every agent and framework. */
const COUNTED_STATES: readonly TaskState[] = [
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

/** Per-state task counters of `/master/state-summary`, all zero. */
export function zeroStateCounters(): Record<string, number> {
  return Object.fromEntries(COUNTED_STATES.map((state) => [state, 0]));
}

/** Counts a task into counters made by {@link zeroStateCounters} (states not counted there are skipped). */
export function countTaskState(counters: Record<string, number>, task: TaskRecord): void {
  if (task.state in counters) counters[task.state] = (counters[task.state] ?? 0) + 1;
}

/** The master's `master/tasks_<state>` metrics of terminal states, from its counts of tasks that ended so. */
export function terminalTaskMetrics(ended: ReadonlyMap<string, number>): Record<string, number> {
  const count = (state: TaskState) => ended.get(state) ?? 0;
  return {
    'master/tasks_finished': count('TASK_FINISHED'),
    'master/tasks_killed': count('TASK_KILLED'),
    'master/tasks_failed': count('TASK_FAILED'),
    'master/tasks_lost': count('TASK_LOST'),
    'master/tasks_error': count('TASK_ERROR'),
    'master/tasks_dropped': count('TASK_DROPPED'),
    'master/tasks_gone': count('TASK_GONE'),
    'master/tasks_gone_by_operator': count('TASK_GONE_BY_OPERATOR'),
  };
}

/** The master itself, as `/master/state` and `leader_info` describe it. */
export interface MasterIdentity {
  readonly startTime: number;
  readonly electedTime: number;
  readonly masterId: string;
  readonly pid: string;
  readonly host: string;
  readonly masterPort: number;
  readonly clusterName: string;
  readonly logDir: string;
}

/** `json(MasterInfo)` as `leader_info`. */
export function leaderInfoJson(master: MasterIdentity): Record<string, unknown> {
  return { id: master.masterId, pid: master.pid, port: master.masterPort, hostname: master.host };
}

/** The fields `/master/state` starts with, up to and including `flags` (the lists follow). */
export function masterStateHeader(
  master: MasterIdentity,
  agents: { activated: number; deactivated: number; unreachable: number },
  flags: Record<string, string>,
): Record<string, unknown> {
  return {
    ...versionJson(),
    start_time: master.startTime,
    elected_time: master.electedTime,
    id: master.masterId,
    pid: master.pid,
    hostname: master.host,
    capabilities: MASTER_CAPABILITIES,
    activated_slaves: agents.activated,
    deactivated_slaves: agents.deactivated,
    unreachable_slaves: agents.unreachable,
    leader: master.pid,
    leader_info: leaderInfoJson(master),
    cluster: master.clusterName,
    log_dir: master.logDir,
    flags,
  };
}

/** Query of `/master/tasks`, already validated; `limit` and `offset` are `size_t`s, as in Mesos. */
export interface TasksQuery {
  limit: bigint;
  offset: bigint;
  order: 'asc' | 'desc';
  frameworkId: string | null;
  taskId: string | null;
}

/** `GET /master/tasks`: active, unreachable and completed tasks, ordered by first status time, paged. */
export function tasksJson(frameworks: Iterable<FrameworkRecord>, query: TasksQuery): Record<string, unknown> {
  const tasks: TaskRecord[] = [];
  for (const framework of frameworks) {
    if (query.frameworkId !== null && framework.id !== query.frameworkId) continue;
    for (const task of framework.tasks.values()) tasks.push(task);
    for (const task of framework.unreachableTasks) tasks.push(task);
    for (const task of framework.completedTasks) tasks.push(task);
  }
  const selected = query.taskId === null ? tasks : tasks.filter((t) => t.id === query.taskId);
  const key = (t: TaskRecord) => t.statuses[0]?.timestamp ?? t.launchedAt;
  selected.sort((a, b) => (query.order === 'asc' ? key(a) - key(b) : key(b) - key(a)));
  // `std::min(offset + limit, tasks.size())` in size_t arithmetic: a sum past 2^64 wraps around.
  const end = BigInt.asUintN(64, query.offset + query.limit);
  const count = BigInt(selected.length);
  const stop = Number(end < count ? end : count);
  const start = query.offset < count ? Number(query.offset) : selected.length;
  return { tasks: start < stop ? selected.slice(start, stop).map(taskJson) : [] };
}

/** One role of `/master/roles`, in the master's terms. */
export interface RoleView {
  name: string;
  weight: number;
  guarantee: Partial<Record<string, number>>;
  limit: Partial<Record<string, number>>;
  /** Quota consumption: reservations plus unreserved allocation (Mesos 1.9+). */
  consumed: ClusterResources;
  allocated: ClusterResources;
  offered: ClusterResources;
  reserved: ClusterResources;
  frameworks: string[];
}

/** One entry of `GET /master/roles`. */
export function roleJson(role: RoleView): Record<string, unknown> {
  return {
    name: role.name,
    weight: role.weight,
    quota: {
      role: role.name,
      guarantee: role.guarantee,
      limit: role.limit,
      consumed: scalarMapJson(role.consumed),
    },
    resources: resourcesJson(addResources(role.allocated, role.offered)),
    allocated: scalarMapJson(role.allocated),
    offered: scalarMapJson(role.offered),
    reserved: scalarMapJson(role.reserved),
    frameworks: role.frameworks,
  };
}

/** What a master's `--flags` are made of. */
export interface FlaggedMaster {
  readonly clusterName: string;
  readonly host: string;
  readonly masterPort: number;
  readonly logDir: string;
  readonly masterWorkDir: string;
  readonly completedCap: number;
  readonly completedFrameworksCap: number;
}

/** The master's `--flags`, all strings like Mesos renders them. */
export function masterFlags(core: FlaggedMaster): Record<string, string> {
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
    max_completed_frameworks: String(core.completedFrameworksCap),
    max_completed_tasks_per_framework: String(core.completedCap),
    max_operator_event_stream_subscribers: '1000',
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
    work_dir: core.masterWorkDir,
    zk_session_timeout: '10secs',
  };
}
