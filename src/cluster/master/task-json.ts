import { TERMINAL_STATES } from './model';
import type { ExecutorRecord, OfferRecord, TaskRecord, TaskState } from './model';
import { resourcesFromV1 } from '../agent/executor-info';
import { resourcesJson } from './resources';
import type { LaterText, Piece } from '../operator-api/json-pieces';

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

/** The length of a task's JSON, and what it was rendered from: it changes only with a status update. */
interface RenderedLength {
  statuses: number;
  state: TaskState;
  bytes: number;
}

/** A task's JSON as of a moment, made when it is written. */
class TaskTextAsOf implements LaterText {
  constructor(
    private readonly task: TaskRecord,
    private readonly statuses: number,
    private readonly state: TaskState,
    readonly bytes: number,
    private readonly render: (task: TaskRecord) => unknown,
  ) {}

  text(): string {
    const { task, statuses, state } = this;
    if (task.statuses.length === statuses && task.state === state) return JSON.stringify(this.render(task));
    // Updated since: its other fields never change, and its statuses are only ever appended to.
    const then = Object.create(task, {
      state: { value: state },
      statuses: { value: task.statuses.slice(0, statuses) },
    }) as TaskRecord;
    return JSON.stringify(this.render(then));
  }
}

/**
 * `render` as a document piece: the task's JSON as of now, made when the document is written. Only its length
 * is kept on the task, until its next status update (a task's other fields never change), so a big document
 * announces its length without holding every task's text: a gigantic master would otherwise keep 1.2 GB of
 * text for its 660,000 tasks. The first document after an update renders the task twice (once to measure it).
 * The length is kept on the task itself, under a symbol that JSON never writes: a WeakMap of 200,000 tasks
 * makes every full garbage collection walk its ephemerons, which made the first massive state 4× slower.
 */
export function taskTextLater(
  name: string,
  render: (task: TaskRecord) => unknown,
): (task: TaskRecord) => Piece {
  const slot = Symbol(name);
  return (task) => {
    const holder = task as TaskRecord & { [slot]?: RenderedLength };
    const statuses = task.statuses.length;
    const state = task.state;
    const known = holder[slot];
    if (known && known.statuses === statuses && known.state === state) {
      return new TaskTextAsOf(task, statuses, state, known.bytes, render);
    }
    const text = JSON.stringify(render(task));
    holder[slot] = { statuses, state, bytes: Buffer.byteLength(text, 'utf8') };
    return text;
  };
}

/** {@link taskJson} as a document piece. */
export const taskJsonText = taskTextLater('task JSON length', taskJson);

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
