/**
 * Every page's view, built by the BFF from real Mesos JSON (0.19 to 1.x) served by a fixture-serving master
 * and agents, checked against numbers computed here straight from the raw fixture JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AgentDetailView,
  AgentFrameworkView,
  ExecutorView,
  FrameworkDetailView,
  MaintenanceView,
  OffersView,
  RolesView,
} from './schemas/detail-views';
import type { AgentsView, FrameworksView, OverviewView } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { FIXTURE_SETS, readFixture, startFixtureCluster } from './testing/fixture-cluster';
import type { FixtureCluster, FixtureSet, RawJson } from './testing/fixture-cluster';

const MB = 1024 * 1024;
const KINDS = ['cpus', 'gpus', 'mem', 'disk'] as const;

/** cpus/gpus/mem/disk of a raw resources object, 0 where absent. */
const amounts = (raw: RawJson) => Object.fromEntries(KINDS.map((kind) => [kind, Number(raw?.[kind] ?? 0)]));
const sum = (list: RawJson[]) =>
  Object.fromEntries(
    KINDS.map((kind) => [kind, list.reduce((total, raw) => total + Number(raw?.[kind] ?? 0), 0)]),
  );
type Amounts = Partial<Record<(typeof KINDS)[number], number>>;
const closeTo = (actual: Amounts, expected: Amounts) => {
  for (const kind of KINDS) expect(actual[kind], kind).toBeCloseTo(expected[kind] ?? 0, 6);
};
const countStates = (tasks: RawJson[], state: string) => tasks.filter((task) => task.state === state).length;

/** Every set as its version serves it, and the Mesos 0.x sets also as Mesos 0.22 does: `.json` paths only. */
type Variant = [name: string, how: string, set: FixtureSet, options: { servedAs?: '0.22' }];
const VARIANTS: Variant[] = [
  ...FIXTURE_SETS.map((set): Variant => [set.name, 'as is', set, {}]),
  ...FIXTURE_SETS.filter((set) => set.name.startsWith('v0.')).map((set): Variant => [
    set.name,
    'served as by Mesos 0.22',
    set,
    { servedAs: '0.22' },
  ]),
];

