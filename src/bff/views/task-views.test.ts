import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../../mesos';
import { fixture, rawFixture, type Raw } from '../../mesos/test-fixtures';
import { buildSnapshot } from '../model/cluster-snapshot';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { taskIndex } from '../model/task-index';
import { taskDetailView } from './task-detail-view';
import { taskFacetsView, taskPageView, topFacets } from './task-page-view';

const MASTER_STATES = [
  'v0.19-mesos-cli/master-state.json',
  'v0.22.0-datadog/master-state.json',
  'v0.27.1-capgemini/master-state.json',
  'mesos-docs/endpoint-help/master-state.json',
];
const CAPGEMINI = 'v0.27.1-capgemini/master-state.json';

function snapshotOf(name: string): ClusterSnapshot {
  return buildSnapshot({
    version: 1,
    fetchedAt: 0,
    leaderUrl: 'http://master:5050',
    state: parseMasterState(fixture(name)),
    metrics: null,
  });
}

interface RawTask {
  task: Raw;
  framework: Raw | undefined;
  group: 'active' | 'unreachable' | 'completed';
}

/** Every task of a raw state, computed straight from the JSON (not through the code under test). */
function rawTasks(raw: Raw): RawTask[] {
  const out: RawTask[] = [];
  for (const framework of raw.frameworks ?? []) {
    for (const task of framework.tasks ?? []) out.push({ task, framework, group: 'active' });
    for (const task of framework.unreachable_tasks ?? []) out.push({ task, framework, group: 'unreachable' });
    for (const task of framework.completed_tasks ?? []) out.push({ task, framework, group: 'completed' });
  }
  for (const framework of raw.completed_frameworks ?? []) {
    for (const task of [...(framework.completed_tasks ?? []), ...(framework.tasks ?? [])]) {
      out.push({ task, framework, group: 'completed' });
    }
  }
  for (const task of raw.orphan_tasks ?? []) out.push({ task, framework: undefined, group: 'active' });
  return out;
}

const all = { group: 'all' as const, offset: 0, limit: 500 };

