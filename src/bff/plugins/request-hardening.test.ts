/**
 * What a hostile browser or client cannot do: sign in by guessing fast, hold back signed-in users while it
 * guesses, or reach the API through a page whose name was rebound to 127.0.0.1. Over real sockets.
 */
import http from 'node:http';
import os from 'node:os';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config';
import type { TestBff } from '../test-support';
import { buildTestBff } from '../test-support';
import { json, startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeUpstream } from '../upstream/fake-upstream';
import { acceptedHosts, hostOfHeader, normalizeHostName } from './host-check';
import { HtpasswdUsers } from './htpasswd';
import { DEFAULT_THROTTLE, SignInThrottle } from './sign-in-throttle';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One GET with the given headers, from `localAddress` (any of 127.0.0.0/8 is this machine). */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(path, base), { headers, localAddress, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.on('error', reject);
  });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let master: FakeUpstream;
const opened: TestBff[] = [];

beforeAll(async () => {
  // No cluster data is needed: every request here is decided before a route reads any.
  master = await startFakeUpstream(json({ message: 'not a master' }, 503));
});

afterAll(async () => {
  for (const bff of opened) await bff.close();
  await master?.close();
});

async function serve(extra: Parameters<typeof buildTestBff>[3] = {}): Promise<string> {
  const bff = await buildTestBff([master.url], 2_000, {}, extra);
  opened.push(bff);
  return bff.app.listen({ port: 0, host: '127.0.0.1' });
}

describe('the sign-in throttle', () => {
  it('lets a few failures through, then makes the key wait twice as long after each', () => {
    const throttle = new SignInThrottle();
    const keys = ['ip:10.0.0.1'];
    let now = 1_000_000;
    for (let i = 0; i < 4; i += 1) {
      expect(throttle.waitMs(keys, now)).toBe(0);
      throttle.attempt(keys, now);
    }
    expect(throttle.waitMs(keys, now)).toBe(0);
    throttle.attempt(keys, now);
    expect(throttle.waitMs(keys, now)).toBe(1_000);
    const waits: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      now += throttle.waitMs(keys, now);
      throttle.attempt(keys, now);
      waits.push(throttle.waitMs(keys, now));
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000]);
  });

  it('counts attempts that have not finished yet, and gives a right password its attempt back', () => {
    const throttle = new SignInThrottle();
    const keys = ['ip:10.0.0.2', 'user:alice'];
    const now = 5_000_000;
    const giveBacks = Array.from({ length: 5 }, () => throttle.attempt(keys, now));
    expect(throttle.waitMs(keys, now)).toBeGreaterThan(0);
    giveBacks[4]!();
    expect(throttle.waitMs(keys, now)).toBe(0);
    // The user key alone throttles another address.
    throttle.attempt(['ip:10.0.0.3', 'user:alice'], now);
    expect(throttle.waitMs(['ip:10.0.0.4', 'user:alice'], now)).toBeGreaterThan(0);
    expect(throttle.waitMs(['ip:10.0.0.4', 'user:bob'], now)).toBe(0);
  });

  it('forgets a quiet key and never remembers more than its bound', () => {
    const throttle = new SignInThrottle({
      freeAttempts: 1,
      firstDelayMs: 1_000,
      maxDelayMs: 10_000,
      forgetAfterMs: 60_000,
      maxEntries: 3,
    });
    throttle.attempt(['a'], 0);
    expect(throttle.waitMs(['a'], 0)).toBe(1_000);
    expect(throttle.waitMs(['a'], 61_001)).toBe(0);
    for (const key of ['b', 'c', 'd', 'e']) throttle.attempt([key], 100_000);
    expect(throttle.size).toBeLessThanOrEqual(3);
  });
});

describe('sign-in over HTTP', () => {
  let url: string;
  const hash = bcrypt.hashSync('correct horse', 4);
  const users = new HtpasswdUsers(`alice:${hash}\nbob:${hash}\ndave:${hash}\n`);

  beforeAll(async () => {
    // Waits of a minute at least, so that no wait ends while a test runs.
    const signInThrottle = new SignInThrottle({ ...DEFAULT_THROTTLE, firstDelayMs: 60_000 });
    url = await serve({ access: { kind: 'htpasswd', users }, signInThrottle });
  });

  it('answers 20 concurrent guesses from one address with 5 checks and 15 refusals that say when to retry, while a signed-in user from there is served', async () => {
    const signedIn = basic('alice', 'correct horse');
    expect((await get(url, '/api/status', { authorization: signedIn }, '127.0.2.1')).status).toBe(200);
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        get(url, '/api/status', { authorization: basic('bob', `guess-${i}`) }, '127.0.2.1'),
      ),
    );
    const statuses = guesses.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    for (const answer of guesses.filter((a) => a.status === 429)) {
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(answer.body).toMatch(/Too many failed sign-ins.*try again in \d+ s/);
    }
    // Already verified: served at once, throttle or not.
    expect((await get(url, '/api/status', { authorization: signedIn }, '127.0.2.1')).status).toBe(200);
    // Not verified yet (another spelling of the header): the address waits like any other attempt.
    const fresh = await get(
      url,
      '/api/status',
      { authorization: signedIn.replace('Basic', 'basic') },
      '127.0.2.1',
    );
    expect(fresh.status).toBe(429);
    // Another address, another user: unaffected.
    expect(
      (await get(url, '/api/status', { authorization: basic('alice', 'wrong') }, '127.0.2.2')).status,
    ).toBe(401);
  });

  it('throttles guesses at one user from many addresses', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const answer = await get(
        url,
        '/api/status',
        { authorization: basic('dave', `spread-${i}`) },
        `127.0.3.${i + 1}`,
      );
      answers.push(answer.status);
    }
    expect(answers).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Even the right password waits: the guesser cannot find out it was right.
    const right = await get(
      url,
      '/api/status',
      { authorization: basic('dave', 'correct horse') },
      '127.0.3.99',
    );
    expect(right.status).toBe(429);
  });
});

