import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../../mesos';
import type { Raw } from '../../mesos/test-fixtures';
import type { TaskGroup, TaskSortKey } from '../schemas/views';
import { TASK_SORT_KEYS } from '../schemas/sort-keys';
import { buildSnapshot } from './cluster-snapshot';
import { diffPolledState } from './polled-changes';
import { TaskModel, taskIndex } from './task-index';
import type { IndexedTask, TaskIndex } from './task-index';
import type { TaskFilter } from './task-selections';
import { NO_FILTER } from './task-selections';
import { random } from './test-stream-events';
import { nextTurn } from './turns';

const T = 1_700_000_000;
const STATES = ['TASK_STAGING', 'TASK_RUNNING', 'TASK_RUNNING', 'TASK_KILLING'];
const TERMINAL = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST'];
const GROUPS: Array<TaskGroup | null> = [null, 'active', 'completed'];

/** A polled master state as JSON: `tasks` tasks over 6 frameworks and 9 agents, some of them completed. */
function rawState(tasks: number, next: () => number): Raw {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const frameworks = Array.from({ length: 6 }, (_, f) => ({
    id: `fw-${f}`,
    name: `framework-${f}`,
    role: `role-${f % 3}`,
    tasks: [] as Raw[],
    completed_tasks: [] as Raw[],
  }));
  for (let n = 0; n < tasks; n += 1) {
    const framework = pick(frameworks);
    const done = next() < 0.3;
    framework[done ? 'completed_tasks' : 'tasks'].push(
      taskJson(`task-${n}`, framework.id, done ? pick(TERMINAL) : pick(STATES), next),
    );
  }
  return {
    version: '1.11.0',
    id: 'master',
    pid: 'master@10.0.0.1:5050',
    leader: 'master@10.0.0.1:5050',
    hostname: 'm1',
    slaves: Array.from({ length: 9 }, (_, i) => ({ id: `agent-${i}`, hostname: `host-${i}`, resources: {} })),
    frameworks,
    completed_frameworks: [],
    orphan_tasks: [],
  };
}

function taskJson(id: string, frameworkId: string, state: string, next: () => number): Raw {
  const n = Math.floor(next() * 1_000);
  return {
    id,
    name: `app-${n % 7}`,
    framework_id: frameworkId,
    executor_id: '',
    slave_id: `agent-${n % 9}`,
    state,
    resources: { cpus: (n % 4) / 2, mem: 32 * (n % 7), disk: 0 },
    statuses: [{ state, timestamp: T + n }],
  };
}

/** Random inserts and removes: tasks start, change state, end, are forgotten; agents and frameworks renamed. */
function change(raw: Raw, next: () => number, step: number): void {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const framework = pick(raw.frameworks as Raw[]);
  const roll = next();
  if (roll < 0.3 && framework.tasks.length > 0) {
    const at = Math.floor(next() * framework.tasks.length);
    const task = framework.tasks[at];
    const state = pick([...STATES, ...TERMINAL]);
    task.state = state;
    task.statuses = [...task.statuses, { state, timestamp: T + 10_000 + step }];
    if (TERMINAL.includes(state)) {
      framework.tasks.splice(at, 1);
      framework.completed_tasks.push(task);
    }
  } else if (roll < 0.6) {
    framework.tasks.push(taskJson(`new-${step}`, framework.id, pick(STATES), next));
  } else if (roll < 0.8 && framework.completed_tasks.length > 0) {
    framework.completed_tasks.splice(Math.floor(next() * framework.completed_tasks.length), 1);
  } else if (roll < 0.87) {
    framework.name = `framework-${Math.floor(next() * 9)}`;
  } else if (roll < 0.93) {
    framework.role = `role-${Math.floor(next() * 4)}`;
  } else {
    pick(raw.slaves as Raw[]).hostname = `host-${Math.floor(next() * 12)}`;
  }
}

