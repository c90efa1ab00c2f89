import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { MarathonClient } from './marathon/marathon-client';
import { Marathons } from './marathon/marathons';
import type {
  MarathonAppView,
  MarathonAppsView,
  MarathonDeploymentsView,
  MarathonSummaryView,
  MarathonTreeRow,
} from './schemas/marathon';
import type { StatusView } from './schemas/views';
import { buildTestBff } from './test-support';
import type { TestBff } from './test-support';
import { FIXTURE_SETS, startFixtureCluster } from './testing/fixture-cluster';
import type { FixtureCluster } from './testing/fixture-cluster';
import { startFixtureMarathon } from './testing/fixture-marathon';
import type { FixtureMarathon, FixtureMarathonOptions } from './testing/fixture-marathon';
import { MesosCredentials } from './upstream/credentials';

const CAPGEMINI = FIXTURE_SETS.find((set) => set.name === 'v0.27.1-capgemini')!;

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

interface Setup {
  bff: TestBff;
  cluster: FixtureCluster;
  marathon: FixtureMarathon;
  marathons: Marathons;
}

async function setup(
  options: {
    marathon?: FixtureMarathonOptions;
    timeoutMs?: number;
    credentials?: MesosCredentials;
    events?: boolean;
  } = {},
): Promise<Setup> {
  const cluster = await startFixtureCluster(CAPGEMINI);
  cleanups.push(() => cluster.close());
  const marathon = await startFixtureMarathon({ mesosState: cluster.masterState, ...options.marathon });
  cleanups.push(() => marathon.close());
  const client = new MarathonClient({
    timeoutMs: options.timeoutMs ?? 2_000,
    credentials: options.credentials ?? null,
    maxBodyBytes: 64 * 1024 * 1024,
  });
  cleanups.push(() => client.close());
  const marathons = new Marathons({
    client,
    configured: [marathon.url],
    source: { intervalMs: 60_000, eventsIntervalMs: 60_000, events: options.events ?? false },
  });
  const bff = await buildTestBff([cluster.masterUrl], 2_000, {}, { marathons });
  cleanups.push(async () => {
    marathons.stop();
    await bff.close();
  });
  await bff.poller.pollOnce();
  await marathons.get()!.pollOnce();
  return { bff, cluster, marathon, marathons };
}

async function get<T>(bff: TestBff, url: string): Promise<{ status: number; body: T; etag: string }> {
  const response = await bff.app.inject({ method: 'GET', url });
  return {
    status: response.statusCode,
    body: (response.body ? response.json() : null) as T,
    etag: String(response.headers.etag ?? ''),
  };
}

function app(rows: MarathonTreeRow[], id: string) {
  const row = rows.find((candidate) => candidate.id === id);
  if (row?.kind !== 'app') throw new Error(`no app ${id}`);
  return row;
}

