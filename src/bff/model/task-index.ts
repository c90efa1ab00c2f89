import type { Framework, Task } from '../../mesos';
import type { TaskGroup, TaskRow, TaskSortKey } from '../schemas/views';
import type { ClusterSnapshot } from './cluster-snapshot';

/** One task of the cluster with what the Tasks page, the task page and search need to find it fast. */
export interface IndexedTask {
  row: TaskRow;
  group: TaskGroup;
  /** The task as the master reported it. */
  task: Task;
  framework: Framework | undefined;
  /** `id`, `name`, framework, agent and role, lowercased, for the text filter. */
  haystack: string;
  idLower: string;
  nameLower: string;
}

/**
 * Every task of one snapshot, indexed once (on first use) and shared by every query on that snapshot:
 * - `rows`: active, then unreachable, then completed, in master order;
 * - `order(sort)`: row positions sorted ascending by one column (ties by id), built lazily once per column,
 *   so that a query is a single O(n) walk in that order, never a sort;
 * - `byKey`: framework id + task id → task (task ids are unique per framework only).
 */
export interface TaskIndex {
  rows: readonly IndexedTask[];
  /** The fields filters test, one flat array per field (row position → value): faster to scan than objects. */
  columns: {
    group: readonly TaskGroup[];
    state: readonly string[];
    frameworkId: readonly string[];
    agentId: readonly string[];
    role: ReadonlyArray<string | null>;
    haystack: readonly string[];
  };
  order(sort: TaskSortKey): Uint32Array;
  find(frameworkId: string, taskId: string): IndexedTask | undefined;
}

const SORT_VALUE: Record<TaskSortKey, (row: TaskRow) => string | number> = {
  id: (row) => row.id,
  name: (row) => row.name,
  framework: (row) => row.frameworkName ?? row.frameworkId,
  role: (row) => row.role ?? '',
  state: (row) => row.state,
  health: (row) => (row.healthy === null ? 0 : row.healthy ? 2 : 1),
  host: (row) => row.agentHostname ?? '',
  agent: (row) => row.agentId,
  start: (row) => row.startTime ?? 0,
  finish: (row) => row.finishTime ?? 0,
  cpus: (row) => row.resources.cpus,
  mem: (row) => row.resources.mem,
  disk: (row) => row.resources.disk,
};

export const TASK_SORT_KEYS = Object.keys(SORT_VALUE) as TaskSortKey[];

const indexes = new WeakMap<ClusterSnapshot, TaskIndex>();

/** The task index of a snapshot, built on first use. */
export function taskIndex(snapshot: ClusterSnapshot): TaskIndex {
  let index = indexes.get(snapshot);
  if (!index) {
    index = buildTaskIndex(snapshot);
    indexes.set(snapshot, index);
  }
  return index;
}

function buildTaskIndex(snapshot: ClusterSnapshot): TaskIndex {
  const rows: IndexedTask[] = [];
  // The snapshot's rows were built from the frameworks in this same order; walk them in step to pair each
  // row with its raw task.
  const raw: Record<TaskGroup, Array<{ task: Task; framework: Framework | undefined }>> = {
    active: [],
    unreachable: [],
    completed: [],
  };
  const { state } = snapshot;
  for (const framework of state.frameworks) {
    for (const task of framework.tasks) raw.active.push({ task, framework });
    for (const task of framework.unreachable_tasks) raw.unreachable.push({ task, framework });
    for (const task of framework.completed_tasks) raw.completed.push({ task, framework });
  }
  for (const framework of state.completed_frameworks) {
    for (const task of framework.completed_tasks) raw.completed.push({ task, framework });
    for (const task of framework.tasks) raw.completed.push({ task, framework });
  }
  for (const task of state.orphan_tasks ?? []) raw.active.push({ task, framework: undefined });

  const byKey = new Map<string, IndexedTask>();
  for (const group of ['active', 'unreachable', 'completed'] as const) {
    const groupRows = snapshot.tasks[group];
    groupRows.forEach((row, position) => {
      const source = raw[group][position];
      if (!source || source.task.id !== row.id) return;
      const idLower = row.id.toLowerCase();
      const nameLower = row.name.toLowerCase();
      const entry: IndexedTask = {
        row,
        group,
        task: source.task,
        framework: source.framework,
        idLower,
        nameLower,
        haystack: [
          idLower,
          nameLower,
          row.frameworkId,
          row.frameworkName,
          row.agentHostname,
          row.agentId,
          row.role,
        ]
          .filter(Boolean)
          .join('\n')
          .toLowerCase(),
      };
      rows.push(entry);
      const key = taskKey(row.frameworkId, row.id);
      const existing = byKey.get(key);
      // A relaunched task id can be both active and completed: groups come live first, so the live one wins;
      // within a group the later (more recent) one does.
      if (!existing || existing.group === group) byKey.set(key, entry);
    });
  }

  const orders = new Map<TaskSortKey, Uint32Array>();
  return {
    rows,
    columns: {
      group: rows.map((entry) => entry.group),
      state: rows.map((entry) => entry.row.state),
      frameworkId: rows.map((entry) => entry.row.frameworkId),
      agentId: rows.map((entry) => entry.row.agentId),
      role: rows.map((entry) => entry.row.role),
      haystack: rows.map((entry) => entry.haystack),
    },
    order(sort) {
      let order = orders.get(sort);
      if (!order) {
        order = sortedOrder(rows, SORT_VALUE[sort]);
        orders.set(sort, order);
      }
      return order;
    },
    find: (frameworkId, taskId) => byKey.get(taskKey(frameworkId, taskId)),
  };
}

function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

function sortedOrder(rows: readonly IndexedTask[], value: (row: TaskRow) => string | number): Uint32Array {
  const keys = rows.map((entry) => value(entry.row));
  const order = Uint32Array.from(rows.keys());
  order.sort((a, b) => {
    const left = keys[a] as string | number;
    const right = keys[b] as string | number;
    if (left < right) return -1;
    if (left > right) return 1;
    const idA = (rows[a] as IndexedTask).row.id;
    const idB = (rows[b] as IndexedTask).row.id;
    return idA < idB ? -1 : idA > idB ? 1 : a - b;
  });
  return order;
}
