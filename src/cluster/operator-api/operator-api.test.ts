import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordIOJsonDecoder } from '../../mesos';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startCluster({
    scenario: 'empty',
    agents: 1,
    operatorApi: { heartbeatIntervalSeconds: 0.2 },
  });
});
afterAll(async () => {
  await cluster?.close();
});

const call = (type: string, headers: Record<string, string> = {}) =>
  fetch(`${cluster.masterUrl}/api/v1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ type }),
  });

/** Reads a SUBSCRIBE stream in the background; `until` waits for an event matching a predicate. */
function subscribe(base: string) {
  const events: Json[] = [];
  const abort = new AbortController();
  const waiters: Array<() => void> = [];
  const done = (async () => {
    const response = await fetch(`${base}/api/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ type: 'SUBSCRIBE' }),
      signal: abort.signal,
    });
    const decoder = new RecordIOJsonDecoder();
    const reader = response.body!.getReader();
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      for (const record of decoder.push(value)) {
        events.push(record as Json);
        waiters.splice(0).forEach((wake) => wake());
      }
    }
  })().catch(() => undefined);
  const until = async (predicate: (event: Json) => boolean, timeoutMs = 10_000): Promise<Json> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching event in ${events.map((e) => e.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { events, until, close: () => abort.abort(), done };
}

describe('POST /api/v1 on the embedded master', () => {
  it('refuses what Mesos refuses: other methods, content types and accepted types', async () => {
    const get = await fetch(`${cluster.masterUrl}/api/v1`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await call('GET_HEALTH', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await call('GET_HEALTH', { accept: 'text/html' })).status).toBe(406);
    const bad = await fetch(`${cluster.masterUrl}/api/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":',
    });
    expect(bad.status).toBe(400);
    const unknown = await call('NOT_A_CALL');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toBe(
      "Failed to parse body into Call protobuf: Failed to find enum for 'NOT_A_CALL'",
    );
    expect((await call('SET_LOGGING_LEVEL')).status).toBe(501);
  });

  it('answers the read-only calls in the v1 JSON shapes', async () => {
    expect(await (await call('GET_HEALTH')).json()).toEqual({
      type: 'GET_HEALTH',
      get_health: { healthy: true },
    });
    const version = (await (await call('GET_VERSION')).json()) as Json;
    expect(version.get_version.version_info.version).toBe('1.11.0');
    const master = (await (await call('GET_MASTER')).json()) as Json;
    const port = Number(new URL(cluster.masterUrl).port);
    expect(master.get_master.master_info).toMatchObject({
      port,
      pid: `master@127.0.0.1:${port}`,
      ip: 16777343,
    });
    expect(typeof master.get_master.start_time).toBe('number');
    const flags = (await (await call('GET_FLAGS')).json()) as Json;
    expect(flags.get_flags.flags).toContainEqual({ name: 'cluster', value: 'mesoscope-local' });
    const metrics = (await (await call('GET_METRICS')).json()) as Json;
    expect(metrics.get_metrics.metrics).toContainEqual({ name: 'master/elected', value: 1 });
    // Command executors are implicit, and protobuf JSON leaves the empty list out.
    expect(await (await call('GET_EXECUTORS')).json()).toEqual({ type: 'GET_EXECUTORS', get_executors: {} });
    const agents = (await (await call('GET_AGENTS')).json()) as Json;
    const agent = agents.get_agents.agents[0];
    expect(agent.agent_info.id).toEqual({ value: cluster.agents[0]?.id });
    expect(agent.registered_time.nanoseconds).toBeGreaterThan(1e18);
    expect(agent.total_resources).toContainEqual({ name: 'cpus', type: 'SCALAR', scalar: { value: 4 } });
  });

  it('gzips a body over 1 KiB for a client that accepts gzip, as libprocess does', async () => {
    const { request } = await import('undici');
    const response = await request(`${cluster.masterUrl}/api/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ type: 'GET_FLAGS' }),
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    await response.body.dump();
  });

  it('streams SUBSCRIBED, a HEARTBEAT right after, then every change and a heartbeat each interval', async () => {
    const stream = subscribe(cluster.masterUrl);
    try {
      await stream.until((e) => e.type === 'HEARTBEAT');
      const [first, second] = stream.events;
      expect(first?.type).toBe('SUBSCRIBED');
      expect(first?.subscribed.heartbeat_interval_seconds).toBe(0.2);
      expect(first?.subscribed.get_state.get_agents.agents).toHaveLength(1);
      expect(second?.type).toBe('HEARTBEAT');

      const task = await cluster.control.launchTask({
        framework: 'stream-test',
        name: 'sleeper',
        cmd: 'sleep 30',
      });
      const framework = await stream.until((e) => e.type === 'FRAMEWORK_ADDED');
      expect(framework.framework_added.framework.framework_info).toMatchObject({
        id: { value: task.frameworkId },
        name: 'stream-test',
      });
      // Events never carry offers or allocation.
      expect(framework.framework_added.framework.offers).toBeUndefined();
      const added = await stream.until((e) => e.type === 'TASK_ADDED');
      expect(added.task_added.task).toMatchObject({
        task_id: { value: task.taskId },
        framework_id: { value: task.frameworkId },
        agent_id: { value: task.agentId },
        state: 'TASK_STAGING',
      });
      // TASK_UPDATED as the protobuf has it: {framework_id, status, state}.
      const running = await stream.until(
        (e) => e.type === 'TASK_UPDATED' && e.task_updated.state === 'TASK_RUNNING',
      );
      expect(running.task_updated.framework_id).toEqual({ value: task.frameworkId });
      expect(running.task_updated.status).toMatchObject({
        task_id: { value: task.taskId },
        agent_id: { value: task.agentId },
        state: 'TASK_RUNNING',
        source: 'SOURCE_EXECUTOR',
      });
      expect(typeof running.task_updated.status.uuid).toBe('string');
      expect(running.task_updated.task_id).toBeUndefined();

      await cluster.control.killTask(task.taskId);
      await stream.until((e) => e.type === 'TASK_UPDATED' && e.task_updated.state === 'TASK_KILLED');

      const extra = await cluster.control.addAgent();
      const agentAdded = await stream.until((e) => e.type === 'AGENT_ADDED');
      expect(agentAdded.agent_added.agent.agent_info.id).toEqual({ value: extra.id });

      const heartbeats = stream.events.filter((e) => e.type === 'HEARTBEAT').length;
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(stream.events.filter((e) => e.type === 'HEARTBEAT').length).toBeGreaterThanOrEqual(
        heartbeats + 2,
      );
    } finally {
      stream.close();
      await stream.done;
    }
  });
});

