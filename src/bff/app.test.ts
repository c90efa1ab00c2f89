import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../cluster';
import type { LocalCluster } from '../cluster';
import type { AgentsView, OverviewView, SandboxView, StatusView, TaskPage } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { eventually } from '../testing/eventually';

/** GET with the path exactly as given: fetch() and inject() would normalise `..` away. */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A standby master: answers every request with a 307 to the leader, as Mesos does. */
async function startStandby(leaderUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const leader = new URL(leaderUrl);
  const server = http.createServer((req, res) => {
    const location = req.url?.startsWith('/master/redirect')
      ? `//${leader.host}`
      : `//${leader.host}${req.url}`;
    res.writeHead(307, { location }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('BFF over the local cluster', () => {
  let cluster: LocalCluster;
  let bff: TestBff;
  let standby: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    cluster = await startCluster({ agents: 3 });
    standby = await startStandby(cluster.masterUrl);
    // A dead address first, then a standby: the BFF must still end up on the leader (which it was given too:
    // a redirect leads only to a known master). Polled /master/state, as for a master without the v1 API
    // (stream.test.ts covers the event stream).
    bff = await buildTestBff(
      ['http://127.0.0.1:1', standby.url, cluster.masterUrl],
      2_000,
      {},
      { read: 'poll' },
    );
    await bff.poller.pollOnce();
  }, 60_000);

  afterAll(async () => {
    await bff?.close();
    await standby?.close();
    await cluster?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    bff.app.inject({ method: 'GET', url, headers });

  it('follows the standby redirect to the leading master', async () => {
    const status = (await get('/api/status')).json<StatusView>();
    expect(status.connected).toBe(true);
    expect(status.leader?.url).toBe(cluster.masterUrl);
  });

  it('passes /mesos/master/state through to the leader with 3 agents and running tasks', async () => {
    const state = await eventually(
      async () =>
        (await get('/mesos/master/state')).json<{
          slaves: unknown[];
          frameworks: { tasks: { state: string }[] }[];
        }>(),
      (s) => s.frameworks.some((f) => f.tasks.some((t) => t.state === 'TASK_RUNNING')),
    );
    expect(state.slaves).toHaveLength(3);
    expect(state.frameworks.flatMap((f) => f.tasks).some((t) => t.state === 'TASK_RUNNING')).toBe(true);
  });

  it('never forwards jsonp, so cluster data cannot come back as script', async () => {
    const response = await get('/mesos/master/state?jsonp=alert');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body.startsWith('alert(')).toBe(false);
  });

  it('serves compact views with ETags and answers 304 when nothing changed', async () => {
    const first = await get('/api/agents');
    expect(first.statusCode).toBe(200);
    expect(
      first
        .json<AgentsView>()
        .agents.map((a) => a.id)
        .sort(),
    ).toEqual(cluster.agents.map((a: { id: string }) => a.id).sort());
    const etag = String(first.headers['etag']);
    expect((await get('/api/agents', { 'if-none-match': etag })).statusCode).toBe(304);
    // The ETag names the content: an agent that changes state makes a new one.
    const agentId = (cluster.agents[0] as { id: string }).id;
    cluster.control.deactivateAgent(agentId);
    try {
      await bff.poller.pollOnce();
      const changed = await get('/api/agents', { 'if-none-match': etag });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers['etag']).not.toBe(etag);
    } finally {
      cluster.control.reactivateAgent(agentId);
      await bff.poller.pollOnce();
    }
  });

  it('counts tasks and resources in the overview as the state says', async () => {
    await bff.poller.pollOnce();
    const overview = (await get('/api/overview')).json<OverviewView>();
    const state = bff.poller.snapshot!.state;
    const totalCpus = state.slaves.reduce(
      (sum, agent) => sum + Number((agent.resources as { cpus?: number }).cpus ?? 0),
      0,
    );
    expect(overview.resources.total.cpus).toBe(totalCpus);
    expect(overview.agents.activated).toBe(3);
    expect(overview.tasks.running).toBe(
      state.frameworks.flatMap((f) => f.tasks).filter((t) => t.state === 'TASK_RUNNING').length,
    );
  });

  it('reads a running task stdout through the agent passthrough, and downloads it', async () => {
    const page = await eventually(
      async () => (await get('/api/tasks?group=active&q=hello')).json<TaskPage>(),
      (p) => p.rows.some((row) => row.state === 'TASK_RUNNING'),
    );
    const task = page.rows.find((row) => row.state === 'TASK_RUNNING')!;
    const sandbox = await get(
      `/api/sandbox?agent=${task.agentId}&framework=${task.frameworkId}&executor=${encodeURIComponent(task.executorId)}&task=${encodeURIComponent(task.id)}`,
    );
    expect(sandbox.statusCode).toBe(200);
    const { directory } = sandbox.json<SandboxView>();
    const stdoutPath = encodeURIComponent(`${directory}/stdout`);
    const read = await eventually(
      async () =>
        (await get(`/agent/${task.agentId}/files/read?path=${stdoutPath}&offset=0`)).json<{ data: string }>(),
      (r) => r.data.includes('Hey Mesos'),
    );
    expect(read.data).toContain('Hey Mesos');

    const download = await get(`/agent/${task.agentId}/files/download?path=${stdoutPath}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/attachment/);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.body).toContain('Hey Mesos');
  });

  it('answers 404 for an unknown agent and never treats an id as an address', async () => {
    for (const id of ['no-such-agent', '127.0.0.1:5051', 'http:%2F%2Fevil.example', 'a@b']) {
      const response = await get(`/agent/${id}/files/browse?path=/`);
      expect(response.statusCode, id).toBe(404);
      expect(response.json<{ message: string }>().message).toMatch(/No agent found/);
    }
  });

  it('refuses paths outside the sandboxes and endpoints that are not read-only', async () => {
    const agentId = cluster.agents[0]!.id;
    const outside = await get(
      `/agent/${agentId}/files/read?path=${encodeURIComponent('/etc/passwd')}&offset=0`,
    );
    expect(outside.statusCode).toBe(404);
    expect(outside.body).not.toContain('root:');
    // Sent raw over a socket, as a hostile client would (no URL normalisation on the way).
    const address = await bff.app.listen({ port: 0, host: '127.0.0.1' });
    for (const rawPath of [
      `/agent/${agentId}/../../etc/passwd`,
      `/agent/${agentId}/%2e%2e/%2e%2e/etc/passwd`,
      `/agent/${agentId}/%252e%252e/x`,
      `/agent/${agentId}/files/read?path=${encodeURIComponent('/tmp/../etc/passwd')}&offset=0`,
      '/mesos/logging/toggle?level=3&duration=1mins',
      '/mesos/profiler/start',
    ]) {
      const { status, body } = await rawGet(address, rawPath);
      expect(status, rawPath).toBe(400);
      expect(body).not.toContain('root:');
    }
    const post = await bff.app.inject({ method: 'POST', url: '/mesos/master/teardown', payload: 'x' });
    expect(post.statusCode).toBe(405);
  });

  it('answers a bad offset with the agent’s 400 and keeps serving', async () => {
    const agentId = cluster.agents[0]!.id;
    const bad = await get(`/agent/${agentId}/files/read?path=%2Fslave%2Flog&offset=-7`);
    expect(bad.statusCode).toBe(400);
    expect((await get('/healthz')).statusCode).toBe(200);
  });

  it('keeps the last data and says so when the master is down, then recovers', async () => {
    await bff.poller.pollOnce();
    const before = (await get('/api/overview')).json<OverviewView>();
    await cluster.control.stopMaster();
    try {
      await bff.poller.pollOnce();
      const status = (await get('/api/status')).json<StatusView>();
      expect(status.connected).toBe(false);
      expect(status.lastError).toMatch(/refused|closed|reached|answer/i);
      const stale = await get('/api/overview');
      expect(stale.statusCode).toBe(200);
      expect(stale.json<OverviewView>().snapshotAt).toBe(before.snapshotAt);
      const passthrough = await get('/mesos/master/state');
      expect([502, 503]).toContain(passthrough.statusCode);
      expect(passthrough.json<{ message: string }>().message).toBeTruthy();
    } finally {
      await cluster.control.startMaster();
    }
    await bff.poller.pollOnce();
    const status = (await get('/api/status')).json<StatusView>();
    expect(status.connected).toBe(true);
    expect((await get('/api/overview')).json<OverviewView>().snapshotAt).toBeGreaterThan(before.snapshotAt);
  });

  it('rejects invalid task queries with a clear 400', async () => {
    const response = await get('/api/tasks?group=bogus&limit=-1');
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(/Invalid query parameter/);
  });

  it('refuses every kind of malformed request with the one bad-request shape', async () => {
    const malformed = [
      '/api/tasks?group=bogus',
      '/api/frameworks?group=bogus&limit=1',
      '/api/history?window=2h',
      '/api/sandbox?agent=a',
      '/api/files/lines?agent=a&path=/x&bytes=-1',
      '/api/overview?x=1&x=2',
      '/api/overview?x=%E0%A4%A',
    ];
    for (const url of malformed) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['cache-control'], url).toBe('no-store');
      const body = response.json<Record<string, unknown>>();
      expect(Object.keys(body).sort(), url).toEqual(['error', 'message', 'reason', 'statusCode']);
      expect(body, url).toMatchObject({ error: 'Bad Request', statusCode: 400, reason: 'bad-request' });
      expect(body.message, url).toEqual(expect.stringMatching(/\w/));
    }
  });
});

describe('BFF against a master answering garbage', () => {
  it('reports malformed JSON without crashing and keeps serving', async () => {
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/master/redirect')) {
        const { port } = server.address() as AddressInfo;
        res.writeHead(307, { location: `//127.0.0.1:${port}` }).end();
      } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"slaves": [');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const bff = await buildTestBff([`http://127.0.0.1:${port}`]);
    try {
      await bff.poller.pollOnce();
      const status = (await bff.app.inject({ method: 'GET', url: '/api/status' })).json<StatusView>();
      expect(status.connected).toBe(false);
      expect(status.lastError).toMatch(/malformed JSON/);
      const overview = await bff.app.inject({ method: 'GET', url: '/api/overview' });
      expect(overview.statusCode).toBe(503);
      expect(overview.json<{ message: string }>().message).toMatch(/malformed JSON/);
    } finally {
      await bff.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
