import { describe, expect, it } from 'vitest';
import type { MasterState, Task } from '../../mesos';
import { parseMasterState } from '../../mesos';
import type { TaskSortKey } from '../schemas/views';
import { buildSnapshot } from './cluster-snapshot';
import { TASK_SORT_KEYS } from '../schemas/sort-keys';
import { TaskModel, taskIndex } from './task-index';
import { containsText } from './task-selections';
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
    resources: { cpus: (i % 5) / 2, gpus: 0, mem: 64 * (i % 9), disk: 100 * (i % 4) },
    // Some report their health, healthy or not.
    statuses: [{ state, timestamp: start, ...(i % 3 === 0 ? {} : { healthy: i % 3 === 1 }) }],
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

/**
 * What each column shows of a task this test made, read from the task's own JSON (and the names `state`
 * gives its frameworks and agents), apart from the code under test.
 */
const SHOWN: Record<TaskSortKey, (task: Task) => string | number> = {
  id: (t) => t.id,
  name: (t) => t.name,
  framework: (t) => `framework-${t.framework_id.slice('fw-'.length)}`,
  role: (t) => t.role ?? '',
  state: (t) => t.state,
  // Unknown health first, then unhealthy, then healthy.
  health: (t) => {
    const healthy = t.statuses.at(-1)?.healthy;
    return healthy === undefined ? 0 : healthy ? 2 : 1;
  },
  host: (t) => `host-${t.slave_id.slice('agent-'.length)}`,
  agent: (t) => t.slave_id,
  // A task that was terminal from its first status never started: it sorts first.
  start: (t) => (t.statuses.at(0)?.state === 'TASK_FINISHED' ? 0 : (t.statuses.at(0)?.timestamp ?? 0)),
  // Only a terminal task has finished, at its last status.
  finish: (t) =>
    t.state === 'TASK_RUNNING' || t.state === 'TASK_STAGING' ? 0 : (t.statuses.at(-1)?.timestamp ?? 0),
  cpus: (t) => t.resources?.['cpus'] ?? 0,
  mem: (t) => t.resources?.['mem'] ?? 0,
  disk: (t) => t.resources?.['disk'] ?? 0,
};

/** Tasks sorted from scratch: by what the column shows, then id. */
function fullSort(tasks: readonly Task[], sort: TaskSortKey): string[] {
  return [...tasks]
    .sort((a, b) => {
      const left = SHOWN[sort](a);
      const right = SHOWN[sort](b);
      if (left !== right) return left < right ? -1 : 1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    })
    .map((t) => `${t.framework_id}/${t.id}/${t.state}`);
}

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
        fullSort([...nextLive, ...done, ...ended], sort),
      );
    }
    const rows = incremental.all();
    expect(containsText(rows[0]!, rows[0]!.row.id.toLowerCase())).toBe(true);
    // The text filter reads the state too: "failed" finds the FAILED tasks.
    for (const entry of rows) expect(containsText(entry, entry.row.state.toLowerCase())).toBe(true);
  });
});
