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
  /** `id`, `name`, state, framework, agent and role, lowercased, for the text filter. */
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

const indexes = new WeakMap<ClusterSnapshot, TaskIndex>();

/** Lowercased text and key of a row, kept across snapshots that share the row (stream-fed snapshots do). */
const rowText = new WeakMap<TaskRow, { idLower: string; nameLower: string; haystack: string; key: string }>();
/** Index entries by row, reused while the row's task, framework and group are the same objects. */
const entries = new WeakMap<TaskRow, IndexedTask>();

function textOf(row: TaskRow): { idLower: string; nameLower: string; haystack: string } {
  let text = rowText.get(row);
  if (!text) {
    const idLower = row.id.toLowerCase();
    const nameLower = row.name.toLowerCase();
    const haystack = [
      idLower,
      nameLower,
      // "failed" finds TASK_FAILED, as the state column reads.
      row.state,
      row.frameworkId,
      row.frameworkName,
      row.agentHostname,
      row.agentId,
      row.role,
    ]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    text = { idLower, nameLower, haystack, key: taskKey(row.frameworkId, row.id) };
    rowText.set(row, text);
  }
  return { idLower: text.idLower, nameLower: text.nameLower, haystack: text.haystack };
}

function keyOf(row: TaskRow): string {
  return rowText.get(row)?.key ?? taskKey(row.frameworkId, row.id);
}

/**
 * The last index built and its sorted orders: the next snapshot usually shares most rows with it, so its
 * orders are the previous ones minus what left plus the (few) new rows merged in, not a fresh sort.
 */
let previous: { rows: readonly IndexedTask[]; orders: Map<TaskSortKey, Uint32Array> } | null = null;
/** When a query last asked for an index. */
let lastUsedAt = 0;

/** The orders of the Overview's active and completed tables, by start and by finish. */
const FIRST_SORTS: readonly TaskSortKey[] = ['start', 'finish'];

/** How recently the index must have been used for a new snapshot's index to be built ahead of requests. */
const WARM_WHILE_USED_MS = 30_000;

/**
 * Builds a new snapshot's index (and the orders queries used on the last one) ahead of the first request,
 * but only while someone uses the index: with snapshots every second, the first query of each would
 * otherwise pay for it.
 */
export function prewarmTaskIndex(snapshot: ClusterSnapshot, now = Date.now()): void {
  const last = previous;
  if (indexes.has(snapshot)) return;
  if (!last) {
    // The first snapshot: sort once for the Overview's tables, so that whoever opens it first (minutes later,
    // on a new snapshot) gets an update of these orders instead of a full sort of every task.
    const index = indexOf(snapshot);
    for (const sort of FIRST_SORTS) index.order(sort);
    return;
  }
  if (now - lastUsedAt > WARM_WHILE_USED_MS) return;
  const sorts = [...last.orders.keys()];
  const index = indexOf(snapshot);
  for (const sort of sorts) index.order(sort);
}

/** The task index of a snapshot, built on first use. */
export function taskIndex(snapshot: ClusterSnapshot): TaskIndex {
  lastUsedAt = Date.now();
  return indexOf(snapshot);
}

function indexOf(snapshot: ClusterSnapshot): TaskIndex {
  let index = indexes.get(snapshot);
  if (!index) {
    index = buildTaskIndex(snapshot);
    indexes.set(snapshot, index);
  }
  return index;
}

