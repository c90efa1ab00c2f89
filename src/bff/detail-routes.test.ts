/**
 * The framework, agent, executor, offers, roles and maintenance views over the local cluster's `parity`
 * scenario: an agent in every state, an unreachable agent, reservations, quota, weights and maintenance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../cluster';
import type { LocalCluster } from '../cluster';
import type {
  AgentDetailView,
  AgentFrameworkView,
  DepartedAgentView,
  ExecutorView,
  FrameworkDetailView,
  MaintenanceView,
  OffersView,
  RolesView,
} from './schemas/detail-views';
import type { AgentsPage, AgentsView, OverviewView, SearchResults } from './schemas/views';
import type { WallView } from './schemas/wall';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { eventually } from '../testing/eventually';

let cluster: LocalCluster;
let bff: TestBff;

async function get<T>(url: string, status = 200): Promise<T> {
  const response = await bff.app.inject({ method: 'GET', url });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(status);
  return response.json<T>();
}

/** Re-polls the cluster before each reading (it runs real processes and real timeouts) until `check` passes. */
function afterPoll<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  return eventually(
    async () => {
      await bff.poller.pollOnce();
      return read();
    },
    check,
    15_000,
  );
}

const byId = (id: string) => encodeURIComponent(id);

beforeAll(async () => {
  cluster = await startCluster({ agents: 2, scenario: 'parity' });
  bff = await buildTestBff([cluster.masterUrl]);
  await bff.poller.pollOnce();
}, 60_000);

afterAll(async () => {
  await bff?.close();
  await cluster?.close();
});

