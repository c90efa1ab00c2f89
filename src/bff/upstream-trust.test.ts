/**
 * What the cluster says is not trusted: a master's redirect may lead only to a master mesoscope was given or
 * found in ZooKeeper (never behind a path-prefix proxy), a silent event stream is noticed from its heartbeats,
 * and a leader named during a poll opens one stream, not two. Fake masters and a canary server on loopback;
 * the canary records every request it gets (browser-facing hostile requests are in bad-input.corpus.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { rawFixture } from '../mesos/test-fixtures';
import type { StatusView } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { parseCredentials } from './upstream/credentials';
import { json, startFakeUpstream } from './upstream/fake-upstream';
import type { FakeHandler, FakeUpstream } from './upstream/fake-upstream';
import { eventually } from '../testing/eventually';

const SECRET = `trust-secret-${process.pid}`;
const credentials = parseCredentials(`mesoscope:${SECRET}`, 'test');
// Long enough that a loaded machine does not delay a heartbeat past the stall limit.
const HEARTBEAT_SECONDS = 1;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function serve(handler: FakeHandler): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(handler);
  open.push(fake);
  return fake;
}

async function bffOver(...args: Parameters<typeof buildTestBff>): Promise<TestBff> {
  const bff = await buildTestBff(...args);
  open.push(bff);
  return bff;
}

/** The canary: any request it gets is a request mesoscope should not have made. */
async function canary(): Promise<FakeUpstream & { host: string }> {
  const fake = await serve((_req, res) => res.end(`canary ${SECRET}`));
  return Object.assign(fake, { host: new URL(fake.url).host });
}

function expectUntouched(target: FakeUpstream): void {
  expect(target.requests.map((r) => r.path)).toEqual([]);
  expect(target.requests.filter((r) => r.headers.authorization)).toEqual([]);
}

/** A real 0.27.1 master state, re-addressed to `url`. */
function stateOf(url: string): Record<string, unknown> {
  const state = structuredClone(rawFixture('v0.27.1-capgemini/master-state.json')) as Record<string, unknown>;
  const { host, port } = new URL(url);
  return { ...state, pid: `master@${host}`, leader: `master@${host}`, id: `master-${port}` };
}

/** A Mesos 0.2x master (no v1 API): `/master/redirect` to itself, its state, `override` first. */
function pollMaster(self: () => string, override?: (req: IncomingMessage, res: ServerResponse) => boolean) {
  return ((req, res) => {
    if (override?.(req, res)) return;
    const path = req.url ?? '';
    if (path.endsWith('/master/redirect'))
      return res.writeHead(307, { location: `//${new URL(self()).host}` }).end();
    if (path.endsWith('/master/state')) return json(stateOf(self()))(req, res);
    if (path.endsWith('/metrics/snapshot')) return json({})(req, res);
    return res.writeHead(404).end();
  }) satisfies FakeHandler;
}

const redirectTo = (res: ServerResponse, location: string) => res.writeHead(307, { location }).end();

