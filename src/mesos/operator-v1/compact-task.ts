/**
 * The compact form of a task read from a master's v0 JSON (`/master/state` of a master without the v1 API),
 * the same as {@link v1TaskToV0} makes of a v1 task: the values tasks repeat are shared, and a status keeps
 * what the views read (of its `container_status`, only the networks; no `data`, no `uuid`).
 */
import type { MasterState, Task, TaskStatus } from '../master-state';
import { sharedValues } from './shared-values';
import { PackedStatuses } from '../packed-statuses';

const SHARED_STRINGS = ['framework_id', 'slave_id', 'state', 'role', 'user'] as const;
const SHARED_OBJECTS = ['resources', 'labels', 'discovery', 'container', 'health_check'] as const;

function compactStatus(status: TaskStatus): TaskStatus {
  // From `{}` (room for four properties in the object), as in `v1StatusToV0`.
  const out = {} as TaskStatus;
  out.state = sharedValues.string(status.state);
  out.timestamp = status.timestamp;
  if (status.labels) out.labels = sharedValues.json(status.labels);
  const networks = status.container_status?.['network_infos'];
  if (Array.isArray(networks) && networks.length > 0) {
    out.container_status = sharedValues.json({ network_infos: networks });
  }
  if (status.healthy !== undefined) out.healthy = status.healthy;
  if (status.message !== undefined) out.message = sharedValues.string(status.message);
  if (status.reason !== undefined) out.reason = sharedValues.string(status.reason);
  if (status.source !== undefined) out.source = sharedValues.string(status.source);
  return out;
}

/** `task` with its repeated values shared and its statuses cut to what the views read, packed. */
export function compactV0Task(task: Task): Task {
  const out: Task = { ...task, statuses: PackedStatuses.of(task.statuses.map(compactStatus)) };
  for (const key of SHARED_STRINGS) {
    const value = out[key];
    if (typeof value === 'string') out[key] = sharedValues.string(value);
  }
  for (const key of SHARED_OBJECTS) {
    if (out[key] !== undefined) (out as Record<string, unknown>)[key] = sharedValues.json(out[key]);
  }
  return out;
}

/** Makes every task of a state just parsed compact, in place (nobody else holds it yet). */
export function compactV0Tasks(state: MasterState): void {
  const lists: Task[][] = [];
  for (const framework of [...state.frameworks, ...state.completed_frameworks]) {
    lists.push(framework.tasks, framework.unreachable_tasks, framework.completed_tasks);
  }
  if (state.orphan_tasks) lists.push(state.orphan_tasks);
  for (const tasks of lists) {
    for (let i = 0; i < tasks.length; i++) tasks[i] = compactV0Task(tasks[i]!);
  }
}
