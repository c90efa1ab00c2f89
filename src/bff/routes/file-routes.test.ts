import diagnostics from 'node:diagnostics_channel';
import { appendFileSync, truncateSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../cluster';
import type { LaunchedTask, LocalCluster } from '../../cluster';
import type {
  AppInstancesView,
  FileErrorBody,
  LinesAnswer,
  LinesPage,
  LocateAnswer,
  SearchEvent,
} from '../schemas/files';
import type { TestBff } from '../test-support';
import { buildTestBff } from '../test-support';

const numbered = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `line ${i + from} of the test file\n`).join('');

describe('file routes over the local cluster', () => {
  let cluster: LocalCluster;
  let bff: TestBff;
  let task: LaunchedTask;
  let base: string;

  beforeAll(async () => {
    cluster = await startCluster({ agents: 1, scenario: 'empty' });
    task = await cluster.control.launchTask({ framework: 'marathon', name: 'logs', cmd: 'sleep 600' });
    await cluster.control.launchTask({ framework: 'marathon', name: 'logs', cmd: 'echo twin; sleep 600' });
    // These tests change files between requests: each request reads the file's end afresh.
    bff = await buildTestBff([cluster.masterUrl], undefined, {}, { fileTailTtlMs: 0 });
    await bff.poller.pollOnce();
    await bff.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(bff.app.server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  const file = (name: string) => join(task.directory, name);
  const url = (route: string, params: Record<string, string | number>) =>
    `/api/files/${route}?${new URLSearchParams({ agent: task.agentId, ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) }).toString()}`;
  const get = async <T>(route: string, params: Record<string, string | number>) => {
    const response = await bff.app.inject({ method: 'GET', url: url(route, params) });
    return { status: response.statusCode, body: response.json<T>() };
  };

  it('reads the tail as whole lines with exact byte offsets, then follows new lines', async () => {
    writeFileSync(file('app.log'), numbered(20_000));
    const { status, body: tail } = await get<LinesPage>('lines', {
      path: file('app.log'),
      tail: 1,
      bytes: 4096,
    });
    expect(status).toBe(200);
    expect(tail.lines.at(-1)?.t).toBe('line 20000 of the test file');
    expect(tail.end).toBe(tail.size);
    const content = numbered(20_000);
    for (const line of tail.lines) expect(content.slice(line.o, line.o + line.n)).toBe(line.t);

    appendFileSync(file('app.log'), numbered(3, 20_001));
    const next = await get<LinesAnswer>('lines', {
      path: file('app.log'),
      after: tail.end,
      known: tail.size,
      hash: tail.endHash,
    });
    expect(next.body.kind).toBe('lines');
    expect((next.body as LinesPage).lines.map((line) => line.t)).toEqual(
      numbered(3, 20_001).trimEnd().split('\n'),
    );
  });

  it('says when a followed file was truncated', async () => {
    writeFileSync(file('rotating.log'), numbered(100));
    const { body: tail } = await get<LinesPage>('lines', { path: file('rotating.log'), tail: 1 });
    truncateSync(file('rotating.log'), 0);
    appendFileSync(file('rotating.log'), 'fresh\n');
    const { body } = await get<LinesAnswer>('lines', {
      path: file('rotating.log'),
      after: tail.end,
      hash: tail.endHash,
    });
    expect(body).toEqual({ kind: 'reset', size: 6, why: 'truncated' });
  });

  it('answers binary and invalid UTF-8 with valid JSON and exact offsets', async () => {
    const bytes = Buffer.concat([Buffer.from([0, 1, 0xff, 0xfe, 0xc3, 0x0a]), Buffer.from('tail line\n')]);
    writeFileSync(file('binary.dat'), bytes);
    const response = await bff.app.inject({
      method: 'GET',
      url: url('lines', { path: file('binary.dat'), tail: 1 }),
    });
    const page = JSON.parse(response.body) as LinesPage;
    expect(page.lines.map((line) => [line.o, line.n])).toEqual([
      [0, 5],
      [6, 9],
    ]);
    expect(page.lines[0]?.t).toBe('\u0000\u0001\ufffd\ufffd\ufffd');
  });

  it('tells a missing file from a missing agent', async () => {
    const missing = await get<FileErrorBody>('lines', { path: file('not-yet.log'), tail: 1 });
    expect(missing).toMatchObject({ status: 404, body: { reason: 'file-not-found' } });
    const response = await bff.app.inject({
      method: 'GET',
      url: `/api/files/lines?agent=no-such-agent&path=${encodeURIComponent(file('stdout'))}&tail=1`,
    });
    expect(response.statusCode).toBe(404);
    expect(response.json<FileErrorBody>().reason).toBe('agent-not-found');
    const bad = await get<FileErrorBody>('lines', { path: '/etc/../passwd', tail: 1 });
    expect(bad).toMatchObject({ status: 400, body: { reason: 'bad-request' } });
    const two = await get<FileErrorBody>('lines', { path: file('app.log'), tail: 1, before: 10 });
    expect(two.status).toBe(400);
  });

  it('finds line numbers and opens around an offset', async () => {
    const content = numbered(20_000);
    const offset = content.indexOf('line 15000 of');
    const located = await get<LocateAnswer>('locate', { path: file('app.log'), offset: offset + 3 });
    expect(located.body).toMatchObject({ line: 15_000, offset });
    expect((await get<LocateAnswer>('locate', { path: file('app.log'), line: 15_000 })).body.offset).toBe(
      offset,
    );
    const around = await get<LinesPage>('lines', { path: file('app.log'), at: offset + 3, bytes: 2000 });
    expect(around.body.anchor).toBe(offset);
    expect(around.body.lines.find((line) => line.o === offset)?.t).toBe('line 15000 of the test file');
  });

  it('streams whole-file search matches as NDJSON with line numbers and offsets', async () => {
    const response = await fetch(
      `${base}${url('search', { path: file('app.log'), q: 'line 1999[0-9] ', regex: 1 })}`,
    );
    expect(response.headers.get('content-type')).toMatch(/ndjson/);
    const events = (await response.text())
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as SearchEvent);
    expect(events[0]?.type).toBe('start');
    const matches = events.filter((event) => event.type === 'match');
    expect(matches.map((match) => match.line)).toEqual(Array.from({ length: 10 }, (_, i) => 19_990 + i));
    const content = numbered(20_003);
    for (const match of matches) expect(content.slice(match.offset, match.offset + 5)).toBe('line ');
    expect(events.at(-1)).toMatchObject({ type: 'end', matches: 10, limited: false });

    const broken = await get<FileErrorBody>('search', { path: file('app.log'), q: '(', regex: 1 });
    expect(broken).toMatchObject({ status: 400, body: { reason: 'bad-request' } });
  });

  it('lists every instance of an app with its sandbox, from the app or from a sandbox path', async () => {
    const byName = await bff.app.inject({
      method: 'GET',
      url: `/api/files/instances?framework=${encodeURIComponent(task.frameworkId)}&name=logs`,
    });
    const view = byName.json<AppInstancesView>();
    expect(view.instances).toHaveLength(2);
    expect(view.instances.map((instance) => instance.directory)).toContain(task.directory);
    const byPath = await get<AppInstancesView>('instances', { path: file('stdout') });
    expect(byPath.body.instances.map((instance) => instance.taskId).sort()).toEqual(
      view.instances.map((instance) => instance.taskId).sort(),
    );
  });

  it('answers viewers following one file together with one read of its end', async () => {
    writeFileSync(file('followed.log'), numbered(5_000));
    const shared = await buildTestBff([cluster.masterUrl]);
    let reads = 0;
    const count = (message: unknown) => {
      if (/\/files\/read\?/.test((message as { request: IncomingMessage }).request.url ?? '')) reads += 1;
    };
    diagnostics.subscribe('http.server.request.start', count);
    try {
      await shared.poller.pollOnce();
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          shared.app.inject({ method: 'GET', url: url('lines', { path: file('followed.log'), tail: 1 }) }),
        ),
      );
      for (const answer of answers) {
        expect(answer.statusCode).toBe(200);
        expect(answer.json<LinesPage>().lines.at(-1)?.t).toBe('line 5000 of the test file');
      }
      // Its size, then the file in 64 KiB reads (it is under the 512 KiB kept per file); one more if the
      // interval ran out meanwhile.
      const once = 1 + Math.ceil(numbered(5_000).length / (64 * 1024));
      expect(reads).toBeGreaterThanOrEqual(once);
      expect(reads).toBeLessThanOrEqual(once + 1);
    } finally {
      diagnostics.unsubscribe('http.server.request.start', count);
      await shared.close();
    }
  });

  it('reads the master log when no agent is named', async () => {
    const response = await bff.app.inject({
      method: 'GET',
      url: '/api/files/lines?path=%2Fmaster%2Flog&tail=1',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<LinesPage>().lines.length).toBeGreaterThan(0);
  });

  // Last: the agent goes away for good.
  it('says when the agent cannot be reached, then when it left the cluster', async () => {
    await cluster.control.makeAgentUnreachable(task.agentId, { afterMs: 50 });
    const gone = await get<FileErrorBody>('lines', { path: file('app.log'), tail: 1 });
    expect(gone).toMatchObject({ status: 502, body: { reason: 'unreachable' } });
    expect(gone.body.message).toMatch(/refused|reached|closed/);
    await bff.poller.pollOnce();
    const left = await get<FileErrorBody>('lines', { path: file('app.log'), tail: 1 });
    expect(left).toMatchObject({ status: 404, body: { reason: 'agent-not-found' } });
  });
});