/** A random filter of the Tasks page: a group, some states, a framework, agent, role and text, or none. */
function randomFilter(next: () => number): TaskFilter {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const maybe = <T>(value: () => T): T | null => (next() < 0.35 ? value() : null);
  const states = maybe(() => [...new Set([pick([...STATES, ...TERMINAL]), pick(TERMINAL)])].sort());
  return {
    group: pick(GROUPS),
    states,
    framework: maybe(() => `fw-${Math.floor(next() * 7)}`),
    agent: maybe(() => `agent-${Math.floor(next() * 10)}`),
    role: maybe(() => `role-${Math.floor(next() * 4)}`),
    needle: next() < 0.5 ? '' : pick(['app-3', 'host-1', 'failed', 'task-1', 'framework-2', 'new', 'zzz']),
  };
}

/** A filter stated plainly, over a task's row and nothing the index made. */
function plainly(entry: IndexedTask, filter: TaskFilter): boolean {
  const { row } = entry;
  const text = [row.id, row.name, row.state, row.frameworkId, row.frameworkName, row.agentHostname]
    .concat(row.agentId, row.role ?? [])
    .map((field) => (field ?? '').toLowerCase());
  return (
    (filter.group === null || entry.group === filter.group) &&
    (filter.states === null || filter.states.includes(row.state)) &&
    (filter.framework === null || row.frameworkId === filter.framework) &&
    (filter.agent === null || row.agentId === filter.agent) &&
    (filter.role === null || row.role === filter.role) &&
    (filter.needle === '' || text.some((field) => field.includes(filter.needle)))
  );
}

function lines(entries: Iterable<IndexedTask>): string[] {
  return [...entries].map(
    (e) => `${e.group}/${e.row.frameworkId}/${e.row.id}/${e.row.state}/${e.row.agentHostname}/${e.row.role}`,
  );
}

/** Every task of an index that a filter keeps, in the order of `sort`, found by a walk over all of them. */
function expected(index: TaskIndex, filter: TaskFilter, sort: TaskSortKey): string[] {
  return lines(
    index
      .order(sort)
      .chunks.flat()
      .filter((entry) => plainly(entry, filter)),
  );
}

/** A model fed random polled states, with the index of each publish and a fresh index of the same state. */
function polledCluster(seed: number, tasks: number, slice: number) {
  const next = random(seed);
  const raw = rawState(tasks, next);
  const model = new TaskModel({ count: 12, held: 100_000, slice });
  let version = 0;
  let previous = parseMasterState(structuredClone(raw));
  let index = taskIndex(
    buildSnapshot(
      { version: ++version, fetchedAt: 0, leaderUrl: 'x', state: previous, metrics: null },
      model,
    ),
  );
  return {
    next,
    model,
    get index() {
      return index;
    },
    /** A few random changes, published as the next poll; answers the fresh index of that poll. */
    poll(changes: number): TaskIndex {
      for (let k = 0; k < changes; k += 1) change(raw, next, version * 100 + k);
      const state = parseMasterState(structuredClone(raw));
      diffPolledState(previous, state);
      previous = state;
      const input = { fetchedAt: version, leaderUrl: 'x', metrics: null };
      index = taskIndex(buildSnapshot({ ...input, state, version: ++version }, model));
      const fresh = parseMasterState(structuredClone(raw));
      return taskIndex(buildSnapshot({ ...input, state: fresh, version: ++version }));
    },
  };
}