describe('the Host header', () => {
  it('serves loopback names and the ones configured, and answers anything else 421 before sign-in', async () => {
    const hash = bcrypt.hashSync('pw', 4);
    const url = await serve({
      access: { kind: 'htpasswd', users: new HtpasswdUsers(`carol:${hash}`) },
      acceptedHosts: acceptedHosts('127.0.0.1', ['dash.example.com']),
    });
    const port = new URL(url).port;
    const authorization = basic('carol', 'pw');
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'LOCALHOST',
      'localhost.',
      'dash.example.com',
      `Dash.Example.Com:${port}`,
    ]) {
      expect((await get(url, '/api/status', { host, authorization })).status, host).toBe(200);
    }
    for (const host of [
      'rebind.example',
      `rebind.example:${port}`,
      'localhost.rebind.example',
      'dash.example.com.rebind.example',
      '127.0.0.2',
      '[::2]',
      'localhost:80:80',
      'user@localhost',
    ]) {
      const answer = await get(url, '/api/status', { host, authorization });
      expect(answer.status, host).toBe(421);
      expect(answer.body).toMatch(/^Misdirected Request: mesoscope is not served under this host name/);
      // Refused before sign-in: a rebinding page learns nothing, not even that a password is asked.
      expect(answer.headers['www-authenticate'], host).toBeUndefined();
    }
  });

  it('accepts the bind address, and every address of this machine when listening on all of them', () => {
    expect(acceptedHosts('10.1.2.3', [])).toEqual(new Set(['localhost', '127.0.0.1', '[::1]', '10.1.2.3']));
    const everywhere = acceptedHosts('0.0.0.0', []);
    for (const address of Object.values(os.networkInterfaces()).flat()) {
      if (address) expect(everywhere.has(normalizeHostName(address.address)!), address.address).toBe(true);
    }
    expect(everywhere.has('rebind.example')).toBe(false);
  });

  it('reads host names strictly', () => {
    expect(hostOfHeader('[::1]:5050')).toBe('[::1]');
    expect(hostOfHeader('Example.COM.')).toBe('example.com');
    expect(hostOfHeader('a b')).toBeNull();
    expect(hostOfHeader('x/y')).toBeNull();
    expect(normalizeHostName('http://x')).toBeNull();
  });
});

describe('the new options', () => {
  it('take --public-url, --allowed-hosts and --max-upstream-body, and refuse what they cannot use', () => {
    const config = parseConfig(
      [
        '--public-url',
        'https://Mesoscope.example.com/',
        '--allowed-hosts',
        'ops.example.com, 10.0.0.7',
        '--max-upstream-body',
        '64MiB',
      ],
      {},
    );
    expect(config.allowedHosts).toEqual(['mesoscope.example.com', 'ops.example.com', '10.0.0.7']);
    expect(config.upstream.maxBodyBytes).toBe(64 * 1024 * 1024);
    expect(parseConfig([], {}).upstream.maxBodyBytes).toBe(1024 ** 3);
    expect(parseConfig(['--max-upstream-body', '256M'], {}).upstream.maxBodyBytes).toBe(256 * 1024 ** 2);
    expect(parseConfig(['--max-upstream-body', '2097152'], {}).upstream.maxBodyBytes).toBe(2 * 1024 ** 2);
    expect(parseConfig(['--max-upstream-body', '4GiB'], {}).upstream.maxBodyBytes).toBe(4 * 1024 ** 3);
    expect(() => parseConfig(['--max-upstream-body', '5GiB'], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--max-upstream-body', 'lots'], {})).toThrow(
      /--max-upstream-body must be a size from 1 MiB to/,
    );
    expect(() => parseConfig(['--allowed-hosts', 'http://x.example'], {})).toThrow(/--allowed-hosts/);
    expect(() => parseConfig(['--public-url', 'x.example'], {})).toThrow(/--public-url must be an http/);
  });
});
