import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseAgentState,
  parseMasterState,
  parseStateSummary,
  v1MasterHeaderToV0,
  v1StateToV0,
} from '../../../mesos';
import type { MasterState } from '../../../mesos';
import { getJson } from '../../test-helpers';
import { startScaleCluster } from './start-scale-cluster';
import type { ScaleCluster } from './start-scale-cluster';

let cluster: ScaleCluster;
let state: MasterState;

beforeAll(async () => {
  cluster = await startScaleCluster({ scenario: 'small', churn: 'off', seed: 7 });
  state = parseMasterState(await getJson(`${cluster.masterUrl}/master/state`));
});
afterAll(async () => {
  await cluster?.close();
});

describe('the small scale scenario', () => {
  it('has its agents, frameworks and running tasks, all in a valid v0 state', () => {
    expect(state.slaves).toHaveLength(100);
    expect(state.frameworks).toHaveLength(20);
    expect(state.frameworks.flatMap((f) => f.tasks)).toHaveLength(1000);
    expect(state.frameworks.flatMap((f) => f.tasks).every((t) => t.state === 'TASK_RUNNING')).toBe(true);
    expect(state.activated_slaves).toBe(100);
  });

  it('keeps the completed tasks and frameworks Mesos would keep, within its caps', () => {
    expect(state.completed_frameworks).toHaveLength(5);
    for (const framework of [...state.frameworks, ...state.completed_frameworks]) {
      expect(framework.completed_tasks.length).toBeLessThanOrEqual(1000);
      expect(
        framework.completed_tasks.every((t) =>
          ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST'].includes(t.state),
        ),
      ).toBe(true);
    }
    // One hour at two tasks a second, capped at 1000 per framework: the biggest frameworks hit the cap.
    expect(Math.max(...state.frameworks.map((f) => f.completed_tasks.length))).toBe(1000);
  });

  it('serves every agent from one host:port under its own libprocess id, mesos-local style', async () => {
    const ports = new Set(state.slaves.map((a) => a.pid?.split(':').at(-1)));
    expect(ports.size).toBe(1);
    expect(new Set(state.slaves.map((a) => a.pid?.split('@')[0])).size).toBe(100);
    const agent = state.slaves[41];
    const [processId, address] = (agent?.pid ?? '').split('@');
    const agentState = parseAgentState(await getJson(`http://${address}/${processId}/state`));
    expect(agentState.id).toBe(agent?.id);
    const onAgent = state.frameworks.flatMap((f) => f.tasks).filter((t) => t.slave_id === agent?.id);
    const executors = agentState.frameworks.flatMap((f) => f.executors);
    expect(executors.flatMap((e) => e.tasks.map((t) => t.id)).sort()).toEqual(
      onAgent.map((t) => t.id).sort(),
    );
    expect(executors.every((e) => e.directory.includes(`/slaves/${agent?.id}/frameworks/`))).toBe(true);
    const statistics = await getJson<unknown[]>(`http://${address}/${processId}/monitor/statistics`);
    expect(statistics).toHaveLength(onAgent.length);
    expect((await fetch(`http://${address}/slave(999999)/state`)).status).toBe(404);
  });

  it('agrees between /master/state, /master/state-summary and /metrics/snapshot', async () => {
    const summary = parseStateSummary(await getJson(`${cluster.masterUrl}/master/state-summary`));
    const metrics = await getJson<Record<string, number>>(`${cluster.masterUrl}/metrics/snapshot`);
    const running = state.frameworks.reduce((n, f) => n + f.tasks.length, 0);
    expect(metrics['master/tasks_running']).toBe(running);
    expect(summary.frameworks.reduce((n, f) => n + (f.TASK_RUNNING ?? 0), 0)).toBe(running);
    const used = state.slaves.reduce((n, a) => n + a.used_resources.cpus, 0);
    expect(metrics['master/cpus_used']).toBeCloseTo(used, 3);
  });

  it('answers /master/tasks paged and ordered like Mesos', async () => {
    const page = await getJson<{ tasks: { statuses: { timestamp: number }[] }[] }>(
      `${cluster.masterUrl}/master/tasks?limit=10&order=asc`,
    );
    expect(page.tasks).toHaveLength(10);
    const first = page.tasks.map((t) => t.statuses[0]?.timestamp ?? 0);
    expect([...first].sort((a, b) => a - b)).toEqual(first);
  });
});

