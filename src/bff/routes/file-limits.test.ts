/**
 * Limits that hold however requests arrive: the whole-file search cap under a burst, and the size of what an
 * upstream may send (a huge state, a gzip bomb, an oversized file read). A fake master that is also the agent,
 * over real sockets.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawFixture } from '../../mesos/test-fixtures';
import type { TestBff } from '../test-support';
import { buildTestBff } from '../test-support';
import { callOperator } from '../upstream/operator-calls';
import { startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeUpstream } from '../upstream/fake-upstream';
import { MesosClient } from '../upstream/mesos-client';
import { MAX_CONCURRENT_SEARCHES } from './file-routes';

const AGENT_ID = 'agent-limits-S0';
const FILE = Buffer.from('needle\n'.repeat(10_000));

/** The capgemini master state with one agent: this same fake server. */
function stateOf(url: string): Record<string, unknown> {
  const state = structuredClone(rawFixture('v0.27.1-capgemini/master-state.json')) as Record<string, unknown>;
  const { host, hostname, port } = new URL(url);
  const agent = structuredClone((state['slaves'] as Record<string, unknown>[])[0]!);
  Object.assign(agent, { id: AGENT_ID, pid: `slave(1)@${host}`, hostname, port: Number(port) });
  return {
    ...state,
    pid: `master@${host}`,
    leader: `master@${host}`,
    hostname,
    slaves: [agent],
    frameworks: [],
    completed_frameworks: [],
  };
}

/** What the fake does for each kind of request; tests change it. */
const behaviour = {
  state: null as ((res: ServerResponse) => void) | null,
  /** Holds file answers back this long (a slow agent). */
  fileDelayMs: 0,
  /** A /files/read answer this much bigger than asked (a broken or hostile agent). */
  readPadding: 0,
};

function readAnswer(query: URLSearchParams): string {
  const offset = Number(query.get('offset'));
  if (offset < 0) return JSON.stringify({ offset: FILE.length, data: '' });
  const length = Number(query.get('length') ?? 65_536);
  const data = FILE.subarray(offset, offset + length).toString('latin1');
  return JSON.stringify({ offset, data: data + 'x'.repeat(behaviour.readPadding) });
}

let fake: FakeUpstream;
let bff: TestBff;
let url: string;

beforeAll(async () => {
  fake = await startFakeUpstream((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    if (target.pathname === '/master/redirect')
      return res.writeHead(307, { location: `//${new URL(fake.url).host}` }).end();
    if (target.pathname === '/master/state') {
      if (behaviour.state) return behaviour.state(res);
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(stateOf(fake.url)));
    }
    const answer = () => {
      if (target.pathname === '/files/download') return res.end(FILE);
      if (target.pathname === '/files/read') return res.end(readAnswer(target.searchParams));
      return res.writeHead(404).end();
    };
    if (behaviour.fileDelayMs > 0) setTimeout(answer, behaviour.fileDelayMs);
    else answer();
  });
  bff = await buildTestBff([fake.url], 10_000, {}, { read: 'poll' });
  await bff.poller.pollOnce();
  expect(bff.poller.snapshot?.agentsById.has(AGENT_ID)).toBe(true);
  url = await bff.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await bff?.close();
  await fake?.close();
});

describe('the whole-file search cap', () => {
  it(`runs ${MAX_CONCURRENT_SEARCHES} of 25 searches sent at once and refuses the rest with 429 and Retry-After`, async () => {
    behaviour.fileDelayMs = 1_500;
    try {
      const answers = await Promise.all(
        Array.from({ length: 25 }, async () => {
          const response = await fetch(
            `${url}/api/files/search?agent=${AGENT_ID}&path=/var/log/app.log&q=needle`,
          );
          return {
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
            body: await response.text(),
          };
        }),
      );
      const ran = answers.filter((answer) => answer.status === 200);
      const refused = answers.filter((answer) => answer.status === 429);
      expect(ran).toHaveLength(MAX_CONCURRENT_SEARCHES);
      expect(refused).toHaveLength(25 - MAX_CONCURRENT_SEARCHES);
      for (const answer of ran) expect(answer.body).toContain('"type":"end"');
      for (const answer of refused) {
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(JSON.parse(answer.body)).toMatchObject({ reason: 'busy', statusCode: 429 });
      }
    } finally {
      behaviour.fileDelayMs = 0;
    }
    // Every slot came back: the next search runs.
    expect(
      (await fetch(`${url}/api/files/search?agent=${AGENT_ID}&path=/var/log/app.log&q=needle`)).status,
    ).toBe(200);
  });
});

describe('the size of what an upstream sends', () => {
  it('stops reading a /master/state that never ends, and says which endpoint and which option', async () => {
    let closed = false;
    behaviour.state = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', () => (closed = true));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!closed && res.write(chunk));
        if (!closed) res.once('drain', pump);
      };
      res.write('{"slaves": [');
      pump();
    };
    const small = await buildTestBff([fake.url], 10_000, { maxBodyBytes: 1024 * 1024 }, { read: 'poll' });
    try {
      await small.poller.pollOnce();
      // Not a timeout: the limit stopped the read while the body streamed.
      expect(small.poller.status.lastError).toMatch(
        /\/master\/state answered more than 1 MiB: raise --max-upstream-body if the cluster is that big/,
      );
      expect(small.poller.status.lastErrorKind).toBe('malformed');
      await expect.poll(() => closed).toBe(true);
    } finally {
      behaviour.state = null;
      await small.close();
    }
  });

  it('refuses a Content-Length over the limit before reading the body', async () => {
    behaviour.state = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(3 * 1024 * 1024) });
      res.write('{');
    };
    const client = new MesosClient({ timeoutMs: 10_000, maxBodyBytes: 1024 * 1024 });
    try {
      await expect(client.getJson(fake.url, '/master/state')).rejects.toThrow(
        /\/master\/state answered more than 1 MiB/,
      );
    } finally {
      behaviour.state = null;
      await client.close();
    }
  });

  it('counts what a gzip answer inflates to (a bomb of 4 MiB in a few KiB)', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const master = await startFakeUpstream((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb),
    );
    const client = new MesosClient({ timeoutMs: 10_000, maxBodyBytes: 1024 * 1024 });
    try {
      await expect(callOperator(client, master.url, 'GET_STATE')).rejects.toThrow(
        /\/api\/v1 GET_STATE answered more than 1 MiB: raise --max-upstream-body/,
      );
    } finally {
      await client.close();
      await master.close();
    }
  });

  it('refuses a /files/read answer far bigger than the read asked for', async () => {
    behaviour.readPadding = 2 * 1024 * 1024;
    try {
      const response = await fetch(
        `${url}/api/files/line-text?agent=${AGENT_ID}&path=/var/log/app.log&offset=0&length=10`,
      );
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({
        reason: 'upstream',
        message: expect.stringMatching(/\/files\/read of \/var\/log\/app.log answered more than 1 MiB/),
      });
    } finally {
      behaviour.readPadding = 0;
    }
    const fine = await fetch(
      `${url}/api/files/line-text?agent=${AGENT_ID}&path=/var/log/app.log&offset=0&length=10`,
    );
    expect(await fine.json()).toMatchObject({ text: 'needle', length: 6 });
  });
});
