/**
 * The BFF reading clusters through the v1 operator event stream: against the embedded cluster, a hung master,
 * a Mesos 0.27 master that has no v1 API, and many concurrent viewers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, startScaleCluster } from '../cluster';
import type { LocalCluster, ScaleCluster } from '../cluster';
import { fixture } from '../mesos/test-fixtures';
import type { OverviewView, StatusView, TaskPage } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { eventually } from '../testing/eventually';

describe('a BFF subscribed to the embedded cluster', () => {
  let cluster: LocalCluster;
  let bff: TestBff;

  beforeAll(async () => {
    cluster = await startCluster({
      scenario: 'empty',
      agents: 1,
      operatorApi: { heartbeatIntervalSeconds: 0.2 },
    });
    bff = await buildTestBff([cluster.masterUrl]);
    await bff.poller.pollOnce();
  }, 60_000);
  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  it('reads the cluster from the event stream, not from /master/state', async () => {
    expect(bff.poller.status.connected).toBe(true);
    expect(bff.poller.stream?.active).toBe(true);
    expect(bff.poller.snapshot?.state.slaves.map((a) => a.id)).toEqual([cluster.agents[0]?.id]);
    expect(cluster.control.masterTraffic().byPath['/master/state']).toBeUndefined();
  });

  it('shows a launched task from TASK_ADDED and its updates, still without a state poll', async () => {
    const status = async () => (await bff.app.inject({ url: '/api/status' })).json<StatusView>();
    const versionBefore = (await status()).snapshotVersion;
    expect(versionBefore).toEqual(bff.poller.snapshot?.version);
    const launched = await cluster.control.launchTask({
      framework: 'stream-bff',
      name: 'sleeper',
      cmd: 'sleep 30',
    });
    const page = await eventually(
      async () => {
        await bff.poller.pollOnce();
        return (await bff.app.inject({ url: '/api/tasks?group=active' })).json<TaskPage>();
      },
      (p) => p.rows.some((row) => row.id === launched.taskId && row.state === 'TASK_RUNNING'),
    );
    expect(page.rows.find((row) => row.id === launched.taskId)).toMatchObject({
      frameworkName: 'stream-bff',
      agentId: launched.agentId,
      state: 'TASK_RUNNING',
    });
    await cluster.control.killTask(launched.taskId);
    const completed = await eventually(
      async () => {
        await bff.poller.pollOnce();
        return (await bff.app.inject({ url: '/api/tasks?group=completed' })).json<TaskPage>();
      },
      (p) => p.rows.some((row) => row.id === launched.taskId),
    );
    expect(completed.rows.find((row) => row.id === launched.taskId)?.state).toBe('TASK_KILLED');
    // The status says the snapshot changed, which is how a page learns to ask for its tasks again.
    expect((await status()).snapshotVersion).toBeGreaterThan(versionBefore ?? Infinity);
    const traffic = cluster.control.masterTraffic().byPath;
    expect(traffic['/master/state']).toBeUndefined();
    expect(traffic['/api/v1']).toBeGreaterThan(0);
  });

  it('keeps the last data and says so when the master goes away, then subscribes again', async () => {
    await bff.poller.pollOnce();
    const before = bff.poller.snapshot;
    await cluster.control.stopMaster();
    try {
      const down = await eventually(
        async () => {
          await bff.poller.pollOnce();
          return (await bff.app.inject({ url: '/api/status' })).json<StatusView>();
        },
        (s) => !s.connected,
      );
      expect(down.lastError).toMatch(/refused|closed|reached/i);
      expect(bff.poller.snapshot).toBe(before);
      expect((await bff.app.inject({ url: '/api/overview' })).statusCode).toBe(200);
    } finally {
      await cluster.control.startMaster();
    }
    const subscriptions = bff.poller.stream?.subscriptions ?? 0;
    const up = await eventually(async () => {
      await bff.poller.pollOnce().catch(() => undefined);
      return bff.poller.status.connected;
    }, Boolean);
    expect(up).toBe(true);
    expect(bff.poller.stream?.subscriptions).toBe(subscriptions + 1);
  });

  it('keeps the ETag while nothing changes, so viewers get 304s', async () => {
    await bff.poller.pollOnce();
    const first = await bff.app.inject({ url: '/api/overview' });
    const version = bff.poller.snapshot?.version;
    await bff.poller.pollOnce();
    expect(bff.poller.snapshot?.version).toBe(version);
    const again = await bff.app.inject({
      url: '/api/overview',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });
});

describe('a master that stops sending heartbeats', () => {
  let cluster: ScaleCluster;
  let bff: TestBff;
  const log: string[] = [];

  beforeAll(async () => {
    cluster = await startScaleCluster({
      scenario: 'small',
      churn: 'manual',
      spec: { agents: 5, frameworks: 2, activeTasks: 20, historyHours: 0 },
      operatorApi: { heartbeatIntervalSeconds: 0.1 },
    });
    bff = await buildTestBff(
      [cluster.masterUrl],
      2_000,
      {},
      { stream: { backoffMs: { first: 100, max: 400 }, log: (line) => log.push(line) } },
    );
    await bff.poller.pollOnce();
  }, 60_000);
  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  it('is given up after 2 silent heartbeat intervals and subscribed to again, with the events missed meanwhile', async () => {
    expect(bff.poller.stream?.subscriptions).toBe(1);
    cluster.operatorApi.setFrozen(true);
    // While the master is silent, tasks keep changing: the new subscription must bring them.
    const launched = await cluster.control.launchTask({ framework: 'late', name: 'missed', cmd: 'true' });
    const status = await eventually(
      async () => {
        await bff.poller.pollOnce().catch(() => undefined);
        return (await bff.app.inject({ url: '/api/status' })).json<StatusView>();
      },
      (s) => !s.connected,
    );
    expect(log.join('\n')).toMatch(/stalled: nothing for 2 heartbeat intervals/);
    expect(status.lastError).toBeTruthy();
    // The page keeps the last good data while the stream is down.
    expect((await bff.app.inject({ url: '/api/overview' })).statusCode).toBe(200);

    cluster.operatorApi.setFrozen(false);
    await eventually(
      async () => {
        await bff.poller.pollOnce().catch(() => undefined);
        return bff.poller.status.connected;
      },
      (connected) => connected,
    );
    expect(bff.poller.stream?.subscriptions).toBeGreaterThanOrEqual(2);
    const page = (await bff.app.inject({ url: '/api/tasks?group=active&q=missed' })).json<TaskPage>();
    expect(page.rows.map((row) => row.id)).toEqual([launched.taskId]);
  });
});

describe('a Mesos 0.27 master, which has no v1 operator API', () => {
  let server: http.Server;
  let url: string;
  let bff: TestBff;
  const requests: string[] = [];

  beforeAll(async () => {
    const state = JSON.stringify(fixture('v0.27.1-capgemini/master-state.json'));
    const metrics = JSON.stringify(fixture('v0.27.1-capgemini/metrics-snapshot.json'));
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const path = (req.url ?? '').split('?')[0];
      if (
        req.method === 'GET' &&
        (path === '/master/state' || path === '/state.json' || path === '/master/state.json')
      ) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(state);
      } else if (req.method === 'GET' && path === '/metrics/snapshot') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(metrics);
      } else if (path === '/master/redirect') {
        res.writeHead(307, { location: `//127.0.0.1:${(server.address() as AddressInfo).port}` }).end();
      } else {
        // Mesos 0.27 knows no /api/v1: libprocess answers 404.
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    bff = await buildTestBff([url]);
  });
  afterAll(async () => {
    await bff?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is polled for /master/state instead, after one probe of /api/v1', async () => {
    await bff.poller.pollOnce();
    await bff.poller.pollOnce();
    expect(bff.poller.status.connected).toBe(true);
    const overview = (await bff.app.inject({ url: '/api/overview' })).json<OverviewView>();
    expect(overview.master.version).toBe('0.27.1');
    expect(requests.filter((r) => r.startsWith('POST /api/v1'))).toHaveLength(1);
    expect(requests.filter((r) => r.startsWith('GET /master/state')).length).toBe(2);
    expect(bff.poller.stream?.active).toBe(false);
  });
});

describe.each(['stream', 'poll'] as const)('many viewers on one BFF (%s)', (read) => {
  let cluster: ScaleCluster;
  let bff: TestBff;

  beforeAll(async () => {
    cluster = await startScaleCluster({
      scenario: 'small',
      seed: 5,
      spec: { agents: 20, frameworks: 5, activeTasks: 200, historyHours: 0.05 },
    });
    bff = await buildTestBff([cluster.masterUrl], 2_000, {}, { intervalMs: 300, read });
    bff.poller.start();
    await eventually(
      () => bff.poller.snapshot,
      (s) => s !== null,
      20_000,
    );
  }, 60_000);
  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  /** Upstream requests and poll cycles while `viewers` browsers poll the overview and task pages for `ms`. */
  async function watch(viewers: number, ms: number) {
    const before = cluster.control.masterTraffic();
    const versionBefore = bff.poller.snapshot?.version ?? 0;
    const deadline = Date.now() + ms;
    let viewRequests = 0;
    await Promise.all(
      Array.from({ length: viewers }, async (_, i) => {
        let etag = '';
        while (Date.now() < deadline) {
          const response = await bff.app.inject({
            url: i % 2 ? '/api/overview' : `/api/tasks?group=active&offset=${(i % 4) * 50}`,
            headers: etag ? { 'if-none-match': etag } : {},
          });
          etag = String(response.headers.etag ?? '');
          viewRequests += 1;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }),
    );
    return {
      upstream: cluster.control.masterTraffic().requests - before.requests,
      cycles: (bff.poller.snapshot?.version ?? 0) - versionBefore,
      viewRequests,
    };
  }

  it('costs the master the same with 100 viewers as with 1', async () => {
    const one = await watch(1, 4_000);
    const hundred = await watch(100, 4_000);
    expect(hundred.viewRequests).toBeGreaterThan(one.viewRequests * 50);
    if (read === 'poll') {
      // Every poll is one state and one metrics read, whoever watches; viewers never add a read.
      for (const window of [one, hundred]) {
        expect(window.cycles).toBeGreaterThan(3);
        expect(Math.abs(window.upstream - 2 * window.cycles)).toBeLessThanOrEqual(2);
      }
    } else {
      // Only the stream and the periodic reads (a few every 4 s here), on mesoscope's own clock.
      expect(hundred.upstream).toBeLessThanOrEqual(Math.max(one.upstream, 4) + 3);
      expect(cluster.control.masterTraffic().byPath['/master/state']).toBeUndefined();
    }
  }, 30_000);
});
