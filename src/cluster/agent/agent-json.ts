/**
 * The v0 documents of one agent (`/state`, `/flags`, `/metrics/snapshot`, `/monitor/statistics`), for the
 * local cluster's agents and the simulated ones alike, as master/master-json.ts is for masters. Each agent
 * describes itself through these inputs; what only one kind has (reservations, draining, resource providers,
 * a log directory, process and system statistics) is an input the other leaves out.
 */
import { AGENT_CAPABILITIES } from '../operator-api/master-writers';
import type { ExecutorRecord, TaskState } from '../master/model';
import type { FrameworkOnAgent } from './frameworks-on-agent';
import { resourcesFullJson, resourcesJson } from '../master/resources';
import type { ClusterResources } from '../master/resources';
import { executorJson } from '../master/task-json';
import { versionJson } from '../version';
import type { Resources } from '../../mesos/resources';

/** Who the agent is and where it runs. */
export interface AgentIdentity {
  id: string;
  pid: string;
  hostname: string;
  /** The address it listens on (`--ip`). */
  ip: string;
  port: number;
  /** When the agent started (float secs). */
  startTime: number;
  attributes: Readonly<Record<string, string | number>>;
  resources: ClusterResources;
  workDir: string;
  /** `--log_dir`, when the agent writes a log. */
  logDir?: string;
  master: { host: string; port: number };
}

/** How the agent's resources split into reservations, and what tasks use of each part. */
export interface AgentReservations {
  reserved: Record<string, unknown>;
  reservedFull: Record<string, unknown>;
  unreserved: ClusterResources;
  /** What tasks use of each role's reservation. */
  allocatedByRole: ReadonlyMap<string, ClusterResources>;
  /** What tasks use of the unreserved resources. */
  unreservedAllocated: ClusterResources;
}

/** Everything `/state` says besides who the agent is. */
export interface AgentStateInput {
  reservations: AgentReservations;
  frameworks: { active: FrameworkOnAgent[]; completed: FrameworkOnAgent[] };
  /** `drain_config` and `estimated_drain_start_time_seconds` while the agent drains. */
  drain?: Record<string, unknown>;
  resourceProviders?: readonly Record<string, unknown>[];
}

/** What `/metrics/snapshot` counts. */
export interface AgentMetricsInput {
  used: Resources;
  /** Live tasks in a state. */
  live: (state: TaskState) => number;
  /** Tasks that ended in a state, over the agent's life. */
  terminal: ReadonlyMap<string, number>;
  executorsRunning: number;
  executorsTerminated: number;
  frameworksActive: number;
  statusUpdates: number;
  now: number;
  /** `system/*` figures of the machine, when the agent has one of its own. */
  system?: Record<string, number>;
}

