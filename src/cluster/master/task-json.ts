import { TERMINAL_STATES } from './model';
import type { ExecutorRecord, OfferRecord, TaskRecord, TaskState } from './model';
import { resourcesFromV1 } from '../agent/executor-info';
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

/** A task's JSON text, and what it was rendered from: it changes only with a status update. */
interface RenderedTask {
  statuses: number;
  state: TaskState;
  text: string;
}

/**
 * `render` as text, rendered once per status update: a task's other fields never change, so a state of
 * 100,000 tasks re-renders only the tasks that changed since the last request. The text is kept on the task
 * itself, under a symbol that JSON never writes: a WeakMap of 200,000 tasks makes every full garbage
 * collection walk its ephemerons, which made the first massive state 4× slower.
 */
export function taskTextOnce(
  name: string,
  render: (task: TaskRecord) => unknown,
): (task: TaskRecord) => string {
  const slot = Symbol(name);
  return (task) => {
    const holder = task as TaskRecord & { [slot]?: RenderedTask };
    const cached = holder[slot];
    if (cached && cached.statuses === task.statuses.length && cached.state === task.state) return cached.text;
    const text = JSON.stringify(render(task));
    holder[slot] = { statuses: task.statuses.length, state: task.state, text };
    return text;
  };
}

/** {@link taskJson} as text, rendered once per status update. */
export const taskJsonText = taskTextOnce('rendered task JSON', taskJson);

/** `json(ExecutorInfo)` plus `slave_id`: an executor in a framework's `executors` in master state. */
export function executorInfoJson(info: Record<string, unknown>, agentId: string): Record<string, unknown> {
  const id = (value: unknown) =>
    typeof value === 'object' && value !== null ? String((value as { value?: unknown }).value ?? '') : '';
  const command = (info.command ?? {}) as Record<string, unknown>;
  const resources = Array.isArray(info.resources) ? (info.resources as Record<string, unknown>[]) : [];
  const out: Record<string, unknown> = {
    executor_id: id(info.executor_id),
    name: typeof info.name === 'string' ? info.name : '',
    framework_id: id(info.framework_id),
    command: {
      ...(typeof command.shell === 'boolean' && { shell: command.shell }),
      ...(typeof command.value === 'string' && { value: command.value }),
      argv: Array.isArray(command.arguments) ? command.arguments : [],
      ...(command.environment !== undefined && { environment: command.environment }),
      uris: (Array.isArray(command.uris) ? (command.uris as Record<string, unknown>[]) : []).map((uri) => ({
        value: uri.value,
        executable: uri.executable === true,
      })),
    },
    resources: resourcesJson(resourcesFromV1(resources)),
  };
  const role = (resources[0]?.allocation_info as { role?: unknown } | undefined)?.role;
  if (typeof role === 'string') out.role = role;
  const labels = (info.labels as { labels?: unknown } | undefined)?.labels;
  if (Array.isArray(labels)) out.labels = labels;
  if (typeof info.type === 'string') out.type = info.type;
  out.slave_id = agentId;
  return out;
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