describe('detail views over the parity scenario', () => {
  it('agents: Active, Draining, Drained and Deactivated, and the unreachable one the master no longer lists', async () => {
    const overview = await afterPoll(
      () => get<OverviewView>('/api/overview'),
      (view) => view.agents.unreachable === 1,
    );
    expect(overview.agents).toEqual({ activated: 2, deactivated: 3, unreachable: 1 });
    expect(overview.tasks.unreachable).toBe(1);
    const agents = await get<AgentsView>('/api/agents');
    expect(agents.agents.map((agent) => agent.state)).toEqual([
      'Active',
      'Active',
      'Draining',
      'Drained',
      'Deactivated',
      'Unreachable',
    ]);
    await get(`/api/agents/no-such-agent`, 404);
  });

  it('the unreachable agent: listed with since when, its own page with what ran there, found, on the wall', async () => {
    const lost = cluster.agents.at(-1);
    const id = lost?.id ?? '';
    const page = await get<AgentsPage>(`/api/agents?q=${byId(id)}&limit=10`);
    expect(page.rows).toEqual([
      expect.objectContaining({
        id,
        hostname: lost?.hostname,
        state: 'Unreachable',
        departedTime: expect.any(Number),
      }),
    ]);
    const view = await get<DepartedAgentView>(`/api/agents/${byId(id)}`);
    expect(view).toMatchObject({
      departed: true,
      agentId: id,
      hostname: lost?.hostname,
      state: 'Unreachable',
    });
    expect(view.since).toBeGreaterThanOrEqual(view.lastSeen ?? Infinity);
    expect(view.total).toMatchObject({ cpus: 4 });
    expect(view.tasks.map((task) => [task.name, task.state]).sort()).toEqual([
      ['ChronosTask:partitioned-job', 'TASK_LOST'],
      ['partitioned-web', 'TASK_UNREACHABLE'],
    ]);
    const search = await get<SearchResults>(`/api/search?q=${byId(id)}&limit=5`);
    expect(search.agents).toEqual([expect.objectContaining({ id, detail: 'Unreachable' })]);
    const wall = await get<WallView>('/api/wall');
    expect(wall.agentCells.find((cell) => cell.id === id)?.status).toBe('unreachable');
    expect(wall.agents.unlisted).toBe(0);

    // A mesoscope started after it left never saw it listed: it knows it from its tasks.
    const late = await buildTestBff([cluster.masterUrl]);
    try {
      await late.poller.pollOnce();
      const known = (await late.app.inject(`/api/agents/${byId(id)}`)).json<DepartedAgentView>();
      // Its hostname, from the master's word on its tasks.
      expect(known).toMatchObject({ departed: true, hostname: lost?.hostname, state: 'Unreachable' });
      expect(known.since).toBeCloseTo(view.since ?? 0, 0);
      const lateWall = (await late.app.inject('/api/wall')).json<WallView>();
      expect(lateWall.agentCells.find((cell) => cell.id === id)?.status).toBe('unreachable');
    } finally {
      await late.close();
    }
  });

  it('a draining agent: drain settings, estimated end, and a task still being killed', async () => {
    const draining = cluster.agents[2];
    const view = await get<AgentDetailView>(`/api/agents/${byId(draining?.id ?? '')}`);
    expect(view.state).toBe('Draining');
    expect(view.drain?.state).toBe('DRAINING');
    expect(view.drain?.maxGracePeriodSecs).toBe(3600);
    expect(view.drain?.estimatedDrainEnd).toBe((view.drain?.estimatedDrainStart ?? 0) + 3600);
    expect(view.tasks?.killing).toBe(1);
    expect(view.frameworks.map((framework) => framework.name)).toEqual(['marathon']);
  });

  it('an agent: reservations per role, resource providers, and used CPUs as a rate', async () => {
    const first = cluster.agents[0];
    const burner = await cluster.control.launchTask({
      framework: 'burner',
      name: 'burn',
      cmd: 'while :; do :; done',
      cpus: 0.5,
      agentId: first?.id,
    });
    try {
      const view = await afterPoll(
        () => get<AgentDetailView>(`/api/agents/${byId(first?.id ?? '')}`),
        (v) => v.frameworks.some((f) => f.name === 'burner' && (f.used.cpus ?? 0) > 0.1),
      );
      const burnerRow = view.frameworks.find((framework) => framework.name === 'burner');
      expect(burnerRow?.used.cpus).toBeGreaterThan(0.1);
      expect(burnerRow?.used.cpus).toBeLessThan(1.5);
      expect(view.resources.used.cpus).toBeGreaterThanOrEqual(burnerRow?.used.cpus ?? 0);
      const marathon = view.reservations.find((row) => row.role === 'marathon');
      expect(marathon?.reserved).toMatchObject({ cpus: 1, mem: 1024, disk: 2000 });
      expect(view.reservations[0]).toMatchObject({ role: null, reserved: { cpus: 3, mem: 7168 } });
      expect(view.resourceProviders).toEqual([
        { id: `${first?.id}-rp-lvm`, name: 'lvm', type: 'org.apache.mesos.rp.local.storage', disk: 102400 },
      ]);
      const executors = await get<AgentFrameworkView>(
        `/api/agents/${byId(first?.id ?? '')}/frameworks/${byId(burner.frameworkId)}`,
      );
      expect(executors.executors.map((executor) => executor.id)).toEqual([burner.executorId]);
      expect(executors.executors[0]?.directory).toBe(burner.directory);
      const executor = await get<ExecutorView>(
        `/api/agents/${byId(first?.id ?? '')}/frameworks/${byId(burner.frameworkId)}/executors/${byId(burner.executorId)}`,
      );
      expect(executor.tasks.map((task) => [task.id, task.state, task.cpus.allocated])).toEqual([
        [burner.taskId, 'TASK_RUNNING', 0.5],
      ]);
      expect(executor.tasks[0]?.sandbox).toBe(burner.directory);
    } finally {
      await cluster.control.killTask(burner.taskId);
    }
  });

  it('a framework: counters over active, unreachable and completed tasks; allocated and offered', async () => {
    const snapshot = bff.poller.snapshot;
    const marathon = snapshot?.state.frameworks.find((framework) => framework.name === 'marathon');
    const view = await get<FrameworkDetailView>(`/api/frameworks/${byId(marathon?.id ?? '')}`);
    const all = [
      ...(marathon?.tasks ?? []),
      ...(marathon?.unreachable_tasks ?? []),
      ...(marathon?.completed_tasks ?? []),
    ];
    expect(view.tasks.running).toBe(all.filter((task) => task.state === 'TASK_RUNNING').length);
    expect(view.tasks.unreachable).toBe(1);
    expect(view.tasks.killing).toBe(1);
    expect(view.allocated.cpus).toBeCloseTo(marathon?.used_resources?.cpus ?? -1, 9);
    expect(view.terminated).toBe(false);
    const spark = snapshot?.state.completed_frameworks.find((framework) => framework.name === 'spark-pi');
    expect((await get<FrameworkDetailView>(`/api/frameworks/${byId(spark?.id ?? '')}`)).terminated).toBe(
      true,
    );
  });

  it('offers: what the master lists, with role, framework and host', async () => {
    await bff.poller.pollOnce();
    const state = bff.poller.snapshot?.state;
    const view = await get<OffersView>('/api/offers');
    const expected = (state?.frameworks ?? []).flatMap((framework) =>
      framework.offers.map((offer) => [offer.id, framework.name, offer.allocation_info?.role]),
    );
    expect(view.offers.map((offer) => [offer.id, offer.frameworkName, offer.role])).toEqual(expected);
    for (const offer of view.offers) expect(offer.agentHostname).toBe('127.0.0.1');
  });

  it('roles and maintenance, read from the leader', async () => {
    const roles = await get<RolesView>('/api/roles');
    const marathon = roles.roles.find((role) => role.name === 'marathon');
    expect(marathon?.weight).toBe(2);
    expect(marathon?.frameworks.map((framework) => framework.name)).toEqual(['marathon']);
    expect(marathon?.reserved).toMatchObject({ cpus: 1, mem: 1024, disk: 2000 });
    expect(marathon?.quota.guarantee).toEqual({ cpus: 1, gpus: null, mem: 512, disk: null });
    expect(marathon?.quota.limit).toEqual({ cpus: 4, gpus: null, mem: 4096, disk: 20000 });
    const maintenance = await get<MaintenanceView>('/api/maintenance');
    expect(maintenance.windows).toHaveLength(2);
    expect(maintenance.down.map((machine) => machine.label)).toEqual(['retired-1.mesoscope.local']);
    const local = maintenance.draining[0];
    expect(local?.machine.agents).toHaveLength(5);
    expect(local?.statuses.find((s) => s.frameworkName === 'marathon')?.status).toBe('ACCEPT');
  });

  it('keeps the last good reading of an agent that stops answering, and says why', async () => {
    const second = cluster.agents[1];
    const url = `/api/agents/${byId(second?.id ?? '')}`;
    const before = await get<AgentDetailView>(url);
    expect(before.problem).toBeNull();
    void cluster.control.makeAgentUnreachable(second?.id ?? '', { afterMs: 60_000 });
    const after = await afterPoll(
      () => get<AgentDetailView>(url),
      (view) => view.problem !== null,
    );
    expect(after.problem).toMatch(/refused the connection|could not be reached|closed the connection/);
    expect(after.fetchedAt).toBe(before.fetchedAt);
    expect(after.frameworks.map((framework) => framework.id)).toEqual(before.frameworks.map((f) => f.id));
  });
});