describe('a redirect from a master', () => {
  it('to a host nobody configured is an error naming it: nothing, no credentials, go there', async () => {
    const evil = await canary();
    let url = '';
    const master = await serve(
      pollMaster(
        () => url,
        (req, res) =>
          req.url === '/master/state' && (redirectTo(res, `http://${evil.host}/master/state`), true),
      ),
    );
    url = master.url;
    const bff = await bffOver([master.url], 1_000, { credentials }, { read: 'poll' });
    await bff.poller.pollOnce();
    const status = (await bff.app.inject('/api/status')).json<StatusView>();
    expect(status).toMatchObject({ connected: false, lastErrorKind: 'redirect' });
    expect(status.lastError).toContain(`redirected to ${evil.host}, which is not one of the masters`);
    // It did not become the leader: discovery forgot the master that sent mesoscope there.
    expect(bff.discovery.leader).toBeNull();
    expectUntouched(evil);
    expect(master.requests.every((r) => r.headers.authorization === credentials.authorization())).toBe(true);
  });

  it('from /master/redirect to a host nobody configured leaves no leader, and says which host', async () => {
    const evil = await canary();
    const master = await serve((_req, res) => redirectTo(res, `//${evil.host}`));
    const bff = await bffOver([master.url], 1_000, { credentials }, { read: 'poll' });
    await bff.poller.pollOnce();
    expect(bff.poller.status).toMatchObject({ connected: false, lastErrorKind: 'no-leader' });
    expect(bff.poller.status.lastError).toContain(evil.host);
    expectUntouched(evil);
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(1)', /redirected to a javascript: URL/],
    ['no URL at all', 'http://[::zz]/', /not a URL/],
  ])('to %s is an error', async (_what, location, message) => {
    let url = '';
    const master = await serve(
      pollMaster(
        () => url,
        (req, res) => req.url === '/master/state' && (redirectTo(res, location), true),
      ),
    );
    url = master.url;
    const bff = await bffOver([master.url], 1_000, {}, { read: 'poll' });
    await bff.poller.pollOnce();
    expect(bff.poller.status.lastErrorKind).toBe('redirect');
    expect(bff.poller.status.lastError).toMatch(message);
  });

  it('to another configured master is followed once, and that master leads', async () => {
    let nextUrl = '';
    const next = await serve(pollMaster(() => nextUrl));
    nextUrl = next.url;
    const first = await serve(
      pollMaster(
        () => next.url,
        (req, res) => req.url === '/master/state' && (redirectTo(res, `//${new URL(next.url).host}`), true),
      ),
    );
    const bff = await bffOver([first.url, next.url], 1_000, {}, { read: 'poll' });
    await bff.poller.pollOnce();
    expect(bff.poller.status).toMatchObject({ connected: true, lastError: null });
    expect(bff.discovery.leader).toBe(next.url);
  });

  it('is never chased behind a path-prefix --master, even to a host that looks like a master', async () => {
    const evil = await canary();
    const proxy = await serve((req, res) => redirectTo(res, `http://${evil.host}${req.url ?? '/'}`));
    const bff = await bffOver(
      { kind: 'proxy', url: `${proxy.url}/mesos` },
      1_000,
      { credentials },
      { read: 'poll' },
    );
    await bff.poller.pollOnce();
    expect(bff.poller.status).toMatchObject({ connected: false, lastErrorKind: 'redirect' });
    expect(bff.poller.status.lastError).toMatch(/behind a path-prefix --master mesoscope does not follow/);
    expect([null, `${proxy.url}/mesos`]).toContain(bff.discovery.leader);
    const passthrough = await bff.app.inject('/mesos/master/flags');
    expect(passthrough.statusCode).toBe(502);
    expect(passthrough.json<{ message: string }>().message).toContain(evil.host);
    expectUntouched(evil);
  });

  it('in the v1 operator API (GET_VERSION, SUBSCRIBE) is held to the same rule', async () => {
    const evil = await canary();
    const subscribe = await serve(
      v1Master({ onSubscribe: (res) => redirectTo(res, `http://${evil.host}/api/v1`) }),
    );
    const version = await serve(
      v1Master({
        onCall: (type, res) => type === 'GET_VERSION' && (redirectTo(res, `//${evil.host}`), true),
      }),
    );
    for (const master of [version, subscribe]) {
      const bff = await bffOver(
        [master.url],
        1_000,
        { credentials },
        { stream: { backoffMs: { first: 50, max: 50 } } },
      );
      bff.poller.start();
      const status = await eventually(
        () => bff.poller.status,
        (s) => s.lastErrorKind === 'redirect',
      );
      expect(status.lastError).toContain(evil.host);
      expect(status.connected).toBe(false);
    }
    expectUntouched(evil);
  });

  it('to another configured master from SUBSCRIBE is followed in the same read, header and all', async () => {
    const leaderCalls: string[] = [];
    const standbyCalls: string[] = [];
    const leader = await serve(v1Master({ calls: leaderCalls }));
    const standby = await serve(
      v1Master({
        calls: standbyCalls,
        onSubscribe: (res) => redirectTo(res, `//${new URL(leader.url).host}/api/v1`),
      }),
    );
    const bff = await bffOver([standby.url, leader.url], 1_000, { credentials });
    await bff.poller.pollOnce();
    expect(bff.poller.status).toMatchObject({ connected: true, lastError: null });
    expect(bff.poller.status.leader).toMatchObject({
      url: leader.url,
      id: `fake-${new URL(leader.url).port}`,
    });
    expect(bff.discovery.leader).toBe(leader.url);
    expect(standbyCalls.filter((type) => type === 'SUBSCRIBE')).toHaveLength(1);
    expect(leaderCalls[0]).toBe('GET_VERSION');
    expect(leaderCalls).toEqual(expect.arrayContaining(['GET_FLAGS', 'GET_MASTER', 'SUBSCRIBE']));
  });

  it('for a page read from the leader (/master/roles) is held to the same rule, and followed when it may be', async () => {
    const evil = await canary();
    const roles = rawFixture('v0.22.0-datadog/master-roles.json') as { roles: { name: string }[] };
    let redirectRolesTo = '';
    const leader = await serve(pollMaster(() => leader.url));
    const standby = await serve(
      pollMaster(
        () => standby.url,
        (req, res) => req.url === '/master/roles' && (redirectTo(res, redirectRolesTo), true),
      ),
    );
    leader.answer(
      pollMaster(
        () => leader.url,
        (req, res) => req.url === '/master/roles' && (json(roles)(req, res), true),
      ),
    );
    redirectRolesTo = `//${new URL(leader.url).host}/master/roles`;
    const bff = await bffOver([standby.url, leader.url], 1_000, { credentials }, { read: 'poll' });
    const followed = await bff.app.inject('/api/roles');
    expect(followed.statusCode).toBe(200);
    expect(followed.json<{ roles: { name: string }[] }>().roles.map((role) => role.name)).toEqual(
      roles.roles.map((role) => role.name),
    );
    expect(bff.discovery.leader).toBe(leader.url);

    redirectRolesTo = `http://${evil.host}/master/roles`;
    const other = await bffOver([standby.url], 1_000, { credentials }, { read: 'poll' });
    const refused = await other.app.inject('/api/roles');
    expect(refused.statusCode).toBe(502);
    expect(refused.json<{ message: string }>().message).toContain(evil.host);
    expectUntouched(evil);
  });

  it('lets discovery forget a leader whose state cannot be read, and find the new one', async () => {
    let leaderUrl = '';
    const second = await serve(pollMaster(() => second.url));
    const first = await serve(
      pollMaster(
        () => leaderUrl,
        (req, res) => {
          if (leaderUrl !== second.url || req.url !== '/master/state') return false;
          res.end('{"slaves": [');
          return true;
        },
      ),
    );
    leaderUrl = first.url;
    const bff = await bffOver([first.url, second.url], 1_000, {}, { read: 'poll' });
    await bff.poller.pollOnce();
    expect(bff.discovery.leader).toBe(first.url);
    // The first master now answers garbage, and names the second as the leader.
    leaderUrl = second.url;
    await bff.poller.pollOnce();
    expect(bff.poller.status.lastErrorKind).toBe('malformed');
    await bff.poller.pollOnce();
    expect(bff.poller.status).toMatchObject({ connected: true });
    expect(bff.discovery.leader).toBe(second.url);
  });
});

