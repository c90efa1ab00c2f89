import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { alive, eventually, getJson } from '../test-helpers';
import type { FrameworkJson, MasterStateJson, TaskJson } from '../test-helpers';

type Json = Record<string, unknown>;

const post = (url: string, body: string, contentType = 'application/x-www-form-urlencoded') =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

const v1 = (cluster: LocalCluster, call: Json, path = '/api/v1') =>
  post(`${cluster.masterUrl}${path}`, JSON.stringify(call), 'application/json');

async function answer(res: Response): Promise<{ status: number; text: string }> {
  return { status: res.status, text: await res.text() };
}

const state = (cluster: LocalCluster) => getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);

interface SlaveJson {
  id: string;
  active: boolean;
  deactivated: boolean;
  reserved_resources: Record<string, Record<string, number>>;
  unreserved_resources: Record<string, number>;
  reserved_resources_full: Record<string, Json[]>;
  drain_info?: { state: string };
}

const slaves = async (cluster: LocalCluster) =>
  (await getJson<{ slaves: SlaveJson[] }>(`${cluster.masterUrl}/master/slaves`)).slaves;

function executorPid(task: TaskJson | undefined): number | undefined {
  return task?.statuses.map((s) => s.container_status?.executor_pid).find((pid) => pid !== undefined);
}