describe.each(VARIANTS)('%s through the BFF (%s)', (_name, _how, set, servedAs) => {
  let cluster: FixtureCluster;
  let bff: TestBff;
  const get = async <T>(url: string, status = 200): Promise<T> => {
    const response = await bff.app.inject({ method: 'GET', url });
    expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(status);
    return response.json<T>();
  };

  beforeAll(async () => {
    cluster = await startFixtureCluster(set, servedAs);
    bff = await buildTestBff([cluster.masterUrl]);
    await bff.poller.pollOnce();
  });
  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  it.runIf(servedAs.servedAs === '0.22')(
    'reads /master/state.json after one 404 for /master/state, and only that form from then on',
    async () => {
      await bff.poller.pollOnce();
      await bff.poller.pollOnce();
      expect(bff.poller.status).toMatchObject({ connected: true, lastError: null });
      const reads = cluster.masterRequests.filter((request) => request.startsWith('GET /master/state'));
      expect(reads).toEqual([
        'GET /master/state',
        'GET /master/state.json',
        'GET /master/state.json',
        'GET /master/state.json',
      ]);
    },
  );

  it('overview: agent and task counters and the resources table', async () => {
    const raw = cluster.masterState;
    const view = await get<OverviewView>('/api/overview');
    const activeSlaves = raw.slaves.filter((slave: RawJson) => !slave.deactivated).length;
    expect(view.agents.activated).toBe(raw.activated_slaves ?? activeSlaves);
    expect(view.agents.unreachable).toBe(raw.unreachable_slaves ?? 0);
    const unreachable = raw.frameworks.reduce(
      (n: number, f: RawJson) => n + (f.unreachable_tasks?.length ?? 0),
      0,
    );
    expect(view.tasks.unreachable).toBe(unreachable);
    if (set.masterMetrics) {
      const metrics = readFixture(set.masterMetrics);
      expect(view.tasks.running).toBe(metrics['master/tasks_running'] ?? 0);
      expect(view.tasks.finished).toBe(metrics['master/tasks_finished'] ?? 0);
    } else {
      const active = raw.frameworks.flatMap((f: RawJson) => f.tasks ?? []);
      expect(view.tasks.running).toBe(countStates(active, 'TASK_RUNNING'));
    }
    closeTo(view.resources.total, sum(raw.slaves.map((slave: RawJson) => slave.resources)));
    const offered = sum(
      raw.frameworks.flatMap((f: RawJson) => (f.offers ?? []).map((o: RawJson) => o.resources)),
    );
    // Without offers listed, the Mesos UI falls back to each framework's offered_resources.
    const offeredFallback = sum(
      raw.frameworks.map((f: RawJson) => ((f.offers ?? []).length > 0 ? {} : f.offered_resources)),
    );
    for (const kind of KINDS) {
      expect(view.resources.offered[kind]).toBeCloseTo(
        (offered[kind] ?? 0) + (offeredFallback[kind] ?? 0),
        6,
      );
    }
  });

  it('frameworks: active, inactive and completed, with max share', async () => {
    const raw = cluster.masterState;
    const view = await get<FrameworksView>('/api/frameworks');
    const ids = (list: RawJson[]) => list.map((f) => f.id).sort();
    expect(ids(view.active)).toEqual(ids(raw.frameworks.filter((f: RawJson) => f.active !== false)));
    expect(ids(view.inactive)).toEqual(ids(raw.frameworks.filter((f: RawJson) => f.active === false)));
    expect(ids(view.completed)).toEqual(ids(raw.completed_frameworks ?? []));
    const total = sum(raw.slaves.map((slave: RawJson) => slave.resources));
    for (const row of view.active) {
      const framework = raw.frameworks.find((f: RawJson) => f.id === row.id);
      const used = amounts(framework.used_resources ?? framework.resources);
      const shares = KINDS.filter((kind) => (total[kind] ?? 0) > 0).map(
        (kind) => (used[kind] ?? 0) / (total[kind] ?? 1),
      );
      expect(row.maxShare).toBeCloseTo(Math.min(1, Math.max(0, ...shares)), 9);
      expect(row.activeTasks).toBe(framework.tasks.length);
      expect(row.roles).toEqual(framework.roles ?? (framework.role === undefined ? [] : [framework.role]));
    }
  });

  it('framework detail: task counters, allocated and offered; unknown ids are 404', async () => {
    const raw = cluster.masterState;
    for (const framework of [...raw.frameworks, ...(raw.completed_frameworks ?? [])]) {
      const view = await get<FrameworkDetailView>(`/api/frameworks/${encodeURIComponent(framework.id)}`);
      const tasks = [
        ...(framework.tasks ?? []),
        ...(framework.unreachable_tasks ?? []),
        ...(framework.completed_tasks ?? []),
      ];
      expect(view.tasks.running).toBe(countStates(tasks, 'TASK_RUNNING'));
      expect(view.tasks.finished).toBe(countStates(tasks, 'TASK_FINISHED'));
      expect(view.tasks.failed).toBe(countStates(tasks, 'TASK_FAILED'));
      expect(view.tasks.killed).toBe(countStates(tasks, 'TASK_KILLED'));
      expect(view.tasks.lost).toBe(countStates(tasks, 'TASK_LOST'));
      closeTo(view.allocated, amounts(framework.used_resources ?? framework.resources));
      expect(view.terminated).toBe((raw.completed_frameworks ?? []).includes(framework));
    }
    const missing = await get<{ message: string }>('/api/frameworks/no-such-framework', 404);
    expect(missing.message).toBe('No framework found with ID: no-such-framework');
  });

  it('agents: state and Allocated / Total per agent', async () => {
    const view = await get<AgentsView>('/api/agents');
    expect(view.agents.map((agent) => agent.id)).toEqual(
      cluster.masterState.slaves.map((s: RawJson) => s.id),
    );
    for (const row of view.agents) {
      const slave = cluster.masterState.slaves.find((s: RawJson) => s.id === row.id);
      expect(row.state).toBe(slave.deactivated ? 'Deactivated' : 'Active');
      closeTo(row.total, amounts(slave.resources));
      closeTo(row.allocated, amounts(slave.used_resources));
    }
  });

  it('agent detail: allocated, available, used and task counters from the agent itself', async () => {
    for (const [agentId, raw] of cluster.agentStates) {
      const view = await get<AgentDetailView>(`/api/agents/${encodeURIComponent(agentId)}`);
      const executors = raw.frameworks.flatMap((f: RawJson) => f.executors ?? []);
      const allocated = sum(executors.map((e: RawJson) => e.resources));
      closeTo(view.resources.allocated, allocated);
      closeTo(view.resources.total, amounts(raw.resources));
      for (const kind of KINDS) {
        expect(view.resources.available[kind]).toBeCloseTo(
          (amounts(raw.resources)[kind] ?? 0) - (allocated[kind] ?? 0),
          6,
        );
      }
      const fixture = set.agents.find((agent) => readFixture(agent.state).id === agentId);
      if (fixture?.monitor) {
        const monitor: RawJson[] = readFixture(fixture.monitor);
        const rss = monitor.reduce((total, entry) => total + (entry.statistics.mem_rss_bytes ?? 0), 0);
        expect(view.resources.used.mem).toBeCloseTo(rss / MB, 6);
        // The fixture serves the same sample twice: no time passes between them, so there is no CPU rate.
        expect(view.resources.used.cpus).toBeNull();
      } else {
        expect(view.resources.used).toEqual({ cpus: null, mem: null, disk: null });
      }
      if (fixture?.metrics) {
        const metrics = readFixture(fixture.metrics);
        expect(view.tasks?.running).toBe(metrics['slave/tasks_running'] ?? 0);
        expect(view.tasks?.finished).toBe(metrics['slave/tasks_finished'] ?? 0);
      } else {
        expect(view.tasks).toBeNull();
      }
      expect(view.frameworks.map((f) => f.id)).toEqual(raw.frameworks.map((f: RawJson) => f.id));
      for (const row of view.frameworks) {
        const framework = raw.frameworks.find((f: RawJson) => f.id === row.id);
        const frameworkExecutors: RawJson[] = framework.executors ?? [];
        expect(row.activeTasks).toBe(frameworkExecutors.reduce((n, e) => n + (e.tasks?.length ?? 0), 0));
        closeTo(row.allocated, sum(frameworkExecutors.map((e) => e.resources)));
      }
      expect(view.logAvailable).toBe(Boolean(raw.log_dir || raw.external_log_file));
      expect(view.reservations[0]?.role).toBeNull();
      closeTo(view.reservations[0]?.reserved ?? {}, amounts(raw.unreserved_resources ?? raw.resources));
    }
  });

  it('agents without fixture data answer a clear 502, unknown agents a 404', async () => {
    for (const slave of cluster.masterState.slaves) {
      if (cluster.agentStates.has(slave.id)) continue;
      const error = await get<{ message: string }>(`/api/agents/${encodeURIComponent(slave.id)}`, 502);
      expect(error.message).toMatch(/refused the connection/);
    }
    const missing = await get<{ message: string }>('/api/agents/no-such-agent', 404);
    expect(missing.message).toBe('No agent found with ID: no-such-agent');
  });

  it('agent → framework → executor: counts, allocation and task sandboxes', async () => {
    for (const [agentId, raw] of cluster.agentStates) {
      for (const framework of raw.frameworks) {
        const base = `/api/agents/${encodeURIComponent(agentId)}/frameworks/${encodeURIComponent(framework.id)}`;
        const view = await get<AgentFrameworkView>(base);
        expect(view.executors.map((e) => e.id)).toEqual(framework.executors.map((e: RawJson) => e.id));
        for (const executor of framework.executors) {
          const row = view.executors.find((e) => e.id === executor.id);
          expect(row?.activeTasks).toBe(executor.tasks?.length ?? 0);
          expect(row?.queuedTasks).toBe(executor.queued_tasks?.length ?? 0);
          expect(row?.directory).toBe(executor.directory);
          closeTo(row?.allocated ?? {}, amounts(executor.resources));
          const detail = await get<ExecutorView>(`${base}/executors/${encodeURIComponent(executor.id)}`);
          expect(detail.tasks.map((t) => t.id)).toEqual((executor.tasks ?? []).map((t: RawJson) => t.id));
          for (const [index, task] of (executor.tasks ?? []).entries()) {
            const taskRow = detail.tasks[index];
            expect(taskRow?.cpus.allocated).toBeCloseTo(Number(task.resources?.cpus ?? 0), 9);
            expect(taskRow?.mem.allocated).toBeCloseTo(Number(task.resources?.mem ?? 0), 9);
            expect(taskRow?.state).toBe(task.state);
            expect(taskRow?.sandbox).toBe(
              executor.type === 'DEFAULT' ? `${executor.directory}/tasks/${task.id}` : executor.directory,
            );
          }
        }
        await get(`${base}/executors/no-such-executor`, 404);
      }
      await get(`/api/agents/${encodeURIComponent(agentId)}/frameworks/no-such-framework`, 404);
    }
  });

  it('offers: one row per outstanding offer', async () => {
    const view = await get<OffersView>('/api/offers');
    const raw: RawJson[] = cluster.masterState.frameworks.flatMap((f: RawJson) => f.offers ?? []);
    expect(view.offers.map((offer) => offer.id)).toEqual(raw.map((offer) => offer.id));
  });

  it('roles: weight, frameworks, allocated and quota from /master/roles', async () => {
    const view = await get<RolesView>('/api/roles');
    if (!set.roles) {
      expect(view.supported).toBe(false);
      return;
    }
    const raw = readFixture(set.roles);
    expect(view.roles.map((role) => role.name)).toEqual(raw.roles.map((role: RawJson) => role.name));
    for (const [index, role] of raw.roles.entries()) {
      const row = view.roles[index];
      expect(row?.weight).toBe(role.weight);
      expect(row?.frameworks.map((f) => f.id)).toEqual(role.frameworks);
      closeTo(row?.allocated ?? {}, amounts(role.allocated ?? role.resources));
      expect(row?.quota.limit.cpus).toBe(role.quota?.limit?.cpus ?? null);
      expect(row?.quota.consumed.mem).toBe(role.quota?.consumed?.mem ?? null);
    }
    expect(view.allocatedIncludesOffered).toBe(raw.roles.some((role: RawJson) => !role.allocated));
  });

  it('maintenance: windows from the schedule, draining and down machines from the status', async () => {
    const view = await get<MaintenanceView>('/api/maintenance');
    if (!set.maintenanceSchedule || !set.maintenanceStatus) {
      expect(view.supported).toBe(false);
      return;
    }
    const schedule = readFixture(set.maintenanceSchedule);
    const status = set.maintenanceStatus();
    expect(view.windows).toHaveLength(schedule.windows.length);
    for (const [index, window] of schedule.windows.entries()) {
      const start = window.unavailability.start.nanoseconds / 1e9;
      expect(view.windows[index]?.startTime).toBeCloseTo(start, 3);
      expect(view.windows[index]?.endTime).toBeCloseTo(
        start + window.unavailability.duration.nanoseconds / 1e9,
        3,
      );
      expect(view.windows[index]?.machines.map((m) => m.label)).toEqual(
        window.machine_ids.map((m: RawJson) => m.hostname || m.ip),
      );
    }
    expect(view.draining.map((d) => d.machine.label)).toEqual(
      status.draining_machines.map((m: RawJson) => m.id.hostname || m.id.ip),
    );
    expect(view.down).toHaveLength(status.down_machines?.length ?? 0);
  });
});
