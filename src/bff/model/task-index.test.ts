import { describe, expect, it } from 'vitest';
import type { MasterState, Task } from '../../mesos';
import { parseMasterState } from '../../mesos';
import type { TaskRow, TaskSortKey } from '../schemas/views';
import { RowCache, buildSnapshot } from './cluster-snapshot';
import { TASK_SORT_KEYS } from '../schemas/sort-keys';
import { taskIndex } from './task-index';

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

/** Row ids in the order a full sort gives. */
function fullSort(rows: readonly TaskRow[], sort: TaskSortKey, order: Uint32Array): string[] {
  return [...order].map((i) => `${rows[i]?.frameworkId}/${rows[i]?.id}/${rows[i]?.state}`);
}

describe('the task index over snapshots that share rows', () => {
  it('orders the next snapshot exactly like a fresh sort, though it only merges what changed', () => {
    const rowCache = new RowCache();
    const live = Array.from({ length: 2_000 }, (_, i) => task(i));
    const done = Array.from({ length: 500 }, (_, i) => task(10_000 + i, 'TASK_FINISHED'));
    const first = buildSnapshot(
      { version: 1, fetchedAt: 1, leaderUrl: 'x', state: state(live, done), metrics: null },
      rowCache,
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
      rowCache,
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
      const rows = incremental.rows.map((e) => e.row);
      const freshRows = freshIndex.rows.map((e) => e.row);
      expect(fullSort(rows, sort, incremental.order(sort)), sort).toEqual(
        fullSort(freshRows, sort, freshIndex.order(sort)),
      );
    }
    expect(incremental.rows[0]?.haystack).toContain(incremental.rows[0]?.row.id.toLowerCase());
    // The text filter reads the state too: "failed" finds the FAILED tasks.
    for (const entry of incremental.rows) expect(entry.haystack).toContain(entry.row.state.toLowerCase());
  });
});