describe('writes seen on the event stream', () => {
  it('streams what TEARDOWN changes: the master kills the tasks, then removes the framework', async () => {
    const task = await cluster.control.launchTask({ framework: 'torn', name: 'sleeper', cmd: 'sleep 30' });
    const stream = subscribe(cluster.masterUrl);
    try {
      await stream.until((e) => e.type === 'HEARTBEAT');
      const res = await fetch(`${cluster.masterUrl}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'TEARDOWN', teardown: { framework_id: { value: task.frameworkId } } }),
      });
      expect(res.status).toBe(200);
      const killed = await stream.until(
        (e) => e.type === 'TASK_UPDATED' && e.task_updated.state === 'TASK_KILLED',
      );
      expect(killed.task_updated.status).toMatchObject({
        task_id: { value: task.taskId },
        source: 'SOURCE_MASTER',
        reason: 'REASON_FRAMEWORK_REMOVED',
      });
      const removed = await stream.until((e) => e.type === 'FRAMEWORK_REMOVED');
      expect(removed.framework_removed.framework_info.id).toEqual({ value: task.frameworkId });
      expect(stream.events.indexOf(killed)).toBeLessThan(stream.events.indexOf(removed));
    } finally {
      stream.close();
      await stream.done;
    }
  });

  it('reserves and unreserves through RESERVE_RESOURCES and UNRESERVE_RESOURCES', async () => {
    const agentId = cluster.agents[0]!.id;
    const resources = [
      {
        name: 'mem',
        type: 'SCALAR',
        scalar: { value: 64 },
        reservations: [{ type: 'DYNAMIC', role: 'v1-ops', principal: 'bob' }],
      },
    ];
    const send = (type: string) =>
      fetch(`${cluster.masterUrl}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, [type.toLowerCase()]: { agent_id: { value: agentId }, resources } }),
      });
    const reservedMem = async () => {
      const body = (await (await fetch(`${cluster.masterUrl}/master/slaves`)).json()) as {
        slaves: { reserved_resources: Record<string, { mem: number }> }[];
      };
      return body.slaves[0]?.reserved_resources['v1-ops']?.mem;
    };
    expect((await send('RESERVE_RESOURCES')).status).toBe(202);
    expect(await reservedMem()).toBe(64);
    expect((await send('UNRESERVE_RESOURCES')).status).toBe(202);
    expect(await reservedMem()).toBeUndefined();
  });

  it('streams AGENT_REMOVED for the agents of a machine brought down, AGENT_ADDED when it is up', async () => {
    const host = new URL(cluster.masterUrl).hostname;
    const machine = { hostname: host, ip: host };
    const send = (type: string, body: unknown) =>
      fetch(`${cluster.masterUrl}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, [type.toLowerCase()]: body }),
      });
    const schedule = {
      windows: [{ machine_ids: [machine], unavailability: { start: { nanoseconds: Date.now() * 1e6 } } }],
    };
    expect((await send('UPDATE_MAINTENANCE_SCHEDULE', { schedule })).status).toBe(200);
    const stream = subscribe(cluster.masterUrl);
    try {
      await stream.until((e) => e.type === 'HEARTBEAT');
      const agents = cluster.agents.map((agent) => agent.id);
      expect((await send('START_MAINTENANCE', { machines: [machine] })).status).toBe(200);
      await stream.until(
        (e) => e.type === 'AGENT_REMOVED' && agents.includes(e.agent_removed.agent_id.value as string),
      );
      expect((await send('STOP_MAINTENANCE', { machines: [machine] })).status).toBe(200);
      const added = await stream.until((e) => e.type === 'AGENT_ADDED');
      expect(agents).not.toContainEqual(added.agent_added.agent.agent_info.id.value);
    } finally {
      stream.close();
      await stream.done;
    }
  });
});

describe('the operator API on a standby master', () => {
  it('redirects to the leader with a 307, like any other endpoint', async () => {
    const ha = await startCluster({ scenario: 'empty', agents: 1, masters: 2 });
    try {
      const leader = ha.control.leaderUrl();
      const standby = ha.masterUrls.find((url) => url !== leader) ?? '';
      const response = await fetch(`${standby}/api/v1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'GET_HEALTH' }),
        redirect: 'manual',
      });
      expect(response.status).toBe(307);
      expect(response.headers.get('location')).toBe(`//${new URL(leader ?? '').host}/api/v1`);
    } finally {
      await ha.close();
    }
  });
});