/** A RecordIO record of one event. */
const record = (event: unknown) => {
  const text = JSON.stringify(event);
  return `${Buffer.byteLength(text)}\n${text}`;
};

interface V1MasterOptions {
  /** Every call's type, in order. */
  calls?: string[];
  /** Overrides a call's answer when it returns true. */
  onCall?: (type: string, res: ServerResponse) => boolean;
  /** Takes over the SUBSCRIBE answer. */
  onSubscribe?: (res: ServerResponse) => void;
}

/** A Mesos 1.x master with an empty cluster: the v1 calls the BFF makes, and SUBSCRIBE. */
function v1Master(options: V1MasterOptions = {}): FakeHandler {
  return (req, res) => {
    const path = (req.url ?? '').replace(/^\/mesos/, '');
    if (path === '/master/redirect') return redirectTo(res, `//${req.headers.host ?? ''}`);
    if (path !== '/api/v1') return res.writeHead(404).end();
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const type = String((JSON.parse(body || '{}') as { type?: unknown }).type ?? '');
      options.calls?.push(type);
      if (options.onCall?.(type, res)) return;
      if (type === 'SUBSCRIBE') {
        if (options.onSubscribe) return options.onSubscribe(res);
        res.writeHead(200, { 'content-type': 'application/recordio' });
        res.write(
          record({ type: 'SUBSCRIBED', subscribed: { get_state: {}, heartbeat_interval_seconds: 15 } }),
        );
        return;
      }
      const port = Number(String(req.headers.host ?? '').split(':')[1]);
      const answers: Record<string, unknown> = {
        GET_VERSION: { get_version: { version_info: { version: '1.11.0' } } },
        GET_MASTER: {
          get_master: {
            master_info: {
              id: `fake-${port}`,
              hostname: '127.0.0.1',
              port,
              address: { ip: '127.0.0.1', port },
            },
          },
        },
        GET_FLAGS: { get_flags: { flags: [] } },
        GET_METRICS: { get_metrics: { metrics: [] } },
        GET_FRAMEWORKS: { get_frameworks: {} },
        GET_AGENTS: { get_agents: {} },
      };
      const answer = answers[type];
      if (!answer) return res.writeHead(400).end();
      json({ type, ...(answer as object) })(req, res);
    });
  };
}