describe('filters over the task model, picked from facet lists and a slice at a time', () => {
  it.each([1, 2, 3])(
    'equal a plain filter of every task after random inserts and removes, whatever they start from (seed %i)',
    async (seed) => {
      const cluster = polledCluster(seed, 400, 16);
      const { next } = cluster;
      // Asked again and again, so that kept selections (updated with every change) and narrowing are read too.
      const asks = Array.from({ length: 16 }, () => ({
        filter: randomFilter(next),
        sort: TASK_SORT_KEYS[Math.floor(next() * TASK_SORT_KEYS.length)] as TaskSortKey,
      }));
      for (let step = 0; step < 40; step += 1) {
        const fresh = cluster.poll(1 + Math.floor(next() * 6));
        for (let q = 0; q < 6; q += 1) {
          const { filter, sort } = asks[Math.floor(next() * asks.length)] as (typeof asks)[number];
          const label = JSON.stringify([filter, sort]);
          const sliced = await cluster.index.selectInSlices(filter, sort);
          expect(lines(sliced.chunks.flat()), label).toEqual(expected(fresh, filter, sort));
        }
      }
      expect(cluster.model.selectionStats.scans).toBeGreaterThan(0);
    },
  );

  it.each([4, 5, 6])(
    'answer each asker with its own snapshot’s tasks and keep up with the model when polls land during a walk (seed %i)',
    async (seed) => {
      const cluster = polledCluster(seed, 600, 20);
      const { next } = cluster;
      for (let round = 0; round < 8; round += 1) {
        const asked: Array<{ answer: ReturnType<TaskIndex['selectInSlices']>; want: string[] }> = [];
        const filters = Array.from({ length: 4 }, () => randomFilter(next));
        const sort = TASK_SORT_KEYS[Math.floor(next() * TASK_SORT_KEYS.length)] as TaskSortKey;
        let fresh = cluster.poll(3);
        for (let poll = 0; poll < 4; poll += 1) {
          // The same filters asked of every snapshot while the first walk goes on: they join it.
          for (const filter of filters) {
            asked.push({
              answer: cluster.index.selectInSlices(filter, sort),
              want: expected(fresh, filter, sort),
            });
          }
          await nextTurn();
          fresh = cluster.poll(1 + Math.floor(next() * 8));
        }
        for (const { answer, want } of asked) expect(lines((await answer).chunks.flat())).toEqual(want);
        // What is kept now follows the model: the newest snapshot reads it at once.
        for (const filter of filters) {
          expect(lines(cluster.index.select(filter, sort).chunks.flat())).toEqual(
            expected(fresh, filter, sort),
          );
        }
      }
    },
  );
});

describe('a filter asked the first time of many tasks', () => {
  it('looks at them a slice at a time, and other work runs between slices before it answers', async () => {
    const cluster = polledCluster(7, 2_000, 100);
    const before = { ...cluster.model.selectionStats };
    let answered = false;
    const answer = cluster.index.selectInSlices({ ...NO_FILTER, needle: 'app-' }, 'name').then((view) => {
      answered = true;
      return view;
    });
    // What arrives meanwhile (a request, a socket read) waits at most a slice.
    const between = await new Promise<boolean>((resolve) => setImmediate(() => resolve(answered)));
    expect(between).toBe(false);
    const view = await answer;
    expect(view.size).toBe(2_000);
    const stats = cluster.model.selectionStats;
    expect(stats.scans - before.scans).toBe(1);
    // Every task once, 100 a slice.
    expect(stats.slices - before.slices).toBe(20);
  });

  it('is walked once for identical asks, and not again once kept', async () => {
    const cluster = polledCluster(8, 1_000, 50);
    const filter = { ...NO_FILTER, needle: 'task-' };
    const first = cluster.index.selectInSlices(filter, 'start');
    const second = cluster.index.selectInSlices(filter, 'start');
    // A newer snapshot's ask while the walk goes on joins it too.
    await nextTurn();
    const fresh = cluster.poll(5);
    const third = cluster.index.selectInSlices(filter, 'start');
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(b).toBe(a);
    expect(lines(c.chunks.flat())).toEqual(expected(fresh, filter, 'start'));
    expect(cluster.model.selectionStats.scans).toBe(1);
    await cluster.index.selectInSlices(filter, 'start');
    cluster.poll(3);
    await cluster.index.selectInSlices(filter, 'start');
    expect(cluster.model.selectionStats.scans).toBe(1);
  });

  it('starts from the tasks of its framework or state when those are fewer: no walk over every task', async () => {
    const cluster = polledCluster(9, 3_000, 100);
    const { facets } = cluster.index;
    const framework = [...facets.frameworks.keys()][0] as string;
    const rare = [...facets.states].sort((a, b) => a[1] - b[1])[0]?.[0] as string;
    const before = { ...cluster.model.selectionStats };
    for (const filter of [
      { ...NO_FILTER, states: [rare] },
      { ...NO_FILTER, framework, needle: 'app-1' },
    ]) {
      const view = await cluster.index.selectInSlices(filter, 'cpus');
      expect(lines(view.chunks.flat())).toEqual(expected(cluster.index, filter, 'cpus'));
    }
    // Each had a few hundred candidates at most, far from a slice's worth per tenth of the cluster.
    expect(cluster.model.selectionStats.slices - before.slices).toBeLessThanOrEqual(2 * 6);
  });
});
