/**
 * The Tasks page, the task page, search, metrics and flags, built by the BFF from real Mesos JSON (0.19 to 1.x)
 * served by a fixture-serving master, and checked against what the raw fixture JSON says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMetrics, parseMetricsSnapshot } from '../mesos';
import type { MasterFlagsView, SearchResults, TaskDetailView, TaskFacets, TaskPage } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { FIXTURE_SETS, readFixture, startFixtureCluster } from './testing/fixture-cluster';
import type { FixtureCluster, RawJson } from './testing/fixture-cluster';

type Group = 'active' | 'unreachable' | 'completed';

/** Every task of a raw master state with its group, straight from the JSON. */
function rawTasks(state: RawJson): Array<{ task: RawJson; group: Group }> {
  const out: Array<{ task: RawJson; group: Group }> = [];
  for (const framework of state.frameworks ?? []) {
    for (const task of framework.tasks ?? []) out.push({ task, group: 'active' });
    for (const task of framework.unreachable_tasks ?? []) out.push({ task, group: 'unreachable' });
    for (const task of framework.completed_tasks ?? []) out.push({ task, group: 'completed' });
  }
  for (const framework of state.completed_frameworks ?? []) {
    for (const task of [...(framework.completed_tasks ?? []), ...(framework.tasks ?? [])]) {
      out.push({ task, group: 'completed' });
    }
  }
  for (const task of state.orphan_tasks ?? []) out.push({ task, group: 'active' });
  return out;
}

/** Labels as Mesos writes them on a task: `[{key, value}]`, or `{labels: [...]}` from some writers. */
const labelsOf = (raw: RawJson): RawJson[] => (Array.isArray(raw) ? raw : (raw?.labels ?? []));

describe.each(FIXTURE_SETS.map((set) => [set.name, set] as const))(
  '%s: tasks, search, metrics, flags',
  (_n, set) => {
    let cluster: FixtureCluster;
    let bff: TestBff;
    const get = async <T>(url: string, status = 200): Promise<T> => {
      const response = await bff.app.inject({ method: 'GET', url });
      expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(status);
      return response.json<T>();
    };

    beforeAll(async () => {
      cluster = await startFixtureCluster(set);
      bff = await buildTestBff([cluster.masterUrl]);
      await bff.poller.pollOnce();
    });
    afterAll(async () => {
      await bff?.close();
      await cluster?.close();
    });

    it('Tasks page: every task, each group, and each state filter', async () => {
      const raw = rawTasks(cluster.masterState);
      const all = await get<TaskPage>('/api/tasks?group=all&limit=500');
      expect(all.total).toBe(raw.length);
      for (const group of ['active', 'unreachable', 'completed'] as const) {
        const page = await get<TaskPage>(`/api/tasks?group=${group}&limit=1`);
        expect(page.total, group).toBe(raw.filter((t) => t.group === group).length);
      }
      for (const state of new Set(raw.map((t) => String(t.task.state)))) {
        const page = await get<TaskPage>(`/api/tasks?group=all&state=${state}&limit=500`);
        expect(page.total, state).toBe(raw.filter((t) => t.task.state === state).length);
      }
      const facets = await get<TaskFacets>('/api/tasks/facets');
      expect(facets.total).toBe(raw.length);
      for (const facet of facets.frameworks) {
        expect(facet.count).toBe(raw.filter((t) => t.task.framework_id === facet.value).length);
      }
    });

    it('task page: every task, with its statuses, resources and labels', async () => {
      for (const { task, group } of rawTasks(cluster.masterState)) {
        const url = `/api/tasks/${encodeURIComponent(task.framework_id)}/${encodeURIComponent(task.id)}`;
        const detail = await get<TaskDetailView>(url);
        expect(detail.row.name).toBe(task.name);
        // A task id can be both completed and active in one framework (a relaunch); the live one is shown.
        if (group === 'active') expect(detail.group).toBe('active');
        const statuses = detail.group === group ? (task.statuses ?? []) : detail.statuses;
        expect(detail.statuses.map((s) => s.state)).toEqual(statuses.map((s: RawJson) => s.state));
        expect(detail.resources['cpus'] ?? 0).toBeCloseTo(Number(task.resources?.cpus ?? 0), 6);
        if (detail.group === group) {
          expect(detail.labels.map((l) => l.key)).toEqual(labelsOf(task.labels).map((l: RawJson) => l.key));
        }
      }
      await get(`/api/tasks/${encodeURIComponent('no-such-framework')}/x`, 404);
    });

    it('search: a task by its ID, an agent by its hostname', async () => {
      for (const { task } of rawTasks(cluster.masterState).slice(0, 5)) {
        const results = await get<SearchResults>(`/api/search?q=${encodeURIComponent(task.id)}`);
        expect(results.tasks[0]).toMatchObject({ id: task.id });
      }
      const agent = cluster.masterState.slaves[0];
      if (agent) {
        const results = await get<SearchResults>(
          `/api/search?q=${encodeURIComponent(agent.hostname)}&limit=20`,
        );
        expect(results.agents.map((hit) => hit.id)).toContain(agent.id);
      }
    });

    it('metrics: every key of the master snapshot, grouped by prefix', async () => {
      if (!set.masterMetrics) return;
      const raw = readFixture(set.masterMetrics) as Record<string, unknown>;
      const response = await bff.app.inject({ method: 'GET', url: '/mesos/metrics/snapshot' });
      expect(response.statusCode).toBe(200);
      const groups = groupMetrics(parseMetricsSnapshot(response.json()));
      const keys = groups.flatMap((group) => group.metrics.map((metric) => metric.key));
      expect(keys.sort()).toEqual(
        Object.keys(raw)
          .filter((key) => typeof raw[key] === 'number')
          .sort(),
      );
    });

    it('flags: the master flags from its state', async () => {
      const view = await get<MasterFlagsView>('/api/flags');
      const raw = cluster.masterState.flags;
      if (raw === undefined) expect(view.flags).toBeNull();
      else
        expect(view.flags).toEqual(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)])));
    });
  },
);