describe('an event stream that goes silent', () => {
  it('is declared stalled after 2 missed heartbeats: stale at once, with why, then reconnected', async () => {
    const subscribes: number[] = [];
    let lastByteAt = 0;
    const master = await serve(
      v1Master({
        onSubscribe: (res) => {
          subscribes.push(Date.now());
          res.writeHead(200, { 'content-type': 'application/recordio' });
          const send = (event: unknown) => {
            res.write(record(event));
            lastByteAt = Date.now();
          };
          send({
            type: 'SUBSCRIBED',
            subscribed: { get_state: {}, heartbeat_interval_seconds: HEARTBEAT_SECONDS },
          });
          // A few heartbeats on time, then nothing (the connection stays open: a stall, not a close).
          let beats = 0;
          const beat = setInterval(() => {
            if (++beats > 3 || res.destroyed) return clearInterval(beat);
            send({ type: 'HEARTBEAT' });
          }, HEARTBEAT_SECONDS * 1_000);
          res.on('close', () => clearInterval(beat));
        },
      }),
    );
    const bff = await bffOver([master.url], 2_000, {}, { intervalMs: 60_000 });
    const errors: {
      at: number;
      message: string;
      connected: boolean;
      subscribes: number;
      lastByteAt: number;
    }[] = [];
    bff.poller.on('poll-error', (message) =>
      errors.push({
        at: Date.now(),
        message,
        connected: bff.poller.status.connected,
        subscribes: subscribes.length,
        // As it was then: the stream that follows writes again.
        lastByteAt,
      }),
    );
    bff.poller.start();
    await eventually(() => bff.poller.status.connected, Boolean);
    const stale = await eventually(
      () => errors[0],
      (error) => error !== undefined,
    );
    // No false alarm while heartbeats came: the first error is the stall, on the first stream, and the data
    // is stale from that moment (not at the next poll).
    expect(stale).toMatchObject({ connected: false, subscribes: 1 });
    expect(stale?.message).toMatch(/event stream from .* stalled: nothing for 2 heartbeat intervals \(2 s\)/);
    expect(stale?.at).toBeGreaterThan(stale?.lastByteAt ?? Infinity);
    const detectedMs = (stale?.at ?? 0) - (stale?.lastByteAt ?? 0);
    console.log(
      `stall detection: stale ${detectedMs} ms after the last byte (heartbeat ${HEARTBEAT_SECONDS * 1_000} ms, limit 2 intervals = ${HEARTBEAT_SECONDS * 2_000} ms)`,
    );
    // Reconnected on its own, and fresh again once the new SUBSCRIBED arrived.
    await eventually(
      () => subscribes.length,
      (count) => count >= 2,
    );
    const back = await eventually(
      () => bff.poller.status,
      (s) => s.connected,
    );
    expect(back.connected).toBe(true);
    expect(bff.poller.stream?.subscriptions).toBeGreaterThanOrEqual(2);
  });
});

describe('a path-prefix --master whose leader is named during the first poll', () => {
  it('opens one poll and one SUBSCRIBE stream, not two', async () => {
    const calls: string[] = [];
    const master = await serve(v1Master({ calls }));
    const bff = await bffOver(
      { kind: 'proxy', url: `${master.url}/mesos` },
      2_000,
      {},
      { intervalMs: 60_000 },
    );
    bff.poller.start();
    await eventually(() => bff.poller.status.connected, Boolean);
    // Give a second poll, had one started, the time to make its calls.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.filter((type) => type === 'GET_VERSION')).toHaveLength(1);
    expect(calls.filter((type) => type === 'SUBSCRIBE')).toHaveLength(1);
    // One poll: the first state is primed once (metrics, frameworks, agents), not once per poll.
    expect(calls.filter((type) => type === 'GET_METRICS')).toHaveLength(1);
    expect(bff.poller.stream?.subscriptions).toBe(1);
    expect(master.requests.every((r) => r.path.startsWith('/mesos/'))).toBe(true);
  });
});
