import type { Agent, AgentExecutor, AgentFramework, ExecutorUsage, QueuedTask, Task } from '../../mesos';
import {
  agentLogAvailable,
  agentStateLabel,
  estimatedDrainEnd,
  frameworkRoles,
  resourceProviderSummaries,
  subtractResources,
  sumResources,
  sumUsage,
  taskCountsFromMetrics,
  taskFinishTime,
  taskHealth,
  taskSandboxDirectory,
  taskStartTime,
  toResources,
  ZERO_RESOURCES,
} from '../../mesos';
import type { AgentReading } from '../reading/agent-readings';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type {
  AgentDetailView,
  AgentDrainView,
  AgentFrameworkRow,
  AgentFrameworkView,
  AllocatedAndLimit,
  ExecutorRow,
  ExecutorTaskRow,
  ExecutorView,
  Freshness,
  ReservationRow,
} from '../schemas/detail-views';

/** What every agent view is built from: the master's record, the agent's own answers, and their freshness. */
export interface AgentSources {
  snapshot: ClusterSnapshot;
  agent: Agent;
  reading: AgentReading;
  freshness: Freshness;
}

const allocatedOf = (executors: readonly AgentExecutor[]) =>
  sumResources(executors.map((executor) => toResources(executor.resources)));

function usageOf(reading: AgentReading, frameworkId: string, executorIds?: ReadonlySet<string>) {
  const usage = (reading.usage ?? []).filter(
    (entry: ExecutorUsage) =>
      entry.frameworkId === frameworkId && (!executorIds || executorIds.has(entry.executorId)),
  );
  return sumUsage(usage);
}

function frameworkRowOf(
  framework: AgentFramework,
  reading: AgentReading,
  completed: boolean,
): AgentFrameworkRow {
  return {
    id: framework.id,
    name: framework.name,
    user: framework.user ?? null,
    roles: frameworkRoles(framework),
    activeTasks: framework.executors.reduce((sum, executor) => sum + executor.tasks.length, 0),
    executors: framework.executors.length,
    used: completed ? { cpus: null, mem: null, disk: null } : usageOf(reading, framework.id),
    allocated: completed ? { ...ZERO_RESOURCES } : allocatedOf(framework.executors),
  };
}

function drainOf(agent: Agent, reading: AgentReading): AgentDrainView | null {
  const config = reading.state.drain_config ?? agent.drain_info?.config;
  const start = reading.state.estimated_drain_start_time_seconds ?? agent.estimated_drain_start_time_seconds;
  if (!config && !agent.drain_info) return null;
  const endMs = estimatedDrainEnd({ drain_config: config, estimated_drain_start_time_seconds: start });
  const state = agent.drain_info?.state;
  return {
    state: state === 'DRAINING' || state === 'DRAINED' ? state : null,
    markGone: config?.mark_gone ?? null,
    maxGracePeriodSecs: config?.max_grace_period ? config.max_grace_period.nanoseconds / 1e9 : null,
    estimatedDrainStart: start ?? null,
    estimatedDrainEnd: endMs === null ? null : endMs / 1000,
  };
}

/** Unreserved resources first, then one row per role with a reservation (the agent page's Reservations). */
function reservationsOf(reading: AgentReading, allocated: ReturnType<typeof allocatedOf>): ReservationRow[] {
  const { state } = reading;
  const reserved = state.reserved_resources ?? {};
  const reservedAllocated = state.reserved_resources_allocated ?? {};
  const roles = [...new Set([...Object.keys(reserved), ...Object.keys(reservedAllocated)])].sort();
  const unreserved: ReservationRow = {
    role: null,
    // Agents before Mesos 1.0 report neither field: everything is unreserved.
    allocated: state.unreserved_resources_allocated
      ? toResources(state.unreserved_resources_allocated)
      : allocated,
    reserved: toResources(state.unreserved_resources ?? state.resources),
  };
  return [
    unreserved,
    ...roles.map((role) => ({
      role,
      allocated: toResources(reservedAllocated[role]),
      reserved: toResources(reserved[role]),
    })),
  ];
}

/** The Mesos agent page: the master's view of the agent and the agent's own state, metrics and usage. */
export function agentDetailView({ snapshot, agent, reading, freshness }: AgentSources): AgentDetailView {
  const { state, metrics } = reading;
  const allocated = allocatedOf(state.frameworks.flatMap((framework) => framework.executors));
  const total = toResources(state.resources);
  return {
    ...freshness,
    agentId: agent.id,
    hostname: state.hostname || agent.hostname,
    port: agent.port ?? null,
    pid: state.pid ?? agent.pid ?? null,
    cluster: snapshot.state.cluster ?? state.cluster ?? null,
    masterHostname: state.master_hostname ?? null,
    version: state.version ?? agent.version ?? null,
    buildDate: state.build_date ?? null,
    buildTime: state.build_time ?? null,
    buildUser: state.build_user ?? null,
    startTime: state.start_time ?? null,
    state: agentStateLabel(agent),
    registeredTime: agent.registered_time ?? null,
    reregisteredTime: agent.reregistered_time ?? null,
    logAvailable: agentLogAvailable(state),
    drain: drainOf(agent, reading),
    tasks: metrics ? taskCountsFromMetrics(metrics, 'slave', 0) : null,
    resources: {
      used: sumUsage(reading.usage ?? []),
      allocated,
      available: subtractResources(total, allocated),
      total,
    },
    reservations: reservationsOf(reading, allocated),
    resourceProviders: resourceProviderSummaries(state),
    attributes: state.attributes ?? agent.attributes ?? {},
    frameworks: state.frameworks.map((framework) => frameworkRowOf(framework, reading, false)),
    completedFrameworks: state.completed_frameworks.map((framework) =>
      frameworkRowOf(framework, reading, true),
    ),
  };
}

