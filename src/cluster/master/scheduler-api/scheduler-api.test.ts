import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../index';
import type { LocalCluster } from '../../index';
import { eventually, getJson } from '../../test-helpers';
import type { MasterStateJson } from '../../test-helpers';
import { TestScheduler, commandTask, launch, post, type Json } from './test-scheduler';
import { sumScalar } from '../../../mesos/resources';

const FAST = {
  heartbeatIntervalSeconds: 0.3,
  allocationIntervalMs: 100,
  statusUpdates: { retryMinMs: 300, retryMaxMs: 1200 },
};

const info = (name: string, extra: Record<string, unknown> = {}) => ({ user: 'root', name, ...extra });

describe('scheduler API', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 2, schedulerApi: FAST });
  });
  afterAll(() => cluster.close());

  it('streams SUBSCRIBED, HEARTBEAT and OFFERS as RecordIO, ASCII only, with a stream id', async () => {
    const s = await TestScheduler.subscribe(cluster.masterUrl, info('stream-test'));
    try {
      expect(s.streamId).toMatch(/^[0-9a-f-]{36}$/);
      const subscribed = s.events[0];
      expect(subscribed?.type).toBe('SUBSCRIBED');
      expect(subscribed?.subscribed).toMatchObject({
        framework_id: { value: s.frameworkId },
        heartbeat_interval_seconds: 0.3,
        master_info: { hostname: '127.0.0.1', version: '1.11.0' },
      });
      await s.next((e) => e.type === 'HEARTBEAT');
      const offers = await s.offers(0);
      expect(offers.length).toBe(2);
      const offer = offers[0] ?? {};
      expect(offer).toMatchObject({
        id: { value: expect.any(String) },
        framework_id: { value: s.frameworkId },
        agent_id: { value: expect.any(String) },
        hostname: '127.0.0.1',
        url: { scheme: 'http', address: { ip: '127.0.0.1' } },
        allocation_info: { role: '*' },
      });
      expect(sumScalar(offer.resources, 'cpus')).toBe(4);
      // The two agents' offers carry their own ports (they share this machine).
      const portRanges = offers.map((o) => o.resources.find((r: Json) => r.name === 'ports')?.ranges?.range);
      expect(portRanges).toEqual(
        expect.arrayContaining([[{ begin: 31000, end: 31099 }], [{ begin: 31100, end: 31199 }]]),
      );
      // A task id with non-ASCII characters comes back escaped, so byte and character counts agree.
      const reply = await s.call('ACCEPT', launch(offer, [commandTask(offer, 'tâche-ü', 'exit 0')]));
      expect(reply.status).toBe(202);
      await s.update('tâche-ü', 'TASK_FINISHED');
      for (const record of s.records) {
        expect(record.includes(10)).toBe(false);
        expect([...record].every((byte) => byte < 0x80)).toBe(true);
      }
      expect(s.records.some((r) => r.toString().includes('t\\u00e2che-\\u00fc'))).toBe(true);
    } finally {
      await s.call('TEARDOWN');
    }
  });

  it('keeps the stream open when the request says Connection: close', async () => {
    const s = await TestScheduler.subscribe(cluster.masterUrl, info('close-test'), { Connection: 'close' });
    try {
      const start = s.events.length;
      await s.next((e) => e.type === 'HEARTBEAT', 5000, start);
      await s.next((e) => e.type === 'HEARTBEAT', 5000, s.events.length);
      expect(s.ended).toBe(false);
    } finally {
      await s.call('TEARDOWN');
    }
  });

  it('runs command tasks on the offered agent and resends updates until acknowledged', async () => {
    const s = await TestScheduler.subscribe(cluster.masterUrl, info('launch-test'), {}, false);
    try {
      const [offer] = await s.offers(0);
      if (!offer) throw new Error('no offer');
      const task = {
        ...commandTask(offer, 'echo-1', 'echo "$GREETING from $MESOS_TASK_ID"', { cpus: 0.5, mem: 64 }),
        command: {
          value: 'echo "$GREETING from $MESOS_TASK_ID"',
          environment: { variables: [{ name: 'GREETING', value: 'hello' }] },
        },
        labels: { labels: [{ key: 'team', value: 'core' }] },
      };
      expect((await s.call('ACCEPT', launch(offer, [task]))).status).toBe(202);
      await s.acknowledge(await s.update('echo-1', 'TASK_STARTING'));
      const running = await s.update('echo-1', 'TASK_RUNNING');
      await s.acknowledge(running);
      expect(running.update.status).toMatchObject({
        agent_id: offer.agent_id,
        source: 'SOURCE_EXECUTOR',
        uuid: expect.any(String),
        timestamp: expect.any(Number),
        container_status: { container_id: { value: expect.any(String) } },
      });
      const finished = await s.update('echo-1', 'TASK_FINISHED');
      // Not acknowledged: the same update comes again, with the same uuid.
      const index = s.events.indexOf(finished);
      const again = await s.next(
        (e) => e.type === 'UPDATE' && e.update.status.uuid === finished.update.status.uuid,
        5000,
        index + 1,
      );
      expect(again.update.status.state).toBe('TASK_FINISHED');
      for (const e of s.events.filter(
        (e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'echo-1',
      )) {
        expect((await s.acknowledge(e)).status).toBe(202);
      }
      const acked = s.events.length;
      await new Promise((r) => setTimeout(r, 1000));
      expect(s.events.slice(acked).filter((e) => e.type === 'UPDATE')).toEqual([]);
      const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      const framework = state.frameworks.find((f) => f.id === s.frameworkId);
      const done = framework?.completed_tasks.find((t) => t.id === 'echo-1');
      expect(done?.state).toBe('TASK_FINISHED');
      expect(done?.slave_id).toBe(offer.agent_id.value);
      expect(done).toMatchObject({
        resources: { cpus: 0.5, mem: 64 },
        labels: [{ key: 'team', value: 'core' }],
      });
    } finally {
      await s.call('TEARDOWN');
    }
  });

  it('answers invalid launches with TASK_ERROR, TASK_LOST or TASK_DROPPED and keeps serving', async () => {
    const a = await TestScheduler.subscribe(cluster.masterUrl, info('invalid-a'));
    const b = await TestScheduler.subscribe(
      cluster.masterUrl,
      info('invalid-b', { capabilities: [{ type: 'PARTITION_AWARE' }] }),
    );
    try {
      const offersA = await a.offers(0);
      const [o1, o2] = offersA;
      if (!o1 || !o2) throw new Error('expected an offer per agent');
      const tooBig = commandTask(o1, 'too-big', 'sleep 1', { cpus: 64 });
      const negative = {
        ...commandTask(o1, 'negative', 'sleep 1'),
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }],
      };
      const wrongAgent = { ...commandTask(o1, 'wrong-agent', 'sleep 1'), agent_id: o2.agent_id };
      const first = commandTask(o1, 'dup', 'sleep 30');
      const second = commandTask(o1, 'dup', 'sleep 30');
      const withExecutor = {
        ...commandTask(o1, 'with-executor', 'x'),
        command: undefined,
        executor: { executor_id: { value: 'e1' }, command: { value: 'sleep 1' } },
      };
      const reply = await a.call(
        'ACCEPT',
        launch(o1, [tooBig, negative, wrongAgent, first, second, withExecutor]),
      );
      expect(reply.status).toBe(202);
      const error = async (taskId: string) => (await a.update(taskId, 'TASK_ERROR')).update.status;
      expect(await error('too-big')).toMatchObject({
        reason: 'REASON_TASK_INVALID',
        source: 'SOURCE_MASTER',
        message: expect.stringMatching(/^Task uses more resources cpus:64.* than available cpus:4/),
      });
      expect((await error('negative')).message).toMatch(/^Task uses invalid resources: .*negative/);
      expect((await error('wrong-agent')).message).toBe(`Task uses invalid agent: ${o2.agent_id.value}`);
      expect((await error('dup')).message).toBe('Task has duplicate ID: dup');
      // A valid task with its own executor runs it; `sleep` never subscribes, so the executor ends and so does it.
      const orphan = (await a.update('with-executor', 'TASK_FAILED')).update.status;
      expect(orphan.reason).toBe('REASON_EXECUTOR_TERMINATED');
      expect((await error('too-big')).uuid).toBeUndefined();
      await a.update('dup', 'TASK_RUNNING');

      // The offer was used: launching on it again is an invalid offer (TASK_LOST, not partition aware).
      await a.call('ACCEPT', launch(o1, [commandTask(o1, 'late', 'true')]));
      expect((await a.update('late', 'TASK_LOST')).update.status).toMatchObject({
        reason: 'REASON_INVALID_OFFERS',
        message: `Task launched with invalid offers: Offer ${o1.id.value} is no longer valid`,
      });
      // Another framework's offer, from a partition-aware framework: TASK_DROPPED, and A keeps its offer.
      await b.call('ACCEPT', launch(o2, [commandTask(o2, 'stolen', 'true')]));
      expect((await b.update('stolen', 'TASK_DROPPED')).update.status.message).toBe(
        `Task launched with invalid offers: Offer ${o2.id.value} has invalid framework`,
      );
      // A's other offer was untouched and still works.
      await a.call('ACCEPT', launch(o2, [commandTask(o2, 'still-fine', 'true')]));
      await a.update('still-fine', 'TASK_FINISHED');
      // B cannot act for A with its own stream, and A's ids mean nothing to B.
      expect(
        (
          await b.call('KILL', {
            framework_id: { value: a.frameworkId },
            kill: { task_id: { value: 'dup' } },
          })
        ).status,
      ).toBe(400);
      await b.call('KILL', { kill: { task_id: { value: 'dup' }, agent_id: o1.agent_id } });
      expect((await b.update('dup', 'TASK_GONE')).update.status.reason).toBe('REASON_RECONCILIATION');
      expect(a.events.some((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_KILLED')).toBe(
        false,
      );
    } finally {
      await a.call('TEARDOWN');
      await b.call('TEARDOWN');
    }
  });

  it('validates LAUNCH_GROUP as a whole and runs a valid group under the default executor', async () => {
    const s = await TestScheduler.subscribe(cluster.masterUrl, info('groups'));
    try {
      const [offer] = await s.offers(0);
      if (!offer) throw new Error('no offer');
      const group = (tasks: unknown[]) => ({
        type: 'LAUNCH_GROUP',
        launch_group: {
          executor: {
            type: 'DEFAULT',
            executor_id: { value: 'default-1' },
            resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
          },
          task_group: { tasks },
        },
      });
      const member = (id: string, cpus = 0.1) => {
        const { command: _command, ...task } = commandTask(offer, id, 'true', { cpus });
        return { ...task, command: { value: 'sleep 1' } };
      };
      await s.call('ACCEPT', {
        accept: {
          offer_ids: [offer.id],
          operations: [group([member('g-ok'), member('g-huge', 100)]), group([member('h-1'), member('h-2')])],
        },
      });
      // One task too big fails the whole group, with the same message.
      const huge = (await s.update('g-huge', 'TASK_ERROR')).update.status.message;
      expect(huge).toMatch(/^Task uses more resources/);
      expect((await s.update('g-ok', 'TASK_ERROR')).update.status.message).toBe(huge);
      for (const id of ['h-1', 'h-2']) {
        expect((await s.update(id, 'TASK_FINISHED')).update.status.executor_id).toEqual({
          value: 'default-1',
        });
      }
    } finally {
      await s.call('TEARDOWN');
    }
  });

  it('lets a framework reuse a task id that another framework left unacknowledged', async () => {
    const a = await TestScheduler.subscribe(cluster.masterUrl, info('leaves-ids'));
    const [offerA] = await a.offers(0);
    if (!offerA) throw new Error('no offer');
    await a.call('ACCEPT', launch(offerA, [commandTask(offerA, 'shared-id', 'true')]));
    await a.update('shared-id', 'TASK_FINISHED');
    // A never acknowledges its terminal update, and is gone.
    await a.call('TEARDOWN');
    const b = await TestScheduler.subscribe(cluster.masterUrl, info('reuses-ids'));
    try {
      const [offerB] = await b.offers(0);
      if (!offerB) throw new Error('no offer');
      await b.call('ACCEPT', launch(offerB, [commandTask(offerB, 'shared-id', 'true')]));
      await b.update('shared-id', 'TASK_FINISHED');
      expect(b.events.some((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_ERROR')).toBe(false);
    } finally {
      await b.call('TEARDOWN');
    }
  });

  it('fails over a framework that subscribes again while still connected', async () => {
    const first = await TestScheduler.subscribe(cluster.masterUrl, info('twice', { failover_timeout: 60 }));
    const second = await TestScheduler.subscribe(
      cluster.masterUrl,
      info('twice', { id: { value: first.frameworkId }, failover_timeout: 60 }),
    );
    expect(second.frameworkId).toBe(first.frameworkId);
    expect(await first.next((e) => e.type === 'ERROR')).toEqual({
      type: 'ERROR',
      error: { message: 'Framework failed over' },
    });
    await eventually(async () => (first.ended ? true : undefined));
    // The old stream id is no longer the framework's.
    expect((await first.call('REVIVE')).status).toBe(400);
    expect((await second.call('REVIVE')).status).toBe(202);
    await second.call('TEARDOWN');
  });

  it('answers bad requests as Mesos does', async () => {
    const url = cluster.masterUrl;
    const json = { 'Content-Type': 'application/json' };
    const get = await post(url, '', {}, '/api/v1/scheduler', 'GET');
    expect([get.status, get.body, get.headers.allow]).toEqual([
      405,
      "Expecting a 'POST' request, received 'GET'",
      'POST',
    ]);
    expect(await post(url, '{}', {})).toMatchObject({
      status: 400,
      body: "Expecting 'Content-Type' to be present",
    });
    expect((await post(url, 'x', { 'Content-Type': 'application/x-protobuf' })).status).toBe(415);
    expect((await post(url, 'x', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post(url, '{"type":', json)).body).toMatch(/^Failed to parse body into JSON/);
    const huge = `{"type":"SUBSCRIBE","pad":"${'x'.repeat(10 * 1024 * 1024)}`;
    expect(await post(url, huge, json)).toMatchObject({
      status: 400,
      body: expect.stringMatching(/^Failed to parse body into JSON/),
    });
    expect(await post(url, { type: 'LAUNCH_EVERYTHING' }, json)).toMatchObject({
      status: 400,
      body: "Failed to convert JSON into Call protobuf: Failed to find enum for 'LAUNCH_EVERYTHING'",
    });
    expect((await post(url, {}, json)).body).toBe(
      "Failed to validate scheduler::Call: Expecting 'type' to be present",
    );
    expect((await post(url, { type: 'DECLINE', decline: { offer_ids: [] } }, json)).body).toBe(
      "Failed to validate scheduler::Call: Expecting 'framework_id' to be present",
    );
    expect((await post(url, { type: 'REVIVE', framework_id: 'abc' }, json)).body).toMatch(
      /^Failed to convert JSON into Call protobuf: Not expecting a JSON string for field 'framework_id'/,
    );
    expect(await post(url, { type: 'REVIVE', framework_id: { value: 'nope' } }, json)).toMatchObject({
      status: 400,
      body: 'Framework cannot be found',
    });
    expect(
      (
        await post(
          url,
          { type: 'SUBSCRIBE', subscribe: { framework_info: info('x') } },
          { ...json, 'Mesos-Stream-Id': 'a' },
        )
      ).body,
    ).toBe("Subscribe calls should not include the 'Mesos-Stream-Id' header");

    const s = await TestScheduler.subscribe(url, info('errors', { failover_timeout: 60 }));
    // Unknown fields (v0 leftovers) are ignored.
    expect((await s.call('REVIVE', { slave_id: { value: 'x' }, whatever: 1 })).status).toBe(202);
    expect((await s.call('REVIVE', {}, { 'Mesos-Stream-Id': 'not-mine' })).body).toBe(
      `The stream ID 'not-mine' included in this request didn't match the stream ID currently associated with framework ID ${s.frameworkId}`,
    );
    const noStream = await post(url, { type: 'REVIVE', framework_id: { value: s.frameworkId } }, json);
    expect(noStream).toMatchObject({
      status: 400,
      body: "All non-subscribe calls should include the 'Mesos-Stream-Id' header",
    });
    expect(
      (
        await s.call('ACKNOWLEDGE', {
          acknowledge: { uuid: 'short', task_id: { value: 't' }, agent_id: { value: 'a' } },
        })
      ).body,
    ).toBe('Failed to validate scheduler::Call: Not a valid UUID');
    expect((await s.call('KILL')).body).toBe(
      "Failed to validate scheduler::Call: Expecting 'kill' to be present",
    );
    s.disconnect();
    await eventually(async () => {
      const reply = await s.call('REVIVE');
      return reply.status === 403 ? reply : undefined;
    });
    expect((await s.call('REVIVE')).body).toBe('Framework is not subscribed');
    // The master kept serving all along.
    expect((await getJson(`${url}/master/state`)).frameworks).toBeDefined();
  });

  it('answers every other call with 202 and UPDATE_FRAMEWORK with 200', async () => {
    const s = await TestScheduler.subscribe(
      cluster.masterUrl,
      info('calls', { roles: ['calls'], capabilities: [{ type: 'MULTI_ROLE' }] }),
    );
    try {
      const [offer] = await s.offers(0);
      if (!offer) throw new Error('no offer');
      expect(offer.allocation_info).toEqual({ role: 'calls' });
      await s.call('ACCEPT', launch(offer, [commandTask(offer, 'long', 'sleep 30')]));
      const running = await s.update('long', 'TASK_RUNNING');
      await s.acknowledge(running);
      const from = s.events.length;
      expect((await s.call('RECONCILE', { reconcile: { tasks: [] } })).status).toBe(202);
      const implicit = await s.next(
        (e) => e.type === 'UPDATE' && e.update.status.reason === 'REASON_RECONCILIATION',
        5000,
        from,
      );
      expect(implicit.update.status).toMatchObject({
        task_id: { value: 'long' },
        state: 'TASK_RUNNING',
        source: 'SOURCE_MASTER',
      });
      expect(implicit.update.status.uuid).toBeUndefined();
      await s.call('RECONCILE', { reconcile: { tasks: [{ task_id: { value: 'never-was' } }] } });
      expect((await s.update('never-was', 'TASK_LOST')).update.status.message).toBe(
        'Reconciliation: Task is unknown',
      );
      expect(
        (
          await s.call('MESSAGE', {
            message: { agent_id: offer.agent_id, executor_id: { value: 'long' }, data: 'aGk=' },
          })
        ).status,
      ).toBe(202);
      expect((await s.call('REQUEST', { request: { requests: [] } })).status).toBe(202);
      const updated = await s.call('UPDATE_FRAMEWORK', {
        update_framework: {
          framework_info: {
            ...info('calls-renamed'),
            id: { value: s.frameworkId },
            roles: ['calls'],
            capabilities: [{ type: 'MULTI_ROLE' }],
          },
        },
      });
      expect(updated.status).toBe(200);
      expect(
        (await s.call('SHUTDOWN', { shutdown: { executor_id: { value: 'long' }, agent_id: offer.agent_id } }))
          .status,
      ).toBe(202);
      const killed = await s.update('long', 'TASK_KILLED');
      await s.acknowledge(killed);
      const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      expect(state.frameworks.find((f) => f.id === s.frameworkId)?.name).toBe('calls-renamed');
    } finally {
      await s.call('TEARDOWN');
    }
    await eventually(async () => {
      const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      return state.completed_frameworks.some((f) => f.id === s.frameworkId) ? true : undefined;
    });
    expect(s.ended).toBe(true);
  });

  it('declines with a refuse filter, suppresses and revives', async () => {
    const s = await TestScheduler.subscribe(cluster.masterUrl, info('filters'));
    try {
      const offers = await s.offers(0);
      expect(offers.length).toBe(2);
      const from = s.events.length;
      await s.call('DECLINE', {
        decline: { offer_ids: offers.map((o) => o.id), filters: { refuse_seconds: 3600 } },
      });
      await new Promise((r) => setTimeout(r, 600));
      expect(s.events.slice(from).filter((e) => e.type === 'OFFERS')).toEqual([]);
      await s.call('REVIVE');
      expect((await s.offers(from)).length).toBe(2);
      const suppressedAt = s.events.length;
      await s.call('SUPPRESS');
      await s.next((e) => e.type === 'RESCIND', 5000, suppressedAt);
      await new Promise((r) => setTimeout(r, 600));
      expect(s.events.slice(suppressedAt).filter((e) => e.type === 'OFFERS')).toEqual([]);
      await s.call('REVIVE', { revive: { roles: ['*'] } });
      await s.offers(suppressedAt);
    } finally {
      await s.call('TEARDOWN');
    }
  });

  it('keeps a framework and its tasks across a failover within failover_timeout, and removes it after', async () => {
    const first = await TestScheduler.subscribe(
      cluster.masterUrl,
      info('failover', { failover_timeout: 1.5 }),
      {},
      false,
    );
    const [offer] = await first.offers(0);
    if (!offer) throw new Error('no offer');
    await first.call('ACCEPT', launch(offer, [commandTask(offer, 'survivor', 'sleep 60')]));
    await first.update('survivor', 'TASK_STARTING');
    first.disconnect();
    const frameworkState = async () =>
      (await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`)).frameworks.find(
        (f) => f.id === first.frameworkId,
      );
    await eventually(async () => ((await frameworkState())?.active === false ? true : undefined));
    const metrics = await getJson<Record<string, number>>(`${cluster.masterUrl}/metrics/snapshot`);
    expect(metrics['master/frameworks_disconnected']).toBeGreaterThanOrEqual(1);
    // Back within the timeout: same id, its task still running; the unacknowledged update comes again.
    const second = await TestScheduler.subscribe(
      cluster.masterUrl,
      info('failover', { id: { value: first.frameworkId }, failover_timeout: 1.5 }),
      {},
      false,
    );
    expect(second.frameworkId).toBe(first.frameworkId);
    expect(second.streamId).not.toBe(first.streamId);
    const resent = await second.update('survivor', 'TASK_STARTING');
    await second.acknowledge(resent);
    await second.acknowledge(await second.update('survivor', 'TASK_RUNNING'));
    expect((await frameworkState())?.tasks.map((t) => t.id)).toEqual(['survivor']);
    // Gone for longer than the timeout: torn down, its task killed.
    second.disconnect();
    await eventually(async () => {
      const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      const done = state.completed_frameworks.find((f) => f.id === first.frameworkId);
      return done?.completed_tasks.some((t) => t.id === 'survivor' && t.state === 'TASK_KILLED')
        ? true
        : undefined;
    });
    const third = await TestScheduler.subscribe(
      cluster.masterUrl,
      info('failover', { id: { value: first.frameworkId } }),
    );
    expect(third.events[0]).toEqual({ type: 'ERROR', error: { message: 'Framework has been removed' } });
  });
});

describe('allocator', () => {
  const multi = (name: string, role: string) =>
    info(name, { roles: [role], capabilities: [{ type: 'MULTI_ROLE' }] });

  /**
   * On one agent: `first` holds `firstCpus`, `second` holds `secondCpus`, both refuse the agent meanwhile. A
   * third framework holds what is left while both revive, then declines it: who gets it next is DRF's choice.
   */
  async function nextAfterBoth(
    masterUrl: string,
    first: [string, number],
    second: [string, number],
  ): Promise<string> {
    const holders: TestScheduler[] = [];
    for (const [role, cpus] of [first, second]) {
      const s = await TestScheduler.subscribe(masterUrl, multi(`holds-${role}`, role));
      const [offer] = await s.offers(0);
      if (!offer) throw new Error('no offer');
      const tasks = cpus > 0 ? [commandTask(offer, `${role}-task`, 'sleep 60', { cpus, mem: 32 })] : [];
      await s.call('ACCEPT', launch(offer, tasks, 3600));
      holders.push(s);
    }
    const holder = await TestScheduler.subscribe(masterUrl, multi('placeholder', 'placeholder'));
    const [held] = await holder.offers(0);
    const marks = holders.map((s) => s.events.length);
    for (const s of holders) await s.call('REVIVE');
    await holder.call('DECLINE', { decline: { offer_ids: [held?.id], filters: { refuse_seconds: 3600 } } });
    const winner = await Promise.race(
      holders.map(async (s, i) => {
        const [offer] = await s.offers(marks[i]);
        return String(offer?.allocation_info.role);
      }),
    );
    for (const s of [...holders, holder]) await s.call('TEARDOWN');
    return winner;
  }

  it('offers to the role with the smallest dominant share first', async () => {
    const cluster = await startCluster({
      scenario: 'empty',
      agents: 1,
      schedulerApi: { allocationIntervalMs: 100 },
    });
    try {
      // "busy" holds 1 of 4 cpus (share 0.25), "idle" nothing.
      expect(await nextAfterBoth(cluster.masterUrl, ['busy', 1], ['idle', 0])).toBe('idle');
    } finally {
      await cluster.close();
    }
  });

  it('divides shares by role weights', async () => {
    const cluster = await startCluster({
      scenario: 'empty',
      agents: 1,
      schedulerApi: { allocationIntervalMs: 100 },
      weights: { heavy: 3 },
    });
    try {
      // light: 1 of 4 cpus = 0.25; heavy: 2 of 4 cpus = 0.5, weighted 3 -> 0.17, so heavy comes first.
      expect(await nextAfterBoth(cluster.masterUrl, ['light', 1], ['heavy', 2])).toBe('heavy');
    } finally {
      await cluster.close();
    }
  });

  it('serves a role below its quota guarantee first and keeps its headroom from others', async () => {
    const cluster = await startCluster({
      scenario: 'empty',
      agents: 2,
      schedulerApi: { allocationIntervalMs: 100 },
      quotas: { guaranteed: { guarantee: { cpus: 6 } } },
    });
    try {
      const other = await TestScheduler.subscribe(cluster.masterUrl, multi('no-quota', 'plain'));
      // 8 cpus in the cluster, 6 guaranteed to a role with no framework yet: others see only 2.
      const offers = await other.offers(0);
      const offeredCpus = offers.reduce((sum, o) => sum + sumScalar(o.resources, 'cpus'), 0);
      expect(offeredCpus).toBeCloseTo(2, 5);
      await other.call('DECLINE', {
        decline: { offer_ids: offers.map((o) => o.id), filters: { refuse_seconds: 0 } },
      });
      const quota = await TestScheduler.subscribe(cluster.masterUrl, multi('quota', 'guaranteed'));
      const quotaOffers = await quota.offers(0);
      expect(quotaOffers.every((o) => o.allocation_info.role === 'guaranteed')).toBe(true);
      expect(quotaOffers.reduce((sum, o) => sum + sumScalar(o.resources, 'cpus'), 0)).toBeGreaterThanOrEqual(
        6,
      );
      for (const s of [other, quota]) await s.call('TEARDOWN');
    } finally {
      await cluster.close();
    }
  });

  it('rescinds an offer held past the offer timeout', async () => {
    const cluster = await startCluster({
      scenario: 'empty',
      agents: 1,
      schedulerApi: { offerTimeoutSecs: 0.5 },
    });
    try {
      const s = await TestScheduler.subscribe(cluster.masterUrl, info('slow'));
      const [offer] = await s.offers(0);
      const rescind = await s.next((e) => e.type === 'RESCIND');
      expect(rescind.rescind).toEqual({ offer_id: offer?.id });
      await s.call('ACCEPT', launch(offer ?? {}, [commandTask(offer ?? {}, 'too-late', 'true')]));
      expect((await s.update('too-late', 'TASK_LOST')).update.status.reason).toBe('REASON_INVALID_OFFERS');
      await s.call('TEARDOWN');
    } finally {
      await cluster.close();
    }
  });
});

describe('scheduler API with standby masters', () => {
  it('redirects to the leader from a standby, and answers 503 while none is elected', async () => {
    const cluster = await startCluster({ scenario: 'empty', agents: 1, masters: 2, electionDelayMs: 60_000 });
    try {
      const [leader, standby] = cluster.masterUrls;
      const subscribe = { type: 'SUBSCRIBE', subscribe: { framework_info: info('ha') } };
      const json = { 'Content-Type': 'application/json' };
      const redirected = await post(standby ?? '', subscribe, json, '/master/api/v1/scheduler');
      expect(redirected.status).toBe(307);
      expect(redirected.headers.location).toBe(`//${new URL(leader ?? '').host}/master/api/v1/scheduler`);
      await cluster.control.killLeader();
      const none = await post(standby ?? '', subscribe, json);
      expect([none.status, none.body]).toEqual([503, 'No leader elected']);
    } finally {
      await cluster.close();
    }
  });
});