describe('operator writes on a master', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 2 });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('answers a write endpoint asked with GET as libprocess does, and keeps serving', async () => {
    for (const path of [
      '/master/teardown',
      '/master/machine/down',
      '/master/machine/up',
      '/master/reserve',
    ]) {
      const res = await fetch(`${cluster.masterUrl}${path}`);
      expect(res.status, path).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.text()).toBe(
        "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.",
      );
    }
    const put = await fetch(`${cluster.masterUrl}/master/maintenance/schedule`, {
      method: 'PUT',
      body: '{}',
    });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect((await fetch(`${cluster.masterUrl}/master/health`)).status).toBe(200);
  });

  it('refuses a 10 MB body and malformed ones without losing anything', async () => {
    const before = await state(cluster);
    const huge = await post(
      `${cluster.masterUrl}/master/teardown`,
      `frameworkId=${'x'.repeat(10 * 1024 * 1024)}`,
    );
    expect(huge.status).toBe(413);
    const notJson = await post(
      `${cluster.masterUrl}/master/machine/down`,
      '[{"hostname":',
      'application/json',
    );
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).toMatch(/^syntax error at line 1 near: /);
    const wrongType = await post(
      `${cluster.masterUrl}/master/machine/down`,
      '[{"hostname":5}]',
      'application/json',
    );
    expect(await answer(wrongType)).toEqual({
      status: 400,
      text: "Not expecting a JSON number for field 'hostname'",
    });
    const after = await state(cluster);
    expect(after.slaves.map((s) => s.id)).toEqual(before.slaves.map((s) => s.id));
    expect(after.frameworks.map((f) => f.id)).toEqual(before.frameworks.map((f) => f.id));
    expect((await fetch(`${cluster.masterUrl}/master/health`)).status).toBe(200);
  });

  it('tears a framework down: its tasks TASK_KILLED by the master, their processes gone', async () => {
    const url = `${cluster.masterUrl}/master/teardown`;
    expect(await answer(await post(url, ''))).toEqual({
      status: 400,
      text: "Missing 'frameworkId' query parameter in the request body",
    });
    expect(await answer(await post(url, 'frameworkId=%zz'))).toEqual({
      status: 400,
      text: "Unable to decode query string: Malformed % escape in '%zz': '%zz'",
    });
    expect(await answer(await post(url, 'frameworkId=no-such-framework'))).toEqual({
      status: 400,
      text: 'No framework found with specified ID',
    });

    const launched = await cluster.control.launchTask({
      framework: 'doomed',
      name: 'sleeper',
      cmd: 'sleep 600',
    });
    const running = (await state(cluster)).frameworks
      .find((f) => f.id === launched.frameworkId)
      ?.tasks.find((t) => t.id === launched.taskId);
    const pid = executorPid(running);
    expect(pid).toBeGreaterThan(0);

    const res = await post(url, `frameworkId=${encodeURIComponent(launched.frameworkId)}`);
    expect(res.status).toBe(200);
    const after = await state(cluster);
    expect(after.frameworks.map((f) => f.id)).not.toContain(launched.frameworkId);
    const done = after.completed_frameworks.find((f) => f.id === launched.frameworkId) as FrameworkJson;
    expect(done.active).toBe(false);
    const task = done.completed_tasks.find((t) => t.id === launched.taskId);
    expect(task?.state).toBe('TASK_KILLED');
    expect(task?.statuses.at(-1)).toMatchObject({
      state: 'TASK_KILLED',
      source: 'SOURCE_MASTER',
      reason: 'REASON_FRAMEWORK_REMOVED',
      message: `Framework ${launched.frameworkId} removed`,
    });
    await eventually(async () => (alive(pid!, true) ? undefined : true), 5000);
    // Torn down once: it is no longer a registered framework.
    expect((await post(url, `frameworkId=${launched.frameworkId}`)).status).toBe(400);
  });

  it('reserves and unreserves resources for a role, visible in slaves, state and roles', async () => {
    const [agent] = await slaves(cluster);
    const agentId = agent!.id;
    const url = (what: string) => `${cluster.masterUrl}/master/${what}`;
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const dynamic = (name: string, value: number, role = 'ops') =>
      JSON.stringify([
        {
          name,
          type: 'SCALAR',
          scalar: { value },
          reservations: [{ type: 'DYNAMIC', role, principal: 'alice' }],
        },
      ]);

    expect(await answer(await post(url('reserve'), form({ resources: '[]' })))).toEqual({
      status: 400,
      text: "Missing 'slaveId' query parameter in the request body",
    });
    expect(await answer(await post(url('reserve'), form({ slaveId: agentId })))).toEqual({
      status: 400,
      text: "Missing 'resources' query parameter in the request body",
    });
    expect(
      await answer(await post(url('reserve'), form({ slaveId: 'nope', resources: dynamic('cpus', 1) }))),
    ).toEqual({ status: 400, text: 'No agent found with specified ID' });
    const malformed = await answer(await post(url('reserve'), form({ slaveId: agentId, resources: '[{' })));
    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/^Error parsing 'resources' query parameter in the request body: /);
    const unreserved = await answer(
      await post(
        url('reserve'),
        form({ slaveId: agentId, resources: '[{"name":"cpus","type":"SCALAR","scalar":{"value":1}}]' }),
      ),
    );
    expect(unreserved.status).toBe(400);
    expect(unreserved.text).toMatch(
      /^Invalid RESERVE operation on agent .*: Resource cpus:1 is not dynamically reserved$/,
    );
    const negative = await post(url('reserve'), form({ slaveId: agentId, resources: dynamic('cpus', -1) }));
    expect(negative.status).toBe(400);
    const tooMuch = await answer(
      await post(url('reserve'), form({ slaveId: agentId, resources: dynamic('cpus', 100) })),
    );
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.text).toMatch(/does not contain cpus:100$/);
    expect((await slaves(cluster))[0]?.reserved_resources).toEqual({});

    const cpusBefore = agent!.unreserved_resources.cpus!;
    expect(
      (await post(url('reserve'), form({ slaveId: agentId, resources: dynamic('cpus', 1) }))).status,
    ).toBe(202);
    // The pre-1.4 format (`role` plus `reservation`) is upgraded, as Mesos does.
    const legacy = JSON.stringify([
      {
        name: 'mem',
        type: 'SCALAR',
        scalar: { value: 256 },
        role: 'ops',
        reservation: { principal: 'alice' },
      },
    ]);
    expect((await post(url('reserve'), form({ slaveId: agentId, resources: legacy }))).status).toBe(202);

    const reserved = (await slaves(cluster)).find((s) => s.id === agentId)!;
    expect(reserved.reserved_resources.ops).toMatchObject({ cpus: 1, mem: 256 });
    expect(reserved.unreserved_resources.cpus).toBe(cpusBefore - 1);
    expect(reserved.reserved_resources_full.ops).toContainEqual(
      expect.objectContaining({
        name: 'cpus',
        scalar: { value: 1 },
        reservations: [{ type: 'DYNAMIC', role: 'ops', principal: 'alice' }],
      }),
    );
    const inState = (await state(cluster)).slaves.find((s) => s.id === agentId);
    expect((inState?.reserved_resources as Json).ops).toMatchObject({ cpus: 1, mem: 256 });
    const roles = await getJson<{ roles: { name: string; reserved: Json }[] }>(url('roles'));
    expect(roles.roles.find((r) => r.name === 'ops')?.reserved).toEqual({ cpus: 1, mem: 256 });
    const agentsV1 = (await (await v1(cluster, { type: 'GET_AGENTS' })).json()) as {
      get_agents: { agents: { agent_info: { id: { value: string } }; total_resources: Json[] }[] };
    };
    const total = agentsV1.get_agents.agents.find((a) => a.agent_info.id.value === agentId)!.total_resources;
    expect(total).toContainEqual(
      expect.objectContaining({
        name: 'cpus',
        reservations: [{ type: 'DYNAMIC', role: 'ops', principal: 'alice' }],
      }),
    );

    const overdrawn = await answer(
      await post(url('unreserve'), form({ slaveId: agentId, resources: dynamic('cpus', 2) })),
    );
    expect(overdrawn.status).toBe(409);
    const wrongRole = await post(
      url('unreserve'),
      form({ slaveId: agentId, resources: dynamic('cpus', 1, 'other') }),
    );
    expect(wrongRole.status).toBe(409);
    expect(
      (await post(url('unreserve'), form({ slaveId: agentId, resources: dynamic('cpus', 1) }))).status,
    ).toBe(202);
    expect(
      (await post(url('unreserve'), form({ slaveId: agentId, resources: dynamic('mem', 256) }))).status,
    ).toBe(202);
    const back = (await slaves(cluster)).find((s) => s.id === agentId)!;
    expect(back.reserved_resources).toEqual({});
    expect(back.unreserved_resources.cpus).toBe(cpusBefore);
  });

  it('deactivates, reactivates and drains agents through the v1 API', async () => {
    const [first, second] = await slaves(cluster);
    const agentCall = (type: string, agentId: string, extra: Json = {}) =>
      v1(cluster, { type, [type.toLowerCase()]: { agent_id: { value: agentId }, ...extra } });

    expect(await answer(await agentCall('DEACTIVATE_AGENT', 'nope'))).toEqual({
      status: 400,
      text: 'Unknown agent',
    });
    expect(await answer(await agentCall('REACTIVATE_AGENT', first!.id))).toEqual({
      status: 400,
      text: 'Agent is not deactivated',
    });
    expect(await answer(await v1(cluster, { type: 'DEACTIVATE_AGENT' }))).toEqual({
      status: 400,
      text: "Failed to validate master::Call: Expecting 'deactivate_agent' to be present",
    });

    expect((await agentCall('DEACTIVATE_AGENT', first!.id)).status).toBe(200);
    const deactivated = (await slaves(cluster)).find((s) => s.id === first!.id)!;
    expect(deactivated).toMatchObject({ active: false, deactivated: true });
    expect((await state(cluster)).deactivated_slaves).toBe(1);
    expect((await agentCall('REACTIVATE_AGENT', first!.id)).status).toBe(200);
    expect((await slaves(cluster)).find((s) => s.id === first!.id)).toMatchObject({
      active: true,
      deactivated: false,
    });

    const launched = await cluster.control.launchTask({
      name: 'drained',
      cmd: 'sleep 600',
      agentId: second!.id,
    });
    const drain = await agentCall('DRAIN_AGENT', second!.id, { max_grace_period: { seconds: 1 } });
    expect(drain.status).toBe(200);
    const draining = (await slaves(cluster)).find((s) => s.id === second!.id)!;
    expect(draining.deactivated).toBe(true);
    expect(['DRAINING', 'DRAINED']).toContain(draining.drain_info?.state);
    await eventually(async () => {
      const agent = (await slaves(cluster)).find((s) => s.id === second!.id);
      return agent?.drain_info?.state === 'DRAINED' ? true : undefined;
    }, 8000);
    const task = (await state(cluster)).frameworks
      .flatMap((f) => f.completed_tasks)
      .find((t) => t.id === launched.taskId);
    expect(task?.state).toBe('TASK_KILLED');
    expect((await agentCall('REACTIVATE_AGENT', second!.id)).status).toBe(200);
    expect((await slaves(cluster)).find((s) => s.id === second!.id)?.drain_info).toBeUndefined();

    // mark_gone: once drained, the agent is shut down and removed.
    const spare = await cluster.control.addAgent();
    expect((await agentCall('DRAIN_AGENT', spare.id, { mark_gone: true })).status).toBe(200);
    await eventually(
      async () => ((await slaves(cluster)).some((s) => s.id === spare.id) ? undefined : true),
      8000,
    );
    expect((await fetch(`${spare.url}/health`).catch(() => null))?.status).not.toBe(200);
  });

  it('tears a framework down through the v1 API', async () => {
    const launched = await cluster.control.launchTask({
      framework: 'v1-doomed',
      name: 'napper',
      cmd: 'sleep 600',
    });
    const teardown = (frameworkId: unknown) =>
      v1(cluster, { type: 'TEARDOWN', teardown: { framework_id: frameworkId } });
    expect(await answer(await teardown({ value: 'nope' }))).toEqual({
      status: 400,
      text: 'No framework found with specified ID',
    });
    expect((await teardown(undefined)).status).toBe(400);
    expect((await teardown({ value: launched.frameworkId })).status).toBe(200);
    const done = (await state(cluster)).completed_frameworks.find((f) => f.id === launched.frameworkId);
    expect(done?.completed_tasks.map((t) => t.state)).toEqual(['TASK_KILLED']);
  });
});