/** The agent's `--flags`. */
export function agentFlagsJson(agent: AgentIdentity): Record<string, string> {
  const flags: Record<string, string> = {
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
    ip: agent.ip,
    isolation: 'posix/cpu,posix/mem',
    launcher: 'posix',
  };
  if (agent.logDir !== undefined) flags.log_dir = agent.logDir;
  return {
    ...flags,
    logbufsecs: '0',
    logging_level: 'INFO',
    master: `${agent.master.host}:${agent.master.port}`,
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

/** `GET /slave(N)/state`. */
export function agentStateJson(agent: AgentIdentity, input: AgentStateInput): Record<string, unknown> {
  const { reservations } = input;
  return {
    ...versionJson(),
    start_time: agent.startTime,
    id: agent.id,
    pid: agent.pid,
    hostname: agent.hostname,
    capabilities: AGENT_CAPABILITIES,
    resources: resourcesJson(agent.resources),
    reserved_resources: reservations.reserved,
    unreserved_resources: resourcesJson(reservations.unreserved),
    reserved_resources_full: reservations.reservedFull,
    unreserved_resources_full: resourcesFullJson(reservations.unreserved),
    reserved_resources_allocated: Object.fromEntries(
      [...reservations.allocatedByRole].map(([role, r]) => [role, resourcesJson(r)]),
    ),
    unreserved_resources_allocated: resourcesJson(reservations.unreservedAllocated),
    ...input.drain,
    ...(input.resourceProviders &&
      input.resourceProviders.length > 0 && { resource_providers: input.resourceProviders }),
    attributes: agent.attributes,
    master_hostname: agent.master.host,
    ...(agent.logDir !== undefined && { log_dir: agent.logDir }),
    flags: agentFlagsJson(agent),
    frameworks: input.frameworks.active.map(frameworkOnAgentJson),
    completed_frameworks: input.frameworks.completed.map(frameworkOnAgentJson),
  };
}

/** Agent `GET /metrics/snapshot`. */
export function agentMetricsJson(agent: AgentIdentity, input: AgentMetricsInput): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    out[`slave/${key}_total`] = agent.resources[key];
    out[`slave/${key}_used`] = input.used[key];
    out[`slave/${key}_percent`] = agent.resources[key] > 0 ? input.used[key] / agent.resources[key] : 0;
    out[`slave/${key}_revocable_total`] = 0;
    out[`slave/${key}_revocable_used`] = 0;
    out[`slave/${key}_revocable_percent`] = 0;
  }
  const done = (state: TaskState) => input.terminal.get(state) ?? 0;
  return {
    ...out,
    'slave/tasks_staging': input.live('TASK_STAGING'),
    'slave/tasks_starting': input.live('TASK_STARTING'),
    'slave/tasks_running': input.live('TASK_RUNNING'),
    'slave/tasks_killing': input.live('TASK_KILLING'),
    'slave/tasks_finished': done('TASK_FINISHED'),
    'slave/tasks_killed': done('TASK_KILLED'),
    'slave/tasks_failed': done('TASK_FAILED'),
    'slave/tasks_lost': done('TASK_LOST'),
    'slave/tasks_gone': done('TASK_GONE'),
    'slave/tasks_gone_by_operator': done('TASK_GONE_BY_OPERATOR'),
    'slave/executors_registering': 0,
    'slave/executors_running': input.executorsRunning,
    'slave/executors_terminating': 0,
    'slave/executors_terminated': input.executorsTerminated,
    'slave/executors_preempted': 0,
    'slave/frameworks_active': input.frameworksActive,
    'slave/registered': 1,
    'slave/uptime_secs': input.now - agent.startTime,
    'slave/recovery_errors': 0,
    'slave/valid_status_updates': input.statusUpdates,
    'slave/invalid_status_updates': 0,
    'slave/valid_framework_messages': 0,
    'slave/invalid_framework_messages': 0,
    'slave/container_launch_errors': 0,
    'containerizer/mesos/container_destroy_errors': 0,
    ...input.system,
  };
}

/** What `/monitor/statistics` says of one executor's container. */
export interface ContainerStatistics {
  timestamp: number;
  cpus_limit: number;
  cpus_user_time_secs?: number;
  cpus_system_time_secs?: number;
  mem_limit_bytes: number;
  mem_rss_bytes?: number;
  disk_limit_bytes: number;
  disk_used_bytes: number;
}

/** One entry of `GET /monitor/statistics`. */
export function monitorEntryJson(
  executor: ExecutorRecord,
  statistics: ContainerStatistics,
): Record<string, unknown> {
  return {
    framework_id: executor.frameworkId,
    executor_id: executor.id,
    executor_name: executor.name,
    source: executor.source,
    statistics,
  };
}

/** The limits `/monitor/statistics` reports for an executor's resources. */
export function containerLimits(
  resources: Resources,
): Pick<ContainerStatistics, 'cpus_limit' | 'mem_limit_bytes' | 'disk_limit_bytes'> {
  return {
    cpus_limit: resources.cpus,
    mem_limit_bytes: resources.mem * 1024 * 1024,
    disk_limit_bytes: resources.disk * 1024 * 1024,
  };
}
