import { TERMINAL_STATES } from './model';
import type { ExecutorRecord, OfferRecord, TaskRecord } from './model';
import { resourcesJson } from './resources';

/** `json(Task)`: the task shape shared by master state, `/master/tasks` and agent state. */
export function taskJson(task: TaskRecord): Record<string, unknown> {
  return {
    id: task.id,
    name: task.name,
    framework_id: task.frameworkId,
    // Command tasks carry no ExecutorInfo, so Mesos renders an empty executor id.
    executor_id: task.executorType ? task.executorId : '',
    slave_id: task.agentId,
    state: task.state,
    resources: resourcesJson(task.resources),
    role: task.role,
    statuses: task.statuses,
    user: task.user,
    ...task.extras?.json,
  };
}

/** `json(Offer)`. */
export function offerJson(offer: OfferRecord): Record<string, unknown> {
  return {
    id: offer.id,
    framework_id: offer.frameworkId,
    allocation_info: { role: offer.role },
    slave_id: offer.agentId,
    resources: resourcesJson(offer.resources),
  };
}

/** The agent's `ExecutorWriter` shape: launched, queued and completed tasks of one executor. */
export function executorJson(executor: ExecutorRecord): Record<string, unknown> {
  const tasks = executor.tasks ?? [executor.task];
  const queued = executor.queuedTaskIds;
  const done = tasks.filter((t) => TERMINAL_STATES.has(t.state));
  const waiting = tasks.filter((t) => !TERMINAL_STATES.has(t.state) && queued?.has(t.id));
  const launched = tasks.filter((t) => !TERMINAL_STATES.has(t.state) && !queued?.has(t.id));
  return {
    id: executor.id,
    name: executor.name,
    source: executor.source,
    container: executor.containerId,
    directory: executor.directory,
    resources: resourcesJson(executor.resources),
    role: executor.role,
    ...(executor.labels !== undefined && { labels: executor.labels }),
    ...(executor.type && { type: executor.type }),
    tasks: launched.map(taskJson),
    queued_tasks: waiting.map(taskJson),
    completed_tasks: done.map(taskJson),
  };
}
