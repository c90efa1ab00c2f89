import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import bcrypt from 'bcryptjs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../cluster';
import type { LocalCluster } from '../../cluster';
import { buildApp } from '../app';
import type { AppDeps } from '../app';
import { ClusterPoller } from '../reading/cluster-poller';
import { LeaderDiscovery } from '../upstream/leader-discovery';
import { MesosClient } from '../upstream/mesos-client';
import { DEFAULT_RATE_LIMITS, HtpasswdUsers, TrustedProxies } from '.';
import type { AccessControl } from '.';
import { securityHeaders } from './security-headers';
import { parseExposition, total } from './test-exposition';

let cluster: LocalCluster;
let uiDir: string;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  cluster = await startCluster({ agents: 1 });
  uiDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-ui-'));
  mkdirSync(path.join(uiDir, 'assets'));
  writeFileSync(
    path.join(uiDir, 'index.html'),
    '<!doctype html><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(path.join(uiDir, 'assets', 'app.js'), 'console.log("mesoscope")');
}, 60_000);

afterAll(async () => {
  for (const app of opened) await app.close();
  await cluster?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

/** A BFF over the local cluster, polled by hand, with the given production options. */
async function bff(extra: Partial<AppDeps> = {}): Promise<{ app: FastifyInstance; poller: ClusterPoller }> {
  const client = new MesosClient({ timeoutMs: 2_000 });
  const discovery = new LeaderDiscovery([cluster.masterUrl], client);
  // Read /master/state on each pollOnce() (not an event stream), so a test sees the master as it is now.
  const pollerOptions = { client, discovery, intervalMs: 60_000, read: 'poll' };
  const poller = new ClusterPoller(pollerOptions as ConstructorParameters<typeof ClusterPoller>[0]);
  const app = await buildApp({
    poller,
    discovery,
    client,
    mode: 'remote',
    masters: [cluster.masterUrl],
    version: 'test',
    uiDir,
    ...extra,
  });
  opened.push({
    close: async () => {
      poller.stop();
      discovery.close();
      await app.close();
      await client.close();
    },
  });
  return { app, poller };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('security headers', () => {
  it('sends a CSP without inline script, no framing, nosniff and a referrer policy, on the SPA and the API', async () => {
    const { app } = await bff();
    for (const url of ['/', '/assets/app.js', '/api/status', '/no-such-page']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('unsafe-inline');
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['referrer-policy'], url).toBe('same-origin');
      expect(response.headers['x-request-id'], url).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('sends every header helmet sets, computed once, on successes, 304s and errors alike', async () => {
    const headers = new Map(await securityHeaders());
    expect([...headers.keys()].sort()).toEqual([
      'content-security-policy',
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'origin-agent-cluster',
      'referrer-policy',
      'x-content-type-options',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-frame-options',
      'x-permitted-cross-domain-policies',
      'x-xss-protection',
    ]);
    const { app, poller } = await bff();
    await poller.pollOnce();
    const overview = await app.inject({ url: '/api/overview' });
    const answers = [
      overview,
      await app.inject({
        url: '/api/overview',
        headers: { 'if-none-match': String(overview.headers['etag']) },
      }),
      await app.inject({ url: '/api/no-such-view' }),
      await app.inject({ url: '/api/tasks?limit=-1' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 304, 404, 400]);
    for (const answer of answers) {
      for (const [name, value] of headers)
        expect(answer.headers[name], `${answer.statusCode} ${name}`).toBe(value);
    }
  });
});

describe('htpasswd access control', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const hash = bcrypt.hashSync('correct horse', 4).replace(/^\$2b\$/, '$2y$');
    ({ app } = await bff({
      access: { kind: 'htpasswd', users: new HtpasswdUsers(`# users\nalice:${hash}\n`) },
    }));
  });

  it('answers 401 with a Basic challenge without credentials, on the API and the SPA alike', async () => {
    for (const url of [
      '/',
      '/assets/app.js',
      '/api/status',
      '/api/overview',
      '/metrics',
      '/mesos/master/state',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(401);
      expect(response.headers['www-authenticate'], url).toMatch(/^Basic realm="mesoscope"/);
      expect(response.body, url).not.toContain('mesoscope")');
    }
  });

  it('refuses a wrong password and an unknown user', async () => {
    expect(
      (await app.inject({ url: '/api/status', headers: { authorization: basic('alice', 'wrong') } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/api/status', headers: { authorization: basic('bob', 'correct horse') } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/api/status', headers: { authorization: 'Basic !!!' } })).statusCode,
    ).toBe(401);
  });

  it('serves the API and the SPA to a user with the right password, and probes to anyone', async () => {
    const authorization = basic('alice', 'correct horse');
    for (const url of ['/', '/assets/app.js', '/api/status', '/tasks']) {
      expect((await app.inject({ url, headers: { authorization } })).statusCode, url).toBe(200);
    }
    expect((await app.inject({ url: '/assets/app.js', headers: { authorization } })).body).toContain(
      'mesoscope',
    );
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('refuses htpasswd files with other hash formats, naming the line', () => {
    expect(() => new HtpasswdUsers('alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'users.htpasswd')).toThrow(
      /users.htpasswd line 1: user 'alice' has no bcrypt hash/,
    );
    expect(() => new HtpasswdUsers('# nobody\n')).toThrow(/lists no users/);
  });
});

describe('identity from a trusted proxy header', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await bff({
      access: {
        kind: 'proxy-header',
        header: 'X-Forwarded-User',
        trusted: new TrustedProxies(['10.0.0.0/8']),
      },
    }));
  });

  it('refuses requests that do not come from the trusted proxy, whatever header they carry', async () => {
    const response = await app.inject({
      url: '/api/status',
      remoteAddress: '192.168.1.9',
      headers: { 'x-forwarded-user': 'admin' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ message: string }>().message).toMatch(/authenticating proxy/);
  });

  it('accepts the proxy when it names a user, and refuses it when it does not', async () => {
    const named = await app.inject({
      url: '/api/status',
      remoteAddress: '10.2.3.4',
      headers: { 'x-forwarded-user': 'carol' },
    });
    expect(named.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/status', remoteAddress: '10.2.3.4' })).statusCode).toBe(401);
    const mapped = await app.inject({
      url: '/',
      remoteAddress: '::ffff:10.9.9.9',
      headers: { 'x-forwarded-user': 'carol' },
    });
    expect(mapped.statusCode).toBe(200);
  });

  it('refuses a trusted-proxy list that is not addresses', () => {
    expect(() => new TrustedProxies(['10.0.0.0/33'])).toThrow(/'10.0.0.0\/33' is not an IP address or CIDR/);
    expect(() => new TrustedProxies(['proxy.example.com'])).toThrow(/--trusted-proxy/);
  });
});

describe('rate limits', () => {
  it('limits whole-file search and downloads per client with 429 and Retry-After, and leaves views alone', async () => {
    const { app, poller } = await bff({
      rateLimits: {
        ...DEFAULT_RATE_LIMITS,
        searchPerMinute: 2,
        downloadsPerMinute: 1,
        agentFilesPerMinute: 100,
      },
    });
    await poller.pollOnce();
    const search = (remoteAddress: string) =>
      app.inject({ url: '/api/files/search?path=%2Fmaster%2Flog&q=x', remoteAddress });
    expect((await search('10.0.0.1')).statusCode).not.toBe(429);
    expect((await search('10.0.0.1')).statusCode).not.toBe(429);
    const limited = await search('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json<{ message: string }>().message).toMatch(/at most 2 a minute/);
    expect((await search('10.0.0.2')).statusCode).not.toBe(429);

    const download = () =>
      app.inject({ url: '/mesos/files/download?path=%2Fmaster%2Flog', remoteAddress: '10.0.0.1' });
    expect((await download()).statusCode).toBe(200);
    expect((await download()).statusCode).toBe(429);
    for (let i = 0; i < 20; i += 1) {
      expect((await app.inject({ url: '/api/overview', remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
    }
  });
});

describe('/readyz', () => {
  it('is 503 before cluster data, 200 with fresh data, and 503 while the master is down, saying nothing more', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const { loggerOptions } = await import('./logging');
    const { app, poller } = await bff({
      logger: { ...(loggerOptions({ pretty: false }) as object), stream },
    });
    const before = await app.inject({ url: '/readyz' });
    expect(before.statusCode).toBe(503);
    expect(before.json()).toEqual({ status: 'not ready' });
    await poller.pollOnce();
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
    await cluster.control.stopMaster();
    try {
      await poller.pollOnce();
      const down = await app.inject({ url: '/readyz' });
      expect(down.statusCode).toBe(503);
      // Unauthenticated: no master address, no error text.
      expect(down.json()).toEqual({ status: 'not ready' });
      expect(down.body).not.toContain(new URL(cluster.masterUrl).host);
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await cluster.control.startMaster();
    }
    await poller.pollOnce();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    // The reason is for the operator, in the log.
    const notReady = lines.filter((line) => line.includes('"msg":"not ready"'));
    expect(notReady.some((line) => line.includes('cannot reach the cluster'))).toBe(true);
  });
});

describe('/metrics', () => {
  it('exposes the named series and they move with traffic', async () => {
    const { app, poller } = await bff();
    const scrape = async () => {
      const response = await app.inject({ url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
      return parseExposition(response.body);
    };
    const first = await scrape();
    for (const name of [
      'mesoscope_process_resident_memory_bytes',
      'mesoscope_nodejs_eventloop_lag_seconds',
      'mesoscope_leader_changes_total',
      'mesoscope_connected_viewers',
      'mesoscope_history_samples',
      'mesoscope_cluster_connected',
    ]) {
      expect(
        first.some((s) => s.name === name),
        name,
      ).toBe(true);
    }
    const upstreamBefore = total(first, 'mesoscope_upstream_request_duration_seconds_count', {
      endpoint: '/master/state',
    });

    await poller.pollOnce();
    const overview = await app.inject({ url: '/api/overview', headers: { 'user-agent': 'viewer-a' } });
    await app.inject({
      url: '/api/overview',
      headers: { 'user-agent': 'viewer-b', 'if-none-match': String(overview.headers['etag']) },
    });
    await app.inject({ url: '/mesos/metrics/snapshot' });
    await app.inject({ url: '/agent/no-such-agent/files/read?path=%2F' });

    const after = await scrape();
    expect(
      total(after, 'mesoscope_upstream_request_duration_seconds_count', { endpoint: '/master/state' }),
    ).toBeGreaterThan(upstreamBefore);
    expect(
      total(after, 'mesoscope_upstream_request_duration_seconds_count', { endpoint: '/metrics/snapshot' }),
    ).toBeGreaterThanOrEqual(2);
    expect(total(after, 'mesoscope_view_cache_hits_total', { route: '/api/overview' })).toBe(1);
    expect(total(after, 'mesoscope_view_cache_misses_total', { route: '/api/overview' })).toBe(1);
    expect(total(after, 'mesoscope_connected_viewers')).toBeGreaterThanOrEqual(2);
    expect(total(after, 'mesoscope_cluster_connected')).toBe(1);
    expect(
      total(after, 'mesoscope_http_request_duration_seconds_count', {
        route: '/api/overview',
        status: '304',
      }),
    ).toBe(1);
    // Requests to mesoscope and to Mesos are timed in the same buckets, so their histograms compare.
    const bounds = (name: string) => [
      ...new Set(after.filter((s) => s.name === name).map((s) => s.labels['le'])),
    ];
    expect(bounds('mesoscope_http_request_duration_seconds_bucket')).toContain('+Inf');
    expect(bounds('mesoscope_http_request_duration_seconds_bucket')).toEqual(
      bounds('mesoscope_upstream_request_duration_seconds_bucket'),
    );

    await cluster.control.stopMaster();
    try {
      await poller.pollOnce();
    } finally {
      await cluster.control.startMaster();
    }
    const failed = await scrape();
    expect(total(failed, 'mesoscope_upstream_errors_total')).toBeGreaterThan(
      total(after, 'mesoscope_upstream_errors_total'),
    );
    expect(total(failed, 'mesoscope_cluster_poll_errors_total')).toBe(1);
  });
});

describe('structured logs', () => {
  interface LogRecord {
    reqId?: string;
    msg: string;
    level: number;
    status?: number;
    url?: string;
  }

  async function logged(level: string, access?: AccessControl) {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const { loggerOptions } = await import('./logging');
    const { app, poller } = await bff({
      logger: { ...(loggerOptions({ pretty: false, level }) as object), stream },
      ...(access ? { access } : {}),
    });
    const records = () => lines.map((line) => JSON.parse(line) as LogRecord);
    return { app, poller, lines, records };
  }

  it('writes JSON lines with request ids and never the Authorization header', async () => {
    const hash = bcrypt.hashSync('pw', 4);
    const { app, lines, records } = await logged('debug', {
      kind: 'htpasswd',
      users: new HtpasswdUsers(`dave:${hash}`),
    });
    const response = await app.inject({
      url: '/api/status',
      headers: { authorization: basic('dave', 'pw'), 'x-request-id': 'trace-42' },
    });
    expect(response.headers['x-request-id']).toBe('trace-42');
    await app.inject({ url: '/api/status', headers: { authorization: basic('dave', 'not-the-password') } });
    expect(records().filter((r) => r.reqId === 'trace-42')).toEqual([
      expect.objectContaining({ msg: 'request', status: 200, url: '/api/status' }),
    ]);
    // Every line of one request carries its id: the refusal and the request's own line.
    const refusal = records().find((r) => r.msg === 'access refused');
    expect(refusal?.reqId).toBeDefined();
    expect(
      records()
        .filter((r) => r.reqId === refusal?.reqId)
        .map((r) => [r.msg, r.status]),
    ).toEqual([
      ['access refused', undefined],
      ['request', 401],
    ]);
    const text = lines.join('\n');
    expect(text).not.toContain(Buffer.from('dave:pw').toString('base64'));
    expect(text).not.toContain('not-the-password');
  });

  it('at info, logs one line for a failed request and none for answers that went well', async () => {
    const { app, poller, records } = await logged('info');
    await poller.pollOnce();
    const overview = await app.inject({ url: '/api/overview' });
    expect(overview.statusCode).toBe(200);
    const unchanged = await app.inject({
      url: '/api/overview',
      headers: { 'if-none-match': String(overview.headers['etag']) },
    });
    expect(unchanged.statusCode).toBe(304);
    expect((await app.inject({ url: '/api/status' })).statusCode).toBe(200);
    expect(records().filter((r) => r.reqId !== undefined)).toEqual([]);

    const missing = await app.inject({ url: '/api/no-such-view', headers: { 'x-request-id': 'lost-1' } });
    expect(missing.statusCode).toBe(404);
    expect(records().filter((r) => r.reqId !== undefined)).toEqual([
      expect.objectContaining({
        reqId: 'lost-1',
        level: 30,
        msg: 'request',
        status: 404,
        url: '/api/no-such-view',
      }),
    ]);
  });
});
