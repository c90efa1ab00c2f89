import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScaleCluster } from '../../cluster';
import type { ScaleCluster } from '../../cluster';
import type { AgentsPage, AgentsView, FrameworksPage, FrameworksView } from '../schemas/views';
import type { TestBff } from '../test-support';
import { buildTestBff } from '../test-support';

let cluster: ScaleCluster;
let bff: TestBff;

beforeAll(async () => {
  cluster = await startScaleCluster({ scenario: 'small', churn: 'off', seed: 11 });
  bff = await buildTestBff([cluster.masterUrl]);
  await bff.poller.pollOnce();
}, 60_000);
afterAll(async () => {
  await bff?.close();
  await cluster?.close();
});

const get = <T>(url: string) =>
  bff.app.inject({ url }).then((r) => ({ status: r.statusCode, body: r.json<T>() }));

describe('agents and frameworks, paged on the server', () => {
  it('pages, sorts and filters the agents', async () => {
    const { body } = await get<AgentsPage>('/api/agents?sort=host&order=desc&offset=10&limit=20');
    expect(body.total).toBe(100);
    expect(body.rows).toHaveLength(20);
    const natural = new Intl.Collator('en', { numeric: true }).compare;
    const all = cluster.sim.agents
      .map((a) => a.hostname)
      .sort(natural)
      .reverse();
    expect(body.rows.map((r) => r.hostname)).toEqual(all.slice(10, 30));

    const agent = cluster.sim.agents[42]!;
    const filtered = await get<AgentsPage>(
      `/api/agents?q=${encodeURIComponent(agent.hostname.toUpperCase())}`,
    );
    expect(filtered.body.rows.map((r) => r.id)).toEqual([agent.id]);
    expect(filtered.body.total).toBe(1);
    expect(filtered.body.unfiltered).toBe(100);

    const busiest = await get<AgentsPage>('/api/agents?sort=cpus&order=desc&limit=1');
    const share = (a: { used: { cpus: number }; resources: { cpus: number } }) =>
      a.used.cpus / a.resources.cpus;
    const top = busiest.body.rows[0]!;
    expect(top.allocated.cpus / top.total.cpus).toBe(Math.max(...cluster.sim.agents.map(share)));
  });

  it('sorts hostnames as people read them: ip-10-0-0-2 before ip-10-0-0-10', async () => {
    const { body } = await get<AgentsPage>('/api/agents?sort=host&order=asc&limit=20');
    const hosts = body.rows.map((r) => r.hostname);
    const two = hosts.findIndex((h) => /-0-0-2\./.test(h));
    const ten = hosts.findIndex((h) => /-0-0-10\./.test(h));
    expect(two).toBeGreaterThanOrEqual(0);
    expect(ten).toBeGreaterThan(two);
  });

  it('pages each frameworks table on its own', async () => {
    const active = await get<FrameworksPage>(
      '/api/frameworks?group=active&sort=activeTasks&order=desc&limit=5',
    );
    expect(active.body.group).toBe('active');
    expect(active.body.total).toBe(20);
    const counts = active.body.rows.map((r) => r.activeTasks);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const completed = await get<FrameworksPage>('/api/frameworks?group=completed&limit=50');
    expect(completed.body.total).toBe(5);
    expect(completed.body.rows.every((r) => !r.active)).toBe(true);
  });

  it('still answers the whole list without paging parameters, and refuses bad ones', async () => {
    expect((await get<AgentsView>('/api/agents')).body.agents).toHaveLength(100);
    expect((await get<FrameworksView>('/api/frameworks')).body.active).toHaveLength(20);
    expect((await get('/api/agents?limit=100000')).status).toBe(400);
    expect((await get('/api/frameworks?group=bogus')).status).toBe(400);
    expect((await get('/api/agents?sort=a;b')).status).toBe(400);
  });
});