function buildTaskIndex(snapshot: ClusterSnapshot): TaskIndex {
  const rows: IndexedTask[] = [];
  const byKey = new Map<string, IndexedTask>();
  const { state } = snapshot;
  // The snapshot's rows were built from the frameworks in this same order; walk them in step to pair each
  // row with its raw task, one group after the other.
  const add = (group: TaskGroup, position: number, task: Task, framework: Framework | undefined) => {
    const row = snapshot.tasks[group][position];
    if (!row || task.id !== row.id) return;
    let entry = entries.get(row);
    if (!entry || entry.task !== task || entry.framework !== framework || entry.group !== group) {
      entry = { row, group, task, framework, ...textOf(row) };
      entries.set(row, entry);
    }
    rows.push(entry);
    const key = keyOf(row);
    const existing = byKey.get(key);
    // A relaunched task id can be both active and completed: groups come live first, so the live one wins;
    // within a group the later (more recent) one does.
    if (!existing || existing.group === group) byKey.set(key, entry);
  };
  let position = 0;
  for (const framework of state.frameworks) {
    for (const task of framework.tasks) add('active', position++, task, framework);
  }
  for (const task of state.orphan_tasks ?? []) add('active', position++, task, undefined);
  position = 0;
  for (const framework of state.frameworks) {
    for (const task of framework.unreachable_tasks) add('unreachable', position++, task, framework);
  }
  position = 0;
  for (const framework of state.frameworks) {
    for (const task of framework.completed_tasks) add('completed', position++, task, framework);
  }
  for (const framework of state.completed_frameworks) {
    for (const task of framework.completed_tasks) add('completed', position++, task, framework);
    for (const task of framework.tasks) add('completed', position++, task, framework);
  }

  const orders = new Map<TaskSortKey, Uint32Array>();
  let positions: Map<TaskRow, number> | null = null;
  const positionOf = () => {
    if (!positions) {
      positions = new Map();
      for (let i = 0; i < rows.length; i++) positions.set((rows[i] as IndexedTask).row, i);
    }
    return positions;
  };
  const before = previous;
  previous = { rows, orders };
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
        const earlier = before?.orders.get(sort);
        order =
          before && earlier
            ? updatedOrder(before.rows, earlier, rows, SORT_VALUE[sort], positionOf())
            : sortedOrder(rows, SORT_VALUE[sort]);
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

function compareBy(rows: readonly IndexedTask[], value: (row: TaskRow) => string | number) {
  const keys = rows.map((entry) => value(entry.row));
  return (a: number, b: number): number => {
    const left = keys[a] as string | number;
    const right = keys[b] as string | number;
    if (left < right) return -1;
    if (left > right) return 1;
    const idA = (rows[a] as IndexedTask).row.id;
    const idB = (rows[b] as IndexedTask).row.id;
    return idA < idB ? -1 : idA > idB ? 1 : a - b;
  };
}

function sortedOrder(rows: readonly IndexedTask[], value: (row: TaskRow) => string | number): Uint32Array {
  return Uint32Array.from(rows.keys()).sort(compareBy(rows, value));
}

/**
 * The order of `rows` from the order of an earlier index: rows both share (same row object, so the same sort
 * value) keep their relative order, rows that left are dropped, and the new rows are sorted and merged in:
 * O(n + k log k) for k new rows instead of O(n log n).
 */
function updatedOrder(
  earlierRows: readonly IndexedTask[],
  earlierOrder: Uint32Array,
  rows: readonly IndexedTask[],
  value: (row: TaskRow) => string | number,
  position: ReadonlyMap<TaskRow, number>,
): Uint32Array {
  const kept: number[] = [];
  const seen = new Uint8Array(rows.length);
  for (const i of earlierOrder) {
    const at = position.get((earlierRows[i] as IndexedTask).row);
    if (at !== undefined && seen[at] === 0) {
      kept.push(at);
      seen[at] = 1;
    }
  }
  const compare = compareBy(rows, value);
  const added: number[] = [];
  for (let i = 0; i < rows.length; i++) if (seen[i] === 0) added.push(i);
  added.sort(compare);
  const order = new Uint32Array(rows.length);
  let a = 0;
  let b = 0;
  for (let out = 0; out < order.length; out++) {
    const takeKept =
      b >= added.length || (a < kept.length && compare(kept[a] as number, added[b] as number) <= 0);
    order[out] = takeKept ? (kept[a++] as number) : (added[b++] as number);
  }
  return order;
}