describe.each(MASTER_STATES)('the Tasks page over %s', (name) => {
  const snapshot = snapshotOf(name);
  const raw = rawTasks(rawFixture(name));

  it('indexes every task of the state, each in its group', async () => {
    const rows = taskIndex(snapshot).all();
    expect(rows).toHaveLength(raw.length);
    for (const group of ['active', 'unreachable', 'completed'] as const) {
      expect(rows.filter((row) => row.group === group)).toHaveLength(
        raw.filter((t) => t.group === group).length,
      );
    }
    expect((await taskPageView(snapshot, all)).total).toBe(raw.length);
  });

  it('filters by state, framework, agent and role, alone and together', async () => {
    const states = [...new Set(raw.map((t) => t.task.state as string))];
    for (const state of states) {
      const page = await taskPageView(snapshot, { ...all, states: [state] });
      expect(page.total).toBe(raw.filter((t) => t.task.state === state).length);
      expect(page.rows.every((row) => row.state === state)).toBe(true);
    }
    const frameworkIds = [...new Set(raw.map((t) => t.task.framework_id as string))];
    for (const framework of frameworkIds) {
      expect((await taskPageView(snapshot, { ...all, framework })).total).toBe(
        raw.filter((t) => t.task.framework_id === framework).length,
      );
    }
    const agentIds = [...new Set(raw.map((t) => t.task.slave_id as string))];
    for (const agent of agentIds) {
      expect((await taskPageView(snapshot, { ...all, agent })).total).toBe(
        raw.filter((t) => t.task.slave_id === agent).length,
      );
    }
    const first = raw[0];
    if (first) {
      const both = await taskPageView(snapshot, {
        ...all,
        states: [String(first.task.state).replace('TASK_', '').toLowerCase()],
        agent: first.task.slave_id,
      });
      expect(both.total).toBe(
        raw.filter((t) => t.task.state === first.task.state && t.task.slave_id === first.task.slave_id)
          .length,
      );
    }
  });

  it('filters by role: the task role, else the framework’s', async () => {
    const roleOf = (t: RawTask): string | null =>
      t.task.role ?? t.framework?.roles?.[0] ?? t.framework?.role ?? null;
    for (const role of new Set(raw.map(roleOf))) {
      if (role === null) continue;
      expect((await taskPageView(snapshot, { ...all, role })).total).toBe(
        raw.filter((t) => roleOf(t) === role).length,
      );
    }
  });

  it('finds tasks by any part of their ID or name, ignoring case', async () => {
    for (const { task } of raw.slice(0, 10)) {
      const needle = String(task.id).slice(-6).toUpperCase();
      const page = await taskPageView(snapshot, { ...all, q: needle });
      expect(page.rows.map((row) => row.id)).toContain(task.id);
    }
  });

  it('sorts by every column in both orders, and pages without gaps or repeats', async () => {
    for (const sort of ['id', 'name', 'state', 'host', 'start', 'cpus', 'mem'] as const) {
      const asc = (await taskPageView(snapshot, { ...all, sort, order: 'asc' })).rows;
      const desc = (await taskPageView(snapshot, { ...all, sort, order: 'desc' })).rows;
      expect(desc.map((r) => r.id)).toEqual(asc.map((r) => r.id).reverse());
    }
    const byName = (await taskPageView(snapshot, { ...all, sort: 'name', order: 'asc' })).rows.map(
      (r) => r.name,
    );
    expect(byName).toEqual([...byName].sort());
    const pageSize = 7;
    const paged = [];
    for (let offset = 0; offset < raw.length; offset += pageSize) {
      paged.push(
        ...(await taskPageView(snapshot, { ...all, sort: 'id', order: 'asc', offset, limit: pageSize })).rows,
      );
    }
    expect(paged.map((r) => r.id)).toEqual(
      (await taskPageView(snapshot, { ...all, sort: 'id', order: 'asc' })).rows.map((r) => r.id),
    );
  });

  it('pages a group read straight from its order exactly as a filtered walk pages it', async () => {
    const everyState = [...new Set(raw.map((t) => t.task.state as string))];
    for (const group of ['active', 'unreachable', 'completed'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        for (const offset of [0, 1, 3]) {
          const query = { group, order, sort: 'start' as const, offset, limit: 2 };
          // Filtering on every state there is keeps every task, but takes the walk.
          const walked = await taskPageView(snapshot, { ...query, states: everyState });
          const direct = await taskPageView(snapshot, query);
          expect(direct.total).toBe(raw.filter((t) => t.group === group).length);
          expect(direct).toEqual(walked);
        }
      }
    }
  });

  it('counts the facets the filters offer', () => {
    const facets = taskFacetsView(snapshot);
    expect(facets.total).toBe(raw.length);
    expect(facets.states.reduce((n, f) => n + f.count, 0)).toBe(raw.length);
    expect(facets.agents.reduce((n, f) => n + f.count, 0)).toBe(raw.length);
    expect(facets.omitted).toEqual({ frameworks: 0, agents: 0, roles: 0 });
  });

  it('finds every task for its page, with its statuses and resources', () => {
    for (const { task } of raw) {
      const detail = taskDetailView(snapshot, task.framework_id, task.id);
      expect(detail?.row.id).toBe(task.id);
      expect(detail?.statuses.map((s) => s.state)).toEqual((task.statuses ?? []).map((s: Raw) => s.state));
      expect(detail?.resources['cpus']).toBe(task.resources?.cpus ?? 0);
    }
    expect(taskDetailView(snapshot, 'no-such-framework', 'x')).toBeNull();
  });
});

describe('the task page of a Docker task (0.27 fixture)', () => {
  it('shows its container, ports, IP and Mesos-DNS names', () => {
    const snapshot = snapshotOf(CAPGEMINI);
    const raw = rawTasks(rawFixture(CAPGEMINI)).find(
      (t) => t.task.name === 'qa-mailhog' && t.group === 'active',
    );
    expect(raw).toBeDefined();
    const { task, framework } = raw as RawTask;
    const detail = taskDetailView(snapshot, task.framework_id, task.id);
    expect(detail?.container?.image).toBe(task.container.docker.image);
    expect(detail?.container?.portMappings.map((m) => m.hostPort)).toEqual(
      task.container.docker.port_mappings.map((m: Raw) => m.host_port),
    );
    const [begin, end] = String(task.resources.ports).match(/\d+/g)?.map(Number) ?? [];
    expect(detail?.hostPorts[0]).toBe(begin);
    expect(detail?.hostPorts.at(-1)).toBe(end);
    const lastIp = task.statuses.at(-1).container_status.network_infos[0].ip_addresses[0].ip_address;
    expect(detail?.ipAddresses.map((a) => a.ip)).toEqual([lastIp]);
    expect(detail?.dns?.a).toBe(`qa-mailhog.${String(framework?.name).toLowerCase()}.mesos`);
    expect(detail?.labels).toEqual(task.labels);
  });
});

describe('facets of a big cluster', () => {
  it('offers at most a given number of values: those with the most tasks, by label', () => {
    const agents = [
      { value: 'S3', label: 'c.example', count: 5 },
      { value: 'S1', label: 'a.example', count: 1 },
      { value: 'S2', label: 'b.example', count: 9 },
      { value: 'S4', label: 'd.example', count: 2 },
    ];
    expect(topFacets(agents, 2)).toEqual([[agents[2], agents[0]], 2]);
    expect(topFacets(agents, 4)).toEqual([[agents[1], agents[2], agents[0], agents[3]], 0]);
  });
});
