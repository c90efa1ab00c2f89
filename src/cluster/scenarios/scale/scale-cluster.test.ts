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
  const churningCluster = (seed: number, spec: Parameters<typeof startScaleCluster>[0]['spec']) =>
    startScaleCluster({ scenario: 'small', churn: 'manual', seed, spec });

  it('ends tasks every tick and launches replacements on offers, that go STAGING, STARTING, RUNNING', async () => {
    const churning = await churningCluster(3, {
      agents: 10,
      frameworks: 3,
      activeTasks: 60,
      churnPerSecond: 4,
      historyHours: 0.01,
    });
    try {
      const tick = () => churning.churn?.tick();
      const before = new Set(churning.sim.tasksById.keys());
      // Frameworks at their target ask for no offers: nothing is offered until tasks end.
      expect(churning.sim.offers.size).toBe(0);
      tick();
      const ended = [...before].filter((id) => !churning.sim.tasksById.has(id));
      expect(ended.length).toBeGreaterThan(0);
      // The frameworks that lost tasks revived; the allocator offered them resources at the end of the tick.
      const offered = new Set([...churning.sim.offers.values()].map((o) => o.frameworkId));
      expect(offered.size).toBeGreaterThan(0);
      const stillThere = new Set(churning.sim.tasksById.keys());
      tick();
      const launched = [...churning.sim.tasksById.values()].filter((t) => !stillThere.has(t.id));
      expect(launched.length).toBeGreaterThan(0);
      expect(launched.every((t) => offered.has(t.frameworkId))).toBe(true);
      expect(launched.every((t) => t.state === 'TASK_STAGING' && t.statuses.length === 0)).toBe(true);
      tick();
      expect(launched.every((t) => t.statuses[0]?.state === 'TASK_STARTING')).toBe(true);
      tick();
      expect(launched.filter((t) => t.statuses[1]?.state === 'TASK_RUNNING')).toHaveLength(launched.length);
      // The population holds: what ends is replaced.
      expect(churning.sim.tasksById.size).toBeGreaterThanOrEqual(60 - 4 * 3);
    } finally {
      await churning.close();
    }
  });

  it('launches every task within an offer the allocator made, and never over-commits an agent', async () => {
    // More tasks wanted than the agents hold: frameworks stay hungry and offers are what little is free.
    const churning = await churningCluster(11, {
      agents: 12,
      frameworks: 6,
      activeTasks: 700,
      churnPerSecond: 8,
      historyHours: 0.01,
    });
    const { sim } = churning;
    try {
      let launches = 0;
      for (let round = 0; round < 25; round++) {
        // What each framework was offered on each agent before the tick, which is when frameworks answer.
        const offered = new Map<string, { cpus: number; mem: number }>();
        for (const offer of sim.offers.values()) {
          const key = `${offer.frameworkId}@${offer.agentId}`;
          const held = offered.get(key) ?? { cpus: 0, mem: 0 };
          offered.set(key, { cpus: held.cpus + offer.resources.cpus, mem: held.mem + offer.resources.mem });
        }
        const before = new Set(sim.tasksById.keys());
        churning.churn?.tick();
        const used = new Map<string, { cpus: number; mem: number }>();
        for (const task of sim.tasksById.values()) {
          if (before.has(task.id)) continue;
          launches++;
          const key = `${task.frameworkId}@${task.agentId}`;
          const held = used.get(key) ?? { cpus: 0, mem: 0 };
          used.set(key, { cpus: held.cpus + task.resources.cpus, mem: held.mem + task.resources.mem });
        }
        for (const [key, r] of used) {
          const offer = offered.get(key);
          expect(offer, `tasks of ${key} without an offer`).toBeDefined();
          expect(r.cpus).toBeLessThanOrEqual((offer?.cpus ?? 0) + 1e-9);
          expect(r.mem).toBeLessThanOrEqual((offer?.mem ?? 0) + 1e-9);
        }
        for (const agent of sim.agents) {
          let cpus = 0;
          let mem = 0;
          for (const task of agent.tasks) {
            cpus += task.resources.cpus;
            mem += task.resources.mem;
          }
          expect(agent.used.cpus).toBeCloseTo(cpus, 6);
          expect(cpus + agent.offered.cpus).toBeLessThanOrEqual(agent.resources.cpus + 1e-9);
          expect(mem + agent.offered.mem).toBeLessThanOrEqual(agent.resources.mem + 1e-9);
        }
      }
      expect(launches).toBeGreaterThan(50);
      expect(sim.counters.offersAccepted).toBeGreaterThan(0);
    } finally {
      await churning.close();
    }
  });

  it("shows the allocator's offers in /master/state and in the operator API's GET_FRAMEWORKS", async () => {
    const churning = await churningCluster(5, {
      agents: 8,
      frameworks: 3,
      activeTasks: 40,
      churnPerSecond: 3,
      historyHours: 0.01,
    });
    try {
      churning.churn?.tick();
      const outstanding = [...churning.sim.offers.values()];
      expect(outstanding.length).toBeGreaterThan(0);
      const byFramework = (pairs: string[][]) => pairs.map((p) => p.join('/')).sort();
      const v0 = await getJson<{ frameworks: { id: string; offers: { id: string; slave_id: string }[] }[] }>(
        `${churning.masterUrl}/master/state`,
      );
      expect(byFramework(v0.frameworks.flatMap((f) => f.offers.map((o) => [f.id, o.id])))).toEqual(
        byFramework(outstanding.map((o) => [o.frameworkId, o.id])),
      );
      const v1 = (await fetch(`${churning.masterUrl}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ type: 'GET_FRAMEWORKS' }),
      }).then((r) => r.json())) as {
        get_frameworks: {
          frameworks: { framework_info: { id: { value: string } }; offers?: { id: { value: string } }[] }[];
        };
      };
      const fromV1 = v1.get_frameworks.frameworks.flatMap((f) =>
        (f.offers ?? []).map((o) => [f.framework_info.id.value, o.id.value]),
      );
      expect(byFramework(fromV1)).toEqual(byFramework(outstanding.map((o) => [o.frameworkId, o.id])));
      const metrics = await getJson<Record<string, number>>(`${churning.masterUrl}/metrics/snapshot`);
      expect(metrics['master/outstanding_offers']).toBe(outstanding.length);
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
    // As served: packed statuses are lists in JSON.
    const fromV1 = parseMasterState(JSON.parse(JSON.stringify(v1StateToV0(await call('GET_STATE'), header))));
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
