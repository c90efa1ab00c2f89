import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMasterState } from '../mesos';
import { buildSnapshot } from './model/cluster-snapshot';
import { TaskModel } from './model/task-index';
import type { ClusterPoller } from './reading/cluster-poller';
import { registerViewRoutes } from './routes/view-routes';
import type { SearchResults, TaskFacets, TaskPage } from './schemas/views';

const TASKS = 3_000;
const SLICE = 10;

/** A master state of `TASKS` tasks over 4 frameworks and 30 agents. */
function state() {
  return parseMasterState({
    version: '1.11.0',
    id: 'm',
    pid: 'master@127.0.0.1:5050',
    hostname: 'm',
    slaves: Array.from({ length: 30 }, (_, i) => ({
      id: `agent-${i}`,
      hostname: `host-${i}`,
      resources: {},
    })),
    frameworks: [0, 1, 2, 3].map((f) => ({
      id: `fw-${f}`,
      name: `framework-${f}`,
      role: `role-${f}`,
      tasks: Array.from({ length: TASKS / 4 }, (_, n) => {
        const i = n * 4 + f;
        return {
          id: `task-${i}`,
          name: `app-${i % 11}`,
          framework_id: `fw-${f}`,
          executor_id: '',
          slave_id: `agent-${i % 30}`,
          state: 'TASK_RUNNING',
          resources: { cpus: 0.5, mem: 64, disk: 0 },
          statuses: [{ state: 'TASK_RUNNING', timestamp: 1_700_000_000 + i }],
        };
      }),
    })),
  });
}

describe('a first-time filter over HTTP, walked in slices', () => {
  const model = new TaskModel({ count: 48, held: 1_000_000, slice: SLICE });
  const snapshot = buildSnapshot(
    { version: 1, fetchedAt: 1, leaderUrl: 'http://m', state: state(), metrics: null },
    model,
  );
  const poller = { snapshot, status: { lastError: null } } as unknown as ClusterPoller;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    app = Fastify();
    registerViewRoutes(app, poller);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers other requests while it walks, then the filter itself', async () => {
    const done: string[] = [];
    const ask = async <T>(name: string, path: string) => {
      const response = await fetch(`${base}${path}`);
      const body = (await response.json()) as T;
      done.push(name);
      return body;
    };
    const slicesBefore = model.selectionStats.slices;
    const search = ask<TaskPage>('search', '/api/tasks?group=all&q=app-3&sort=name&limit=5');
    const facets = ask<TaskFacets>('facets', '/api/tasks/facets');
    const [page, counts] = await Promise.all([search, facets]);
    expect(done).toEqual(['facets', 'search']);
    expect(counts.total).toBe(TASKS);
    // app-3 names the tasks i % 11 === 3: their ids, by name then id.
    const matching = Array.from({ length: TASKS }, (_, i) => i).filter((i) => i % 11 === 3);
    expect(page.total).toBe(matching.length);
    expect(page.rows.map((row) => row.id)).toEqual(
      matching
        .map((i) => `task-${i}`)
        .sort()
        .reverse()
        .slice(0, 5),
    );
    expect(model.selectionStats.slices - slicesBefore).toBe(TASKS / SLICE);
  });

  it('walks once for identical requests asked together, the header search’s included', async () => {
    const scansBefore = model.selectionStats.scans;
    const path = '/api/tasks?group=all&q=task-1&sort=start&limit=3';
    const [pages, search] = await Promise.all([
      Promise.all([1, 2, 3].map(() => fetch(`${base}${path}`).then((r) => r.json() as Promise<TaskPage>))),
      fetch(`${base}/api/search?q=task-1`).then((r) => r.json() as Promise<SearchResults>),
    ]);
    const matching = Array.from({ length: TASKS }, (_, i) => `task-${i}`).filter((id) =>
      id.includes('task-1'),
    );
    for (const page of pages) expect(page.total).toBe(matching.length);
    expect(search.totals.task).toBe(matching.length);
    expect(model.selectionStats.scans - scansBefore).toBe(1);
  });
});
