import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../mesos/recordio';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { eventually, getJson } from '../test-helpers';
import type { MasterStateJson } from '../test-helpers';
import { SchedulerDriver, scalarResource } from './scheduler-driver';
import type { V1 } from './scheduler-driver';

const FAST = {
  heartbeatIntervalSeconds: 0.3,
  allocationIntervalMs: 100,
  statusUpdates: { retryMinMs: 300, retryMaxMs: 1200 },
};

function nextEvent<K extends 'offers' | 'subscribed' | 'disconnected' | 'refused'>(
  driver: SchedulerDriver,
  name: K,
): Promise<unknown> {
  return new Promise((resolve) => driver.once(name, ((value: unknown) => resolve(value)) as never));
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

describe('scheduler driver', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 2, schedulerApi: FAST });
  });
  afterAll(() => cluster.close());

  it('launches a task from an offer, acknowledges its updates and tears down', async () => {
    const driver = new SchedulerDriver({
      masters: cluster.masterUrl,
      frameworkInfo: { user: 'root', name: 'driver-launch', failover_timeout: 60 },
      retryDelayMs: 100,
    });
    const updates: V1[] = [];
    driver.on('update', (status) => updates.push(status));
    const offers = nextEvent(driver, 'offers') as Promise<V1[]>;
    const subscribed = await driver.start();
    expect(subscribed.framework_id.value).toBe(driver.frameworkId);
    const [offer] = await offers;
    if (!offer) throw new Error('no offer');
    await driver.launch(
      [offer.id.value],
      [
        {
          name: 'hello',
          task_id: { value: 'hello-1' },
          agent_id: offer.agent_id,
          resources: [scalarResource('cpus', 0.1), scalarResource('mem', 32)],
          command: { value: 'echo hi' },
        },
      ],
    );
    await eventually(async () => (updates.some((u) => u.state === 'TASK_FINISHED') ? true : undefined));
    // Acknowledged: the master does not send them again (it retries unacknowledged ones every 300 ms).
    const seen = updates.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(updates.length).toBe(seen);
    expect(updates.map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);

    await driver.stop(true);
    const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
    expect(state.frameworks.find((f) => f.id === driver.frameworkId)).toBeUndefined();
  });

  it('sends every call the master accepts', async () => {
    const driver = new SchedulerDriver({
      masters: cluster.masterUrl,
      frameworkInfo: {
        user: 'root',
        name: 'driver-calls',
        roles: ['driver'],
        capabilities: [{ type: 'MULTI_ROLE' }],
      },
    });
    const offers = nextEvent(driver, 'offers') as Promise<V1[]>;
    await driver.start();
    try {
      const [offer] = await offers;
      await driver.decline([offer?.id.value], { refuse_seconds: 1 });
      await driver.suppress();
      await driver.revive();
      await driver.reconcile();
      await driver.reconcile([{ taskId: 'nothing' }]);
      await driver.kill('nothing');
      await expect(driver.call('NOT_A_CALL')).rejects.toThrow(/answered 400/);
    } finally {
      await driver.stop(true);
    }
  });

  it('re-subscribes with its framework id after the stream breaks', async () => {
    const driver = new SchedulerDriver({
      masters: cluster.masterUrl,
      frameworkInfo: { user: 'root', name: 'driver-failover', failover_timeout: 60 },
      retryDelayMs: 100,
    });
    const first = await driver.start();
    const disconnected = nextEvent(driver, 'disconnected');
    const again = nextEvent(driver, 'subscribed') as Promise<V1>;
    driver.dropConnection();
    expect(await disconnected).toEqual(expect.any(String));
    expect((await again).framework_id.value).toBe(first.framework_id.value);
    const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
    expect(state.frameworks.filter((f) => f.name === 'driver-failover')).toMatchObject([
      { id: first.framework_id.value, active: true },
    ]);
    await driver.stop(true);
  });

  it('stops when the master refuses the framework', async () => {
    const driver = new SchedulerDriver({
      masters: cluster.masterUrl,
      frameworkInfo: { user: 'root', name: 'driver-removed' },
    });
    const { framework_id } = await driver.start();
    await driver.stop(true);
    const again = new SchedulerDriver({
      masters: cluster.masterUrl,
      frameworkInfo: { user: 'root', name: 'driver-removed' },
      frameworkId: framework_id.value,
    });
    await expect(again.start()).rejects.toThrow(/removed|torn down|Framework/i);
    expect(again.connected).toBe(false);
  });

  it('retries while a master answers 503 and follows a standby to the leader', async () => {
    let asked = 0;
    const standby = await listen((req, res) => {
      asked += 1;
      req.resume();
      if (asked <= 2) {
        res.writeHead(503).end('No leader elected');
        return;
      }
      res.writeHead(307, { Location: `//${new URL(cluster.masterUrl).host}/master/api/v1/scheduler` }).end();
    });
    const driver = new SchedulerDriver({
      masters: urlOf(standby),
      frameworkInfo: { user: 'root', name: 'driver-standby' },
      retryDelayMs: 50,
    });
    try {
      await driver.start();
      expect(asked).toBe(3);
      expect(driver.masterUrl).toBe(cluster.masterUrl);
      await driver.revive();
    } finally {
      await driver.stop(true);
      standby.close();
    }
  });

  it('treats a stream without heartbeats as dead and subscribes again as the same framework', async () => {
    const calls: V1[] = [];
    const silent = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        calls.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as V1);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': `s${calls.length}` });
        const subscribed = {
          type: 'SUBSCRIBED',
          subscribed: { framework_id: { value: 'fw-1' }, heartbeat_interval_seconds: 0.1 },
        };
        res.write(encodeRecord(JSON.stringify(subscribed)));
        // ...and then nothing: no HEARTBEAT ever.
      });
    });
    const driver = new SchedulerDriver({
      masters: urlOf(silent),
      frameworkInfo: { user: 'root', name: 'driver-silent' },
      missedHeartbeats: 2,
      retryDelayMs: 50,
    });
    try {
      await driver.start();
      await eventually(async () => (calls.length >= 2 ? true : undefined), 5000);
      expect(calls[0]?.framework_id).toBeUndefined();
      expect(calls[1]).toMatchObject({
        type: 'SUBSCRIBE',
        framework_id: { value: 'fw-1' },
        subscribe: { framework_info: { id: { value: 'fw-1' }, name: 'driver-silent' } },
      });
    } finally {
      await driver.stop();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