describe('maintenance writes', () => {
  let cluster: LocalCluster;
  let machine: { hostname: string; ip: string };
  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 2 });
    const host = new URL(cluster.masterUrl).hostname;
    machine = { hostname: host, ip: host };
  });
  afterAll(async () => {
    await cluster?.close();
  });

  const schedule = (machines: unknown[], durationNanos = 3600e9) => ({
    windows: [
      {
        machine_ids: machines,
        unavailability: {
          start: { nanoseconds: Date.now() * 1e6 },
          duration: { nanoseconds: durationNanos },
        },
      },
    ],
  });
  const url = (what: string) => `${cluster.masterUrl}/master/${what}`;
  const postJson = (what: string, body: unknown) => post(url(what), JSON.stringify(body), 'application/json');

  it('refuses schedules and machine lists Mesos refuses, with its texts', async () => {
    expect((await post(url('maintenance/schedule'), '{"windows":', 'application/json')).status).toBe(400);
    expect(await answer(await postJson('maintenance/schedule', schedule([])))).toEqual({
      status: 400,
      text: 'List of machines in the maintenance window is empty',
    });
    expect(await answer(await postJson('maintenance/schedule', schedule([machine, machine])))).toEqual({
      status: 400,
      text: `Machine '${JSON.stringify(machine)}' appears more than once in the schedule`,
    });
    expect(await answer(await postJson('maintenance/schedule', schedule([machine], -1)))).toEqual({
      status: 400,
      text: "Unavailability 'duration' is negative",
    });
    expect(await answer(await postJson('maintenance/schedule', schedule([{}])))).toEqual({
      status: 400,
      text: "Both 'hostname' and 'ip' for a machine are empty",
    });
    expect(await answer(await postJson('machine/down', { not: 'a list' }))).toEqual({
      status: 400,
      text: 'Unexpected JSON type parsed',
    });
    expect(await answer(await postJson('machine/down', []))).toEqual({
      status: 400,
      text: 'List of machines is empty',
    });
    expect(await answer(await postJson('machine/down', [{ hostname: 'elsewhere' }]))).toEqual({
      status: 400,
      text: `Machine '{"hostname":"elsewhere"}' is not part of a maintenance schedule`,
    });
    // The agents' machine is known (agents run on it) but UP.
    expect(await answer(await postJson('machine/down', [machine]))).toEqual({
      status: 400,
      text: `Machine '${JSON.stringify(machine)}' is not in DRAINING mode and cannot be brought down`,
    });
    expect(await getJson(url('maintenance/schedule'))).toEqual({});
    expect((await fetch(url('health'))).status).toBe(200);
  });

  it('schedules, brings a machine down (its agents removed, tasks lost) and up again', async () => {
    const launched = await cluster.control.launchTask({ name: 'doomed', cmd: 'sleep 600' });
    const pid = executorPid(
      (await state(cluster)).frameworks.flatMap((f) => f.tasks).find((t) => t.id === launched.taskId),
    );
    const before = (await state(cluster)).slaves.map((s) => s.id);
    expect(before).toHaveLength(2);

    expect((await postJson('maintenance/schedule', schedule([machine]))).status).toBe(200);
    const scheduled = await getJson<{ windows: { machine_ids: unknown[] }[] }>(url('maintenance/schedule'));
    expect(scheduled.windows[0]?.machine_ids).toEqual([machine]);
    expect(await getJson(url('maintenance/status'))).toEqual({ draining_machines: [{ id: machine }] });
    expect(await answer(await postJson('machine/up', [machine]))).toEqual({
      status: 400,
      text: `Machine '${JSON.stringify(machine)}' is not in DOWN mode and cannot be brought up`,
    });

    expect((await postJson('machine/down', [machine])).status).toBe(200);
    const down = await state(cluster);
    expect(down.slaves).toEqual([]);
    expect(down.unreachable_slaves ?? 0).toBe(0);
    const lost = down.frameworks.flatMap((f) => f.completed_tasks).find((t) => t.id === launched.taskId);
    expect(lost?.state).toBe('TASK_LOST');
    expect(lost?.statuses.at(-1)).toMatchObject({
      source: 'SOURCE_MASTER',
      reason: 'REASON_SLAVE_REMOVED',
      message: "Operator initiated 'Machine DOWN'",
    });
    // The v1 API names the reason as v1 does.
    const tasksV1 = (await (await v1(cluster, { type: 'GET_TASKS' })).json()) as {
      get_tasks: { completed_tasks: { task_id: { value: string }; statuses: { reason?: string }[] }[] };
    };
    const lostV1 = tasksV1.get_tasks.completed_tasks.find((t) => t.task_id.value === launched.taskId);
    expect(lostV1?.statuses.at(-1)?.reason).toBe('REASON_AGENT_REMOVED');
    await eventually(async () => (alive(pid!, true) ? undefined : true), 5000);
    expect(await getJson(url('maintenance/status'))).toEqual({ down_machines: [machine] });
    expect(await answer(await postJson('maintenance/schedule', { windows: [] }))).toEqual({
      status: 400,
      text: `Machine '${JSON.stringify(machine)}' is deactivated and cannot be removed from the schedule`,
    });
    const metrics = await getJson<Record<string, number>>(`${cluster.masterUrl}/metrics/snapshot`);
    expect(metrics['master/slave_removals']).toBe(2);

    expect((await postJson('machine/up', [machine])).status).toBe(200);
    expect(await getJson(url('maintenance/schedule'))).toEqual({});
    expect(await getJson(url('maintenance/status'))).toEqual({});
    // The machine's agents start again and register anew.
    const after = (await state(cluster)).slaves.map((s) => s.id);
    expect(after).toHaveLength(2);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
  });

  it('runs the maintenance calls of the v1 API', async () => {
    const call = (type: string, body?: unknown) =>
      v1(cluster, body === undefined ? { type } : { type, [type.toLowerCase()]: body });
    expect((await call('UPDATE_MAINTENANCE_SCHEDULE', { schedule: schedule([machine]) })).status).toBe(200);
    const read = (await (await call('GET_MAINTENANCE_SCHEDULE')).json()) as Json;
    expect(read).toEqual({
      type: 'GET_MAINTENANCE_SCHEDULE',
      get_maintenance_schedule: { schedule: (await getJson(url('maintenance/schedule'))) as Json },
    });
    expect(((await (await call('GET_MAINTENANCE_STATUS')).json()) as Json).get_maintenance_status).toEqual({
      status: { draining_machines: [{ id: machine }] },
    });
    expect(await answer(await call('START_MAINTENANCE', { machines: [{ hostname: 'elsewhere' }] }))).toEqual({
      status: 400,
      text: `Machine '{"hostname":"elsewhere"}' is not part of a maintenance schedule`,
    });
    expect((await call('START_MAINTENANCE', { machines: [machine] })).status).toBe(200);
    expect((await state(cluster)).slaves).toEqual([]);
    expect((await call('STOP_MAINTENANCE', { machines: [machine] })).status).toBe(200);
    expect((await state(cluster)).slaves).toHaveLength(2);
    expect(await answer(await call('STOP_MAINTENANCE'))).toEqual({
      status: 400,
      text: "Failed to validate master::Call: Expecting 'stop_maintenance' to be present",
    });
  });
});
