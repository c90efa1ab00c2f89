/**
 * `npm run bench -- task-queries`: the Tasks page and the header search over a cluster of 100,000 tasks.
 * The baseline, measured in the same run, is what /api/tasks did before the task index: filter, then sort
 * the whole group on every request.
 */
import { performance } from 'node:perf_hooks';
import { parseMasterState } from '../src/mesos';
import { buildSnapshot } from '../src/bff/model/cluster-snapshot';
import type { ClusterSnapshot } from '../src/bff/model/cluster-snapshot';
import { taskIndex } from '../src/bff/model/task-index';
import type { TaskRow } from '../src/bff/schemas/views';
import { searchView } from '../src/bff/views/search-view';
import { taskPageView } from '../src/bff/views/task-page-view';
import type { TaskQuery } from '../src/bff/views/task-page-view';
import type { Bench } from './bench-table';

const STATES = ['TASK_RUNNING', 'TASK_RUNNING', 'TASK_RUNNING', 'TASK_STAGING', 'TASK_KILLING'];
const DONE = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED'];

/** A master state with `tasks` tasks over 10 frameworks and `tasks / 10` agents (deterministic). */
function syntheticState(tasks: number): unknown {
  const agents = Math.max(1, Math.floor(tasks / 10));
  const frameworks = Array.from({ length: 10 }, (_, f) => ({
    id: `fw-${f}`,
    name: `framework-${f}`,
    roles: [`role-${f % 4}`],
    active: true,
    tasks: [] as unknown[],
    completed_tasks: [] as unknown[],
    unreachable_tasks: [] as unknown[],
  }));
  for (let i = 0; i < tasks; i += 1) {
    const framework = frameworks[i % 10] as (typeof frameworks)[number];
    const completed = i % 5 === 0;
    const start = 1_700_000_000 + ((i * 7919) % 1_000_000);
    const state = completed ? (DONE[i % 3] as string) : (STATES[i % 5] as string);
    const task = {
      id: `app-${i % 997}.${i.toString(16).padStart(8, '0')}-7f3c-11ee-b962-0242ac120002`,
      name: `app-${i % 997}`,
      framework_id: framework.id,
      executor_id: '',
      slave_id: `agent-S${i % agents}`,
      state,
      role: framework.roles[0],
      resources: { cpus: 0.1 + (i % 8) / 10, mem: 32 * (1 + (i % 16)), disk: 10, gpus: 0 },
      statuses: completed
        ? [
            { state: 'TASK_RUNNING', timestamp: start },
            { state, timestamp: start + 600 },
          ]
        : [{ state: 'TASK_RUNNING', timestamp: start }],
    };
    (completed ? framework.completed_tasks : framework.tasks).push(task);
  }
  return {
    version: '1.11.0',
    id: 'master-1',
    pid: 'master@10.0.0.1:5050',
    hostname: 'master-1',
    slaves: Array.from({ length: agents }, (_, a) => ({
      id: `agent-S${a}`,
      hostname: `node-${a}.example.com`,
      pid: `slave(1)@10.1.${Math.floor(a / 250)}.${a % 250}:5051`,
      resources: { cpus: 16, mem: 65536, disk: 500000, gpus: 0 },
    })),
    frameworks,
    completed_frameworks: [],
  };
}

/** The pre-index algorithm: filter the group, sort it all, slice a page. */
function naivePage(snapshot: ClusterSnapshot, q: string, state: string | null): TaskRow[] {
  const rows = [...snapshot.tasks.active, ...snapshot.tasks.unreachable, ...snapshot.tasks.completed].filter(
    (row) =>
      (!state || row.state === state) &&
      (!q ||
        [row.id, row.name, row.frameworkId, row.frameworkName, row.agentHostname, row.agentId, row.role]
          .filter(Boolean)
          .join('\n')
          .toLowerCase()
          .includes(q)),
  );
  rows.sort((a, b) => (b.startTime ?? 0) - (a.startTime ?? 0) || (a.id < b.id ? -1 : 1));
  return rows.slice(0, 50);
}

/** Median of `runs` timings of `fn` (until its answer, when it answers later), in ms. */
async function median(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export const taskQueriesBench: Bench = {
  name: 'task-queries',
  description: '/api/tasks pages and /api/search over 100,000 tasks, against filter-and-sort per request',
  async run({ smoke }) {
    const count = smoke ? 5_000 : 100_000;
    const runs = smoke ? 3 : 15;
    const parseStart = performance.now();
    const state = parseMasterState(syntheticState(count));
    const snapshot = buildSnapshot({
      version: 1,
      fetchedAt: Date.now(),
      leaderUrl: 'http://m',
      state,
      metrics: null,
    });
    const parseMs = performance.now() - parseStart;

    const indexStart = performance.now();
    taskIndex(snapshot).order('start');
    const indexMs = performance.now() - indexStart;

    const page = (patch: Partial<TaskQuery>) => () =>
      taskPageView(snapshot, { group: 'all', offset: 0, limit: 50, sort: 'start', order: 'desc', ...patch });
    const cases: Array<{ query: string; indexed: () => unknown; naive: () => unknown }> = [
      {
        query: 'all tasks, newest first, page 1',
        indexed: page({}),
        naive: () => naivePage(snapshot, '', null),
      },
      {
        query: 'state=TASK_RUNNING, page 20',
        indexed: page({ states: ['TASK_RUNNING'], offset: 950 }),
        naive: () => naivePage(snapshot, '', 'TASK_RUNNING'),
      },
      {
        query: 'text "app-42", page 1',
        indexed: page({ q: 'app-42' }),
        naive: () => naivePage(snapshot, 'app-42', null),
      },
    ];
    const rows: Array<Record<string, string | number>> = [
      { step: `parse + snapshot of ${count} tasks (per poll)`, 'mesoscope ms': parseMs },
      { step: 'task index: rows + one sorted order (once per snapshot)', 'mesoscope ms': indexMs },
    ];
    for (const { query, indexed, naive } of cases) {
      const indexedMs = await median(runs, indexed);
      const naiveMs = await median(runs, naive);
      rows.push({
        step: `/api/tasks ${query}`,
        'mesoscope ms': indexedMs,
        'baseline ms': naiveMs,
        'baseline / mesoscope': naiveMs / indexedMs,
      });
    }
    for (const q of ['app-42', 'node-7', 'framework-3', '0000002a-7f3c']) {
      const searchMs = await median(runs, () => searchView(snapshot, q, 5));
      const naiveMs = await median(runs, () => naivePage(snapshot, q, null));
      rows.push({
        step: `/api/search "${q}"`,
        'mesoscope ms': searchMs,
        'baseline ms': naiveMs,
        'baseline / mesoscope': naiveMs / searchMs,
      });
    }
    return {
      title: `Tasks page and search over ${count} tasks (${count / 10} agents, 10 frameworks), median of ${runs}`,
      rows,
      notes: [
        'baseline: filter every task, sort the matches by start time, slice a page (what /api/tasks did before the index)',
        'answers are cached per snapshot and query as well (ETag), so a repeated query costs neither',
      ],
    };
  },
};
