import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { eventually, getJson } from '../test-helpers';
import type { MasterStateJson, TaskJson } from '../test-helpers';

let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startCluster({ masterPort: 0 });
});
afterAll(async () => {
  await cluster?.close();
});

const state = () => getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);

describe('demo cluster master', () => {
  it('has 3 agents and running marathon tasks', async () => {
    const s = await eventually(async () => {
      const current = await state();
      const running = current.frameworks.flatMap((f) => f.tasks).filter((t) => t.state === 'TASK_RUNNING');
      return running.length >= 4 ? current : undefined;
    }, 5000);
    expect(s.slaves).toHaveLength(3);
    expect(s.activated_slaves).toBe(3);
    const marathon = s.frameworks.find((f) => f.name === 'marathon');
    expect(marathon?.tasks.filter((t) => t.name === 'hello')).toHaveLength(2);
    expect(marathon?.tasks[0]?.id).toMatch(/^[a-z]+\.[0-9a-f-]{36}$/);
  });

  it('renders the real master state shape', async () => {
    const s = await state();
    const port = Number(new URL(cluster.masterUrl).port);
    expect(s.version).toBe('1.11.0');
    expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(s.pid).toBe(`master@127.0.0.1:${port}`);
    expect(s.leader).toBe(s.pid);
    expect(s.leader_info).toEqual({ id: s.id, pid: s.pid, port, hostname: '127.0.0.1' });
    expect(s.cluster).toBe('mesoscope-local');
    expect(typeof s.start_time).toBe('number');
    expect(s.orphan_tasks).toEqual([]);
    expect(s.unregistered_frameworks).toEqual([]);
    expect((s.flags as Record<string, string>).work_dir).toBeTruthy();

    for (const [i, agent] of s.slaves.entries()) {
      expect(agent.id).toBe(`${s.id}-S${i}`);
      expect(agent.pid).toBe(`slave(1)@127.0.0.1:${cluster.agents[i]?.port}`);
      // Each local agent offers its own ports: they all run their tasks on this machine.
      const ports = `[${31000 + 100 * i}-${31099 + 100 * i}]`;
      expect(agent.resources).toEqual({ cpus: 4, gpus: 0, mem: 8192, disk: 20000, ports });
      for (const key of ['used_resources', 'offered_resources', 'unreserved_resources']) {
        expect(agent[key]).toMatchObject({ cpus: expect.any(Number), mem: expect.any(Number) });
      }
      // Reservations come out of the unreserved pool: the two add up to the agent's resources.
      const reserved = Object.values(agent.reserved_resources as Record<string, { cpus: number }>);
      const unreserved = agent.unreserved_resources as { cpus: number };
      expect(reserved.reduce((sum, r) => sum + r.cpus, unreserved.cpus)).toBeCloseTo(4, 9);
    }
    expect(Object.keys(s.slaves[0]?.reserved_resources as object)).toEqual(['marathon']);
    expect(s.slaves[2]?.reserved_resources).toEqual({});

    const marathon = s.frameworks.find((f) => f.name === 'marathon');
    expect(marathon?.id).toMatch(new RegExp(`^${s.id}-\\d{4}$`));
    expect(marathon).toMatchObject({
      active: true,
      roles: ['marathon'],
      principal: 'marathon',
      unregistered_time: 0,
    });
    const task = marathon?.tasks.find((t) => t.state === 'TASK_RUNNING');
    expect(task?.executor_id).toBe('');
    expect(task?.statuses.map((st) => st.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    expect(task?.statuses[1]?.container_status?.executor_pid).toEqual(expect.any(Number));

    const spark = s.completed_frameworks.find((f) => f.name === 'spark-pi');
    expect(spark?.active).toBe(false);
    expect(spark?.unregistered_time).toBeGreaterThan(0);
    expect(spark?.role).toBe('*');
    expect(spark?.completed_tasks.map((t) => t.state)).toEqual(['TASK_FINISHED', 'TASK_FINISHED']);
  });

  it('keeps an outstanding offer counted in offered_resources', async () => {
    const s = await eventually(async () => {
      const current = await state();
      return current.frameworks.some((f) => f.offers.length > 0) ? current : undefined;
    });
    const offer = s.frameworks.flatMap((f) => f.offers)[0];
    expect(offer?.id).toMatch(new RegExp(`^${s.id}-O\\d+$`));
    const agent = s.slaves.find((a) => a.id === offer?.slave_id);
    expect((agent?.offered_resources as { cpus: number }).cpus).toBeGreaterThan(0);
  });

  it('pages and orders /master/tasks', async () => {
    const all = await getJson<{ tasks: TaskJson[] }>(`${cluster.masterUrl}/master/tasks?limit=1000`);
    expect(all.tasks.length).toBeGreaterThanOrEqual(6);
    const first = (t: TaskJson) => t.statuses[0]?.timestamp ?? 0;
    const desc = all.tasks.map(first);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    const asc = await getJson<{ tasks: TaskJson[] }>(
      `${cluster.masterUrl}/master/tasks?order=asc&limit=2&offset=1`,
    );
    expect(asc.tasks).toHaveLength(2);
    expect(first(asc.tasks[0]!)).toBeLessThanOrEqual(first(asc.tasks[1]!));
    // Completed frameworks' tasks are included.
    expect(all.tasks.some((t) => t.id === '0' && t.state === 'TASK_FINISHED')).toBe(true);
    const one = all.tasks[0]!;
    const byId = await getJson<{ tasks: TaskJson[] }>(
      `${cluster.masterUrl}/master/tasks?task_id=${encodeURIComponent(one.id)}&framework_id=${one.framework_id}`,
    );
    expect(byId.tasks.map((t) => t.id)).toEqual([one.id]);
  });

  it('reads limit and offset of /master/tasks as Mesos 1.11 does (numify<int>, then size_t)', async () => {
    const url = (query: string) => `${cluster.masterUrl}/master/tasks?${query}`;
    const count = async (query: string) => (await getJson<{ tasks: TaskJson[] }>(url(query))).tasks.length;
    const everything = await count('limit=1000000');
    expect(everything).toBeGreaterThan(3);
    // -1 is SIZE_MAX: every task.
    expect(await count('limit=-1')).toBe(everything);
    // Not an int: the default (100), not a 400.
    expect((await fetch(url('limit=abc'))).status).toBe(200);
    expect(await count('limit=abc')).toBe(Math.min(100, everything));
    expect(await count('limit=1.5')).toBe(Math.min(100, everything));
    expect(await count('limit=99999999999')).toBe(Math.min(100, everything));
    expect(await count('limit=2&offset=zz')).toBe(2);
    // A negative offset is past the end; offset + SIZE_MAX wraps below the offset: nothing.
    expect(await count('offset=-3')).toBe(0);
    expect(await count('offset=1&limit=-1')).toBe(0);
    expect(await count(`offset=1&limit=${everything}`)).toBe(everything - 1);
  });

  it('reports metrics that match state', async () => {
    await eventually(async () => {
      const s = await state();
      const m = await getJson<Record<string, number>>(`${cluster.masterUrl}/metrics/snapshot`);
      const live = s.frameworks.flatMap((f) => f.tasks);
      const done = [...s.frameworks, ...s.completed_frameworks].flatMap((f) => f.completed_tasks);
      const count = (list: TaskJson[], state: string) => list.filter((t) => t.state === state).length;
      const ok =
        m['master/tasks_running'] === count(live, 'TASK_RUNNING') &&
        m['master/tasks_finished'] === count(done, 'TASK_FINISHED') &&
        m['master/tasks_failed'] === count(done, 'TASK_FAILED') &&
        m['master/tasks_killed'] === count(done, 'TASK_KILLED') &&
        m['master/slaves_active'] === s.slaves.length &&
        m['master/frameworks_active'] === s.frameworks.length &&
        m['master/outstanding_offers'] === s.frameworks.flatMap((f) => f.offers).length &&
        m['master/cpus_total'] === 12 &&
        m['master/elected'] === 1;
      return ok ? true : undefined;
    });
  });

  it('serves the other list endpoints', async () => {
    const summary = await getJson<{
      slaves: Record<string, unknown>[];
      frameworks: Record<string, unknown>[];
    }>(`${cluster.masterUrl}/master/state-summary`);
    expect(summary.slaves[0]).toHaveProperty('TASK_RUNNING');
    expect(summary.frameworks[0]).toHaveProperty('slave_ids');
    const frameworks = await getJson(`${cluster.masterUrl}/master/frameworks`);
    expect(Object.keys(frameworks)).toEqual([
      'frameworks',
      'completed_frameworks',
      'unregistered_frameworks',
    ]);
    const slaves = await getJson<{ slaves: Record<string, unknown>[] }>(`${cluster.masterUrl}/master/slaves`);
    expect(slaves.slaves[2]?.unreserved_resources_full).toContainEqual(
      expect.objectContaining({ name: 'cpus', type: 'SCALAR', scalar: { value: 4 } }),
    );
    const roles = await getJson<{ roles: { name: string; quota: { limit: Record<string, number> } }[] }>(
      `${cluster.masterUrl}/master/roles`,
    );
    expect(roles.roles.find((r) => r.name === 'chronos')?.quota.limit).toEqual({ cpus: 2, mem: 2048 });
    const schedule = await getJson<{ windows: { machine_ids: unknown[] }[] }>(
      `${cluster.masterUrl}/master/maintenance/schedule`,
    );
    expect(schedule.windows[0]?.machine_ids).toEqual([{ hostname: '127.0.0.1', ip: '127.0.0.1' }]);
    const status = await getJson<{ draining_machines: { id: unknown }[] }>(
      `${cluster.masterUrl}/master/maintenance/status`,
    );
    expect(status.draining_machines.map((m) => m.id)).toEqual(schedule.windows[0]?.machine_ids);
    expect(await getJson(`${cluster.masterUrl}/version`)).toMatchObject({ version: '1.11.0' });
    const flags = await getJson<{ flags: Record<string, string> }>(`${cluster.masterUrl}/flags`);
    expect(flags.flags.cluster).toBe('mesoscope-local');
    const health = await fetch(`${cluster.masterUrl}/master/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('');
    expect((await fetch(`${cluster.masterUrl}/state.json`)).headers.get('content-type')).toBe(
      'application/json',
    );
  });

  it('redirects to the leader with 307', async () => {
    const res = await fetch(`${cluster.masterUrl}/master/redirect`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`//127.0.0.1:${new URL(cluster.masterUrl).port}`);
  });

  it('wraps jsonp and rejects bad callbacks, methods and paths', async () => {
    const res = await fetch(`${cluster.masterUrl}/master/state?jsonp=angular.callbacks._0`);
    expect(res.headers.get('content-type')).toBe('text/javascript');
    const body = await res.text();
    expect(body.startsWith('angular.callbacks._0({')).toBe(true);
    expect(body.endsWith('});')).toBe(true);
    expect((await fetch(`${cluster.masterUrl}/master/state?jsonp=alert(1)//`)).status).toBe(400);
    expect((await fetch(`${cluster.masterUrl}/master/state`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${cluster.masterUrl}/master/nope`)).status).toBe(404);
    const head = await fetch(`${cluster.masterUrl}/master/state`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('serves the master log through /files/read', async () => {
    const size = await getJson<{ offset: number; data: string }>(
      `${cluster.masterUrl}/files/read?path=/master/log`,
    );
    expect(size.offset).toBeGreaterThan(0);
    const head = await getJson<{ data: string }>(`${cluster.masterUrl}/files/read?path=/master/log&offset=0`);
    expect(head.data).toMatch(/^Log file created at: /);
    expect(head.data).toMatch(/I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ master\.cpp:\d+\] Registered agent /);
    expect(head.data).toContain('Launching task hello.');
    expect((await fetch(`${cluster.masterUrl}/files/read?path=/slave/log`)).status).toBe(404);
  });

  it('stops and restarts the master on the same port', async () => {
    const before = await state();
    await cluster.control.stopMaster();
    await expect(fetch(`${cluster.masterUrl}/master/state`)).rejects.toThrow();
    // Agents keep serving while the master is down.
    expect((await fetch(`${cluster.agents[0]!.url}/slave(1)/state`)).status).toBe(200);
    await cluster.control.startMaster();
    const after = await state();
    expect(after.id).toBe(before.id);
    expect(after.leader_info.port).toBe(before.leader_info.port);
  });
});