describe('Marathon pages over a fixture Marathon', () => {
  it('reads /v2/apps with the embeds the pages need, and shows every group and app as a tree', async () => {
    const { bff, marathon } = await setup();
    const appsRead = marathon.requests.find((request) => request.url.startsWith('/v2/apps'))!;
    const embeds = new URL(appsRead.url, 'http://x').searchParams.getAll('embed');
    expect(embeds).toEqual([
      'app.tasks',
      'app.counts',
      'app.deployments',
      'app.lastTaskFailure',
      'app.taskStats',
    ]);

    const { status, body } = await get<MarathonAppsView>(bff, '/api/marathon/apps');
    expect(status).toBe(200);
    expect(body.marathon.connected).toBe(true);
    expect(body.frameworkId).toBe('82cde340-9d3b-40a6-87e2-953952745763-0000');
    const ids = body.rows.map((row) => `${row.kind} ${row.id} ${row.depth}`);
    // Groups come before their apps, nested groups one level deeper.
    expect(ids.indexOf('group /tools 0')).toBeLessThan(ids.indexOf('group /tools/docker 1'));
    expect(ids.indexOf('group /tools/docker 1')).toBeLessThan(ids.indexOf('app /tools/docker/registry 2'));
    expect(ids).toContain('group /tools/log 1');

    expect(app(body.rows, '/tools/datadog-agent').status).toBe('Waiting');
    expect(app(body.rows, '/foo').status).toBe('Waiting');
    expect(app(body.rows, '/myapp').status).toBe('Deploying');
    expect(app(body.rows, '/tools/log/archiver').status).toBe('Suspended');
    const shipper = app(body.rows, '/tools/log/shipper');
    expect(shipper.status).toBe('Delayed');
    expect(shipper.delaySeconds).toBe(95);
    expect(shipper.lastFailure).toBe('TASK_FAILED: Command exited with status 137');
    const stubby = app(body.rows, '/stubby');
    expect(stubby.status).toBe('Running');
    expect(stubby.instances).toEqual({ wanted: 3, running: 3, healthy: 2, unhealthy: 1, staged: 0 });
    expect(stubby.constraints).toEqual(['hostname:UNIQUE']);

    const tools = body.rows.find((row) => row.id === '/tools' && row.kind === 'group');
    expect(tools?.kind === 'group' && tools.apps).toBe(5);
    const total = Object.values(body.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(marathon.state.apps.length);
  });

  it('answers an unchanged Marathon with 304 to the ETag, and a new one once an app changes', async () => {
    const { bff, marathon, marathons } = await setup();
    const first = await get<MarathonAppsView>(bff, '/api/marathon/apps');
    const again = await bff.app.inject({
      method: 'GET',
      url: '/api/marathon/apps',
      headers: { 'if-none-match': first.etag },
    });
    expect(again.statusCode).toBe(304);
    await marathons.get()!.pollOnce();
    const unchanged = await bff.app.inject({
      method: 'GET',
      url: '/api/marathon/apps',
      headers: { 'if-none-match': first.etag },
    });
    expect(unchanged.statusCode).toBe(304);

    marathon.update((state) => {
      state.apps.find((candidate) => candidate.id === '/tools/log/archiver').instances = 2;
    });
    await marathons.get()!.pollOnce();
    const changed = await get<MarathonAppsView>(bff, '/api/marathon/apps');
    expect(changed.etag).not.toBe(first.etag);
    expect(app(changed.body.rows, '/tools/log/archiver').instances.wanted).toBe(2);
  });

  it("shows an app's tasks with their health, Mesos task and agent, its last failure, deployment and definition", async () => {
    const { bff } = await setup();
    const { status, body } = await get<MarathonAppView>(
      bff,
      `/api/marathon/app?id=${encodeURIComponent('/stubby')}`,
    );
    expect(status).toBe(200);
    expect(body.tasks).toHaveLength(3);
    expect(body.tasks.filter((task) => task.health === 'unhealthy')).toHaveLength(1);
    const unhealthy = body.tasks.find((task) => task.health === 'unhealthy')!;
    expect(unhealthy.healthResults[0]).toMatchObject({ alive: false, consecutiveFailures: 2 });
    for (const task of body.tasks) {
      expect(task.mesos).toMatchObject({
        frameworkId: '82cde340-9d3b-40a6-87e2-953952745763-0000',
        name: 'stubby',
        executorId: task.id,
      });
      expect(task.host).toBe('10.66.1.159');
    }
    expect(body.mesosTaskName).toBe('stubby');
    expect(body.lastTaskFailure).toMatchObject({
      state: 'TASK_FAILED',
      message: 'Command exited with status 1',
    });
    expect(body.healthChecks).toEqual([
      { protocol: 'HTTP', target: 'port index 0 /', grace: 300, interval: 20 },
    ]);
    expect(body.definition['id']).toBe('/stubby');
    expect(body.definition).not.toHaveProperty('tasks');
    expect(body.definition).not.toHaveProperty('tasksRunning');

    const myapp = await get<MarathonAppView>(bff, '/api/marathon/app?id=/myapp');
    expect(myapp.body.deployments).toHaveLength(1);
    expect(myapp.body.deployments[0]!.steps.map((step) => step.map((action) => action.action))).toEqual([
      ['StartApplication'],
      ['ScaleApplication'],
    ]);
    const waiting = await get<MarathonAppView>(bff, '/api/marathon/app?id=/foo');
    expect(waiting.body.queue).toEqual({ count: 2, delaySeconds: null, overdue: true });

    const versions = await get<{ versions: string[] }>(bff, '/api/marathon/versions?id=/stubby');
    expect(versions.body.versions).toEqual([
      '2026-01-05T10:00:00.000Z',
      '2025-12-01T08:00:00.000Z',
      '2025-11-20T16:30:00.000Z',
    ]);
    expect((await get(bff, '/api/marathon/versions?id=/nothing-here')).status).toBe(404);
    expect((await get(bff, '/api/marathon/app?id=/nothing-here')).status).toBe(404);
    expect((await get(bff, '/api/marathon/app?id=no%20slash')).status).toBe(400);
    expect((await get(bff, '/api/marathon/apps?marathon=elsewhere:1')).status).toBe(404);
  });

  it('lists deployments with their steps and current actions, and counts apps by status for the Overview', async () => {
    const { bff } = await setup();
    const { body } = await get<MarathonDeploymentsView>(bff, '/api/marathon/deployments');
    expect(body.deployments.map((deployment) => deployment.id)).toEqual([
      '97c136bf-5a28-4821-9d94-480d9fbb01c8',
      '9538079c-3898-4e32-aa31-799bf9097f74',
    ]);
    expect(body.deployments[0]!.currentActions[0]).toMatchObject({
      action: 'ScaleApplication',
      target: '/foo',
      readiness: [{ taskId: 'foo.instance-c9de6033', ready: false, name: 'myReadyCheck' }],
    });
    expect(body.deployments[0]!.steps[1]![0]).toMatchObject({ action: 'ScalePod', target: '/bla' });

    const summary = await get<MarathonSummaryView>(bff, '/api/marathon/summary');
    expect(summary.body.marathons[0]!.counts).toMatchObject({
      Waiting: 2,
      Deploying: 1,
      Suspended: 1,
      Delayed: 1,
    });
    const status = await get<StatusView>(bff, '/api/status');
    expect(status.body.marathons).toEqual([
      expect.objectContaining({
        origin: 'configured',
        frameworkId: '82cde340-9d3b-40a6-87e2-953952745763-0000',
        name: 'marathon',
        version: '1.5.0-SNAPSHOT',
        connected: true,
        lastError: null,
      }),
    ]);
  });

  for (const failure of ['down', 'slow', '500', 'bad-json'] as const) {
    it(`keeps the last good apps when Marathon is ${failure}, says they are stale, and the Mesos pages do not notice`, async () => {
      const { bff, marathon, marathons } = await setup({ timeoutMs: 300 });
      const good = await get<MarathonAppsView>(bff, '/api/marathon/apps');
      marathon.fail(failure, 2_000);
      await marathons.get()!.pollOnce();

      const stale = await get<MarathonAppsView>(bff, '/api/marathon/apps');
      expect(stale.status).toBe(200);
      expect(stale.etag).not.toBe(good.etag);
      expect(stale.body.rows).toEqual(good.body.rows);
      expect(stale.body.marathon.connected).toBe(false);
      expect(stale.body.marathon.fetchedAt).toBe(good.body.marathon.fetchedAt);
      expect(stale.body.marathon.lastError).toMatch(
        {
          down: /closed the connection/,
          slow: /did not answer within 300 ms/,
          '500': /answered HTTP 500/,
          'bad-json': /malformed JSON/,
        }[failure],
      );
      const status = await get<StatusView>(bff, '/api/status');
      expect(status.body.connected).toBe(true);
      expect(status.body.marathons?.[0]).toMatchObject({ connected: false });

      await bff.poller.pollOnce();
      const overview = await get<{ tasks: unknown }>(bff, '/api/overview');
      expect(overview.status).toBe(200);
      expect((await get(bff, '/api/frameworks')).status).toBe(200);

      marathon.fail('none');
      await marathons.get()!.pollOnce();
      const back = await get<MarathonAppsView>(bff, '/api/marathon/apps');
      expect(back.body.marathon).toMatchObject({ connected: true, lastError: null });
    });
  }

  it('says why there is nothing yet when the first read of Marathon failed', async () => {
    const cluster = await startFixtureCluster(CAPGEMINI);
    cleanups.push(() => cluster.close());
    const client = new MarathonClient({ timeoutMs: 500, maxBodyBytes: 1_000_000 });
    const marathons = new Marathons({
      client,
      configured: ['http://127.0.0.1:1'],
      source: { events: false },
    });
    const bff = await buildTestBff([cluster.masterUrl], 2_000, {}, { marathons });
    cleanups.push(async () => {
      await bff.close();
      await client.close();
    });
    await marathons.get()!.pollOnce();
    const { status, body } = await get<{ message: string }>(bff, '/api/marathon/apps');
    expect(status).toBe(503);
    expect(body.message).toMatch(/No data from Marathon at http:\/\/127\.0\.0\.1:1 yet: .*refused/);
    await bff.poller.pollOnce();
    expect((await get(bff, '/api/overview')).status).toBe(200);
  });

  it('sends the configured credentials to the configured Marathon', async () => {
    const cluster = await startFixtureCluster(CAPGEMINI);
    cleanups.push(() => cluster.close());
    const locked = await startFixtureMarathon({ credentials: 'ops:s3cret' });
    cleanups.push(() => locked.close());
    const client = new MarathonClient({
      timeoutMs: 1_000,
      credentials: new MesosCredentials('ops', 's3cret'),
      maxBodyBytes: 1_000_000,
    });
    cleanups.push(() => client.close());
    const marathons = new Marathons({ client, configured: [locked.url], source: { events: false } });
    await marathons.get()!.pollOnce();
    expect(marathons.get()!.status.connected).toBe(true);

    const anonymous = new MarathonClient({ timeoutMs: 1_000, maxBodyBytes: 1_000_000 });
    cleanups.push(() => anonymous.close());
    const refused = new Marathons({ client: anonymous, configured: [locked.url], source: { events: false } });
    await refused.get()!.pollOnce();
    expect(refused.get()!.status.lastError).toMatch(
      /requires authentication \(HTTP 401\).*--marathon-credentials-file/,
    );
  });

  it("re-reads soon after an event on Marathon's /v2/events, without waiting for the next poll", async () => {
    const { bff, marathon, marathons } = await setup({ events: true });
    marathons.start();
    const source = marathons.get()!;
    await expect.poll(() => marathon.eventClients(), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => source.status.events, { timeout: 5_000 }).toBe(true);
    const reread = once(source, 'snapshot');
    marathon.update((state) => {
      state.apps.find((candidate) => candidate.id === '/myapp').instances = 7;
    });
    await reread;
    const { body } = await get<MarathonAppsView>(bff, '/api/marathon/apps');
    expect(app(body.rows, '/myapp').instances.wanted).toBe(7);
    expect((await get<StatusView>(bff, '/api/status')).body.marathons?.[0]?.events).toBe(true);
  });
});

describe('Marathons found in the cluster', () => {
  it("reads a framework's web UI that answers /v2/info as that framework's Marathon, without credentials", async () => {
    const cluster = await startFixtureCluster(CAPGEMINI);
    cleanups.push(() => cluster.close());
    const marathon = await startFixtureMarathon({ mesosState: cluster.masterState });
    cleanups.push(() => marathon.close());
    const other = await startFixtureMarathon({ frameworkId: 'someone-else' });
    cleanups.push(() => other.close());
    const frameworks = cluster.masterState.frameworks;
    frameworks.find((framework: { name: string }) => framework.name === 'marathon').webui_url = marathon.url;
    // chronos claims a Marathon that says it is another framework: not taken.
    frameworks.find((framework: { name: string }) => framework.name === 'chronos').webui_url = other.url;

    const client = new MarathonClient({
      timeoutMs: 1_000,
      credentials: new MesosCredentials('ops', 's3cret'),
      maxBodyBytes: 1_000_000,
    });
    cleanups.push(() => client.close());
    const bff = await buildTestBff([cluster.masterUrl]);
    const marathons = new Marathons({
      client,
      configured: [],
      cluster: bff.poller,
      source: { events: false },
    });
    cleanups.push(async () => {
      marathons.stop();
      await bff.close();
    });
    marathons.start();
    await bff.poller.pollOnce();
    await marathons.discover(bff.poller.snapshot!);
    await expect.poll(() => marathons.list().length).toBe(1);
    expect(marathons.list().map((source) => [source.url, source.origin])).toEqual([
      [marathon.url, 'discovered'],
    ]);
    await marathons.get()!.pollOnce();
    expect(marathons.get()!.snapshot?.apps.length).toBe(marathon.state.apps.length);
    expect(marathon.requests.length).toBeGreaterThan(1);
    expect(marathon.requests.every((request) => request.authorization === null)).toBe(true);
    expect(other.requests.map((request) => request.url)).toEqual(['/v2/info']);
  });

  it('keeps one Marathon when the one given with --marathon is also found in the cluster by another address', async () => {
    const cluster = await startFixtureCluster(CAPGEMINI);
    cleanups.push(() => cluster.close());
    // Two members of one Marathon (the same framework): one configured, slow at first; the other registered.
    const configured = await startFixtureMarathon({ mesosState: cluster.masterState });
    const member = await startFixtureMarathon({ mesosState: cluster.masterState });
    cleanups.push(() => configured.close());
    cleanups.push(() => member.close());
    cluster.masterState.frameworks.find(
      (framework: { name: string }) => framework.name === 'marathon',
    ).webui_url = member.url;
    configured.fail('slow', 700);
    const client = new MarathonClient({ timeoutMs: 2_000, maxBodyBytes: 1_000_000 });
    cleanups.push(() => client.close());
    const bff = await buildTestBff([cluster.masterUrl]);
    const marathons = new Marathons({
      client,
      configured: [configured.url],
      cluster: bff.poller,
      source: { events: false },
    });
    cleanups.push(async () => {
      marathons.stop();
      await bff.close();
    });
    marathons.start();
    await bff.poller.pollOnce();
    await expect.poll(() => marathons.list().length).toBe(2);
    await expect.poll(() => marathons.get()!.snapshot?.info?.frameworkId ?? null).not.toBeNull();
    await marathons.discover(bff.poller.snapshot!);
    expect(marathons.list().map((source) => [source.url, source.origin])).toEqual([
      [configured.url, 'configured'],
    ]);
  });
});
