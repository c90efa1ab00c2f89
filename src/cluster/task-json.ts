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
    executor_id: '',
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

/** The agent's `ExecutorWriter` shape for a command executor. */
export function executorJson(executor: ExecutorRecord): Record<string, unknown> {
  const done = TERMINAL_STATES.has(executor.task.state);
  return {
    id: executor.id,
    name: executor.name,
    source: executor.source,
    container: executor.containerId,
    directory: executor.directory,
    resources: resourcesJson(executor.resources),
    role: executor.role,
    tasks: done ? [] : [taskJson(executor.task)],
    queued_tasks: [],
    completed_tasks: done ? [taskJson(executor.task)] : [],
  };
}