describe('churn', () => {
  it('ends tasks every tick and starts replacements that go STAGING, STARTING, RUNNING', async () => {
    const churning = await startScaleCluster({
      scenario: 'small',
      churn: 'manual',
      seed: 3,
      spec: { agents: 10, frameworks: 3, activeTasks: 60, churnPerSecond: 4, historyHours: 0.01 },
    });
    try {
      const tick = () => churning.churn?.tick();
      const before = new Set(churning.sim.tasksById.keys());
      tick();
      const ended = [...before].filter((id) => !churning.sim.tasksById.has(id));
      const launched = [...churning.sim.tasksById.values()].filter((t) => !before.has(t.id));
      expect(ended.length).toBeGreaterThan(0);
      expect(launched.length).toBeGreaterThan(0);
      expect(launched.every((t) => t.state === 'TASK_STAGING' && t.statuses.length === 0)).toBe(true);
      tick();
      expect(launched.every((t) => t.statuses[0]?.state === 'TASK_STARTING')).toBe(true);
      tick();
      expect(launched.filter((t) => t.statuses[1]?.state === 'TASK_RUNNING')).toHaveLength(launched.length);
      // The population holds: what ends is replaced.
      expect(churning.sim.tasksById.size).toBeGreaterThanOrEqual(60 - 4 * 2);
    } finally {
      await churning.close();
    }
  });
});

describe('the v1 operator API of the simulated master', () => {
  it('says the same as the v0 state (v1 GET_STATE read back as v0)', async () => {
    const call = (type: string) =>
      fetch(`${cluster.masterUrl}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ type }),
      }).then((r) => r.json());
    const header = v1MasterHeaderToV0({
      getMaster: await call('GET_MASTER'),
      getVersion: await call('GET_VERSION'),
      getFlags: await call('GET_FLAGS'),
    });
    const v0 = parseMasterState(await getJson(`${cluster.masterUrl}/master/state`));
    const fromV1 = parseMasterState(v1StateToV0(await call('GET_STATE'), header));
    expect(fromV1.id).toBe(v0.id);
    expect(fromV1.cluster).toBe(v0.cluster);
    expect(fromV1.slaves.map((a) => [a.id, a.pid, a.resources, a.used_resources])).toEqual(
      v0.slaves.map((a) => [a.id, a.pid, a.resources, a.used_resources]),
    );
    const tasks = (s: MasterState) =>
      s.frameworks.map((f) => [
        f.id,
        f.name,
        f.used_resources,
        f.tasks.map((t) => [
          t.id,
          t.state,
          t.slave_id,
          t.resources,
          t.role,
          t.statuses.map((x) => [x.state, x.timestamp]),
        ]),
      ]);
    expect(tasks(fromV1)).toEqual(tasks(v0));
    const completed = (s: MasterState) => s.completed_frameworks.map((f) => [f.id, f.completed_tasks.length]);
    expect(completed(fromV1)).toEqual(completed(v0));
  });
});

describe('operator writes on the simulated master (last: they change the cluster)', () => {
  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${cluster.masterUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('tears down a framework and answers an unknown one as Mesos does', async () => {
    const victim = state.frameworks[0]!;
    const unknown = await post('/master/teardown', 'frameworkId=nope', 'application/x-www-form-urlencoded');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toBe('No framework found with specified ID');
    const res = await post(
      '/master/teardown',
      `frameworkId=${victim.id}`,
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    const after = parseMasterState(await getJson(`${cluster.masterUrl}/master/state`));
    expect(after.frameworks.map((f) => f.id)).not.toContain(victim.id);
    const done = after.completed_frameworks.find((f) => f.id === victim.id);
    expect(done?.completed_tasks.some((t) => t.state === 'TASK_KILLED')).toBe(true);
  });

  it('brings a scheduled machine down, removing its agent, and says what it does not simulate', async () => {
    const agent = state.slaves[1]!;
    const machine = { hostname: agent.hostname, ip: '127.0.0.1' };
    const schedule = {
      windows: [{ machine_ids: [machine], unavailability: { start: { nanoseconds: Date.now() * 1e6 } } }],
    };
    expect((await post('/master/maintenance/schedule', JSON.stringify(schedule))).status).toBe(200);
    expect(await getJson(`${cluster.masterUrl}/master/maintenance/status`)).toEqual({
      draining_machines: [{ id: machine }],
    });
    expect((await post('/master/machine/down', JSON.stringify([machine]))).status).toBe(200);
    const after = parseMasterState(await getJson(`${cluster.masterUrl}/master/state`));
    expect(after.slaves.map((s) => s.id)).not.toContain(agent.id);
    expect((await post('/master/machine/up', JSON.stringify([machine]))).status).toBe(200);
    expect(await getJson(`${cluster.masterUrl}/master/maintenance/schedule`)).toEqual({});
    const reserve = await post(
      '/master/reserve',
      `slaveId=${state.slaves[2]!.id}&resources=[]`,
      'application/x-www-form-urlencoded',
    );
    expect(reserve.status).toBe(501);
  });
});