function findFramework(reading: AgentReading, frameworkId: string) {
  const active = reading.state.frameworks.find((framework) => framework.id === frameworkId);
  if (active) return { framework: active, completed: false };
  const completed = reading.state.completed_frameworks.find((framework) => framework.id === frameworkId);
  return completed ? { framework: completed, completed: true } : null;
}

function executorRowOf(
  executor: AgentExecutor,
  frameworkId: string,
  reading: AgentReading,
  completed: boolean,
): ExecutorRow {
  return {
    id: executor.id,
    name: executor.name,
    source: executor.source,
    role: executor.role ?? null,
    activeTasks: executor.tasks.length,
    queuedTasks: executor.queued_tasks.length,
    completedTasks: executor.completed_tasks.length,
    used: completed
      ? { cpus: null, mem: null, disk: null }
      : usageOf(reading, frameworkId, new Set([executor.id])),
    allocated: toResources(executor.resources),
    directory: executor.directory,
  };
}

/** One framework's executors on one agent, or null when the agent does not know that framework. */
export function agentFrameworkView(sources: AgentSources, frameworkId: string): AgentFrameworkView | null {
  const { agent, reading, freshness } = sources;
  const found = findFramework(reading, frameworkId);
  if (!found) return null;
  const { framework, completed } = found;
  const executors = completed ? [] : framework.executors;
  return {
    ...freshness,
    agentId: agent.id,
    agentHostname: reading.state.hostname || agent.hostname,
    masterHostname: reading.state.master_hostname ?? null,
    framework: {
      id: framework.id,
      name: framework.name,
      user: framework.user ?? null,
      principal: framework.principal ?? null,
      roles: frameworkRoles(framework),
      activeTasks: executors.reduce((sum, executor) => sum + executor.tasks.length, 0),
      completed,
    },
    resources: {
      used: completed ? { cpus: null, mem: null, disk: null } : usageOf(reading, framework.id),
      allocated: allocatedOf(executors),
    },
    executors: executors.map((executor) => executorRowOf(executor, framework.id, reading, false)),
    completedExecutors: [...(completed ? framework.executors : []), ...framework.completed_executors].map(
      (executor) => executorRowOf(executor, framework.id, reading, true),
    ),
  };
}

function allocatedAndLimit(allocated: number, limit: number | string | undefined): AllocatedAndLimit {
  if (limit === undefined) return { allocated, limit: null };
  if (typeof limit === 'number' && Number.isFinite(limit)) return { allocated, limit };
  return { allocated, limit: 'unlimited' };
}

function taskRowOf(task: Task | QueuedTask, executor: AgentExecutor): ExecutorTaskRow {
  const resources = toResources(task.resources);
  const isTask = 'state' in task && typeof task.state === 'string';
  const limits = isTask ? (task as Task).limits : undefined;
  return {
    id: task.id,
    name: task.name,
    state: isTask ? (task as Task).state : null,
    healthy: isTask ? taskHealth(task as Task) : null,
    role: task.role ?? executor.role ?? null,
    startTime: isTask ? msToSeconds(taskStartTime(task as Task)) : null,
    finishTime: isTask ? msToSeconds(taskFinishTime(task as Task)) : null,
    cpus: allocatedAndLimit(resources.cpus, limits?.['cpus']),
    mem: allocatedAndLimit(resources.mem, limits?.['mem']),
    gpus: resources.gpus,
    disk: resources.disk,
    sandbox: taskSandboxDirectory(executor, task.id),
  };
}

function msToSeconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

/** One executor's queued, active and completed tasks, or null when the agent has no such executor. */
export function executorView(
  sources: AgentSources,
  frameworkId: string,
  executorId: string,
): ExecutorView | null {
  const { snapshot, agent, reading, freshness } = sources;
  const found = findFramework(reading, frameworkId);
  if (!found) return null;
  const { framework } = found;
  const live = found.completed
    ? undefined
    : framework.executors.find((executor) => executor.id === executorId);
  const executor =
    live ??
    [...(found.completed ? framework.executors : []), ...framework.completed_executors].find(
      (candidate) => candidate.id === executorId,
    );
  if (!executor) return null;
  const completed = live === undefined;
  return {
    ...freshness,
    agentId: agent.id,
    agentHostname: reading.state.hostname || agent.hostname,
    cluster: snapshot.state.cluster ?? reading.state.cluster ?? null,
    masterHostname: reading.state.master_hostname ?? null,
    frameworkId: framework.id,
    frameworkName: framework.name,
    executor: {
      id: executor.id,
      name: executor.name,
      source: executor.source,
      role: executor.role ?? null,
      type: executor.type ?? null,
      container: executor.container ?? null,
      directory: executor.directory,
      completed,
    },
    resources: {
      used: completed
        ? { cpus: null, mem: null, disk: null }
        : usageOf(reading, framework.id, new Set([executor.id])),
      allocated: toResources(executor.resources),
    },
    queuedTasks: executor.queued_tasks.map((task) => taskRowOf(task, executor)),
    tasks: executor.tasks.map((task) => taskRowOf(task, executor)),
    completedTasks: executor.completed_tasks.map((task) => taskRowOf(task, executor)),
  };
}
