import { describe, expect, it } from 'vitest';
import type { MasterState, Task } from '../../mesos';
import { parseMasterState } from '../../mesos';
import type { TaskRow, TaskSortKey } from '../schemas/views';
import { buildSnapshot } from './cluster-snapshot';
import { TASK_SORT_KEYS } from '../schemas/sort-keys';
import { TaskModel, taskIndex } from './task-index';
import type { IndexedTask } from './task-index';
import type { SortedView } from './sorted-chunks';

function task(i: number, state = 'TASK_RUNNING', start = 1_700_000_000 + ((i * 7919) % 5000)): Task {
  return {
    id: `app-${i % 13}.${i}`,
    name: `app-${i % 13}`,
    framework_id: `fw-${i % 3}`,
    executor_id: '',
    slave_id: `agent-${i % 7}`,
    state,
    role: `role-${i % 4}`,
    resources: { cpus: (i % 5) / 2, gpus: 0, mem: 64 * (i % 9), disk: 0 },
    statuses: [{ state, timestamp: start }],
  };
}

function state(tasks: Task[], completed: Task[]): MasterState {
  return parseMasterState({
    version: '1.11.0',
    id: 'm',
    pid: 'master@127.0.0.1:5050',
    hostname: 'm',
    slaves: Array.from({ length: 7 }, (_, i) => ({ id: `agent-${i}`, hostname: `host-${i}`, resources: {} })),
    frameworks: [0, 1, 2].map((f) => ({
      id: `fw-${f}`,
      name: `framework-${f}`,
      tasks: tasks.filter((t) => t.framework_id === `fw-${f}`),
      completed_tasks: completed.filter((t) => t.framework_id === `fw-${f}`),
    })),
  });
}

/** Rows in the order of a sorted view. */
function ordered(order: SortedView<IndexedTask>): string[] {
  return order.chunks.flat().map(({ row }) => `${row.frameworkId}/${row.id}/${row.state}`);
}

/** Rows sorted from scratch: by the column, then id. */
function fullSort(rows: readonly TaskRow[], sort: TaskSortKey): string[] {
  const value = (row: TaskRow) => SORT_VALUE[sort](row);
  return [...rows]
    .sort((a, b) => {
      const left = value(a);
      const right = value(b);
      if (left !== right) return left < right ? -1 : 1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    })
    .map((row) => `${row.frameworkId}/${row.id}/${row.state}`);
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

describe('the task index over snapshots that share rows', () => {
  it('orders the next snapshot exactly like a fresh sort, though it only merges what changed', () => {
    const model = new TaskModel();
    const live = Array.from({ length: 2_000 }, (_, i) => task(i));
    const done = Array.from({ length: 500 }, (_, i) => task(10_000 + i, 'TASK_FINISHED'));
    const first = buildSnapshot(
      { version: 1, fetchedAt: 1, leaderUrl: 'x', state: state(live, done), metrics: null },
      model,
    );
    const firstIndex = taskIndex(first);
    for (const sort of TASK_SORT_KEYS) firstIndex.order(sort);

    // Some tasks end, some start, the rest are the very same objects.
    const ended = live.slice(0, 40).map((t) => ({
      ...t,
      state: 'TASK_FAILED',
      statuses: [...t.statuses, { state: 'TASK_FAILED', timestamp: 1_800_000_000 }],
    }));
    const nextLive = [
      ...live.slice(40),
      ...Array.from({ length: 40 }, (_, i) => task(20_000 + i, 'TASK_STAGING', 1_750_000_000 + i)),
    ];
    const second = buildSnapshot(
      {
        version: 2,
        fetchedAt: 2,
        leaderUrl: 'x',
        state: state(nextLive, [...done, ...ended]),
        metrics: null,
      },
      model,
    );
    const incremental = taskIndex(second);
    // A fresh index of an equal snapshot, built with no earlier index to lean on.
    const fresh = buildSnapshot({
      version: 3,
      fetchedAt: 3,
      leaderUrl: 'x',
      state: state(nextLive, [...done, ...ended]),
      metrics: null,
    });
    const freshIndex = taskIndex(fresh);
    for (const sort of TASK_SORT_KEYS) {
      expect(ordered(incremental.order(sort)), sort).toEqual(ordered(freshIndex.order(sort)));
      expect(ordered(incremental.order(sort)), sort).toEqual(
        fullSort(
          freshIndex.all().map((e) => e.row),
          sort,
        ),
      );
    }
    const rows = incremental.all();
    expect(rows[0]?.haystack).toContain(rows[0]?.row.id.toLowerCase());
    // The text filter reads the state too: "failed" finds the FAILED tasks.
    for (const entry of rows) expect(entry.haystack).toContain(entry.row.state.toLowerCase());
  });
});
