import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LineReader } from './line-reader';
import { FILE_TAIL_TTL_MS, FileTails, TAIL_WINDOW_BYTES } from './file-tails';
import { MesosFiles } from './mesos-files';
import type { FileTarget } from './mesos-files';
import { startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeUpstream } from '../upstream/fake-upstream';
import { MesosClient } from '../upstream/mesos-client';

const PATH = '/var/lib/mesos/slaves/S0/frameworks/F/executors/e/runs/latest/stdout';
const numbered = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `line ${i + from} of the followed file\n`).join('');

/** An agent serving one file as Mesos's `/files/read` does, each answer held back a little. */
let file: Buffer = Buffer.alloc(0);
const SLOW_PATH = '/var/log/stuck.log';
let slowClosed = 0;
let fake: FakeUpstream;
let client: MesosClient;
let target: FileTarget;

const reads = () => fake.requests.filter((request) => request.path.startsWith('/files/read')).length;

beforeAll(async () => {
  fake = await startFakeUpstream((req, res) => {
    const query = new URL(req.url ?? '/', 'http://agent').searchParams;
    if (query.get('path') === SLOW_PATH) {
      // Never answered: the reader must give up by itself.
      req.once('close', () => (slowClosed += 1));
      return;
    }
    if (query.get('path') !== PATH) return res.writeHead(404).end();
    const offset = Number(query.get('offset'));
    const length = Math.min(Number(query.get('length')), 64 * 1024);
    const body =
      offset === -1
        ? { offset: file.length, data: '' }
        : { offset, data: file.subarray(offset, offset + length).toString('latin1') };
    setTimeout(() => res.writeHead(200).end(JSON.stringify(body)), 20);
  });
  client = new MesosClient({ timeoutMs: 5_000 });
  target = { base: fake.url, label: 'the test agent', key: 'agent:S0' };
});

afterAll(async () => {
  await client?.close();
  await fake?.close();
});

describe('the shared ends of followed files', () => {
  let clock: number;
  let tails: FileTails;
  let files: MesosFiles;

  beforeEach(() => {
    clock = 0;
    // Only reads are used here: nothing resolves an agent through a master.
    files = new MesosFiles({ client, poller: null as never, discovery: null as never });
    tails = new FileTails(files, FILE_TAIL_TTL_MS, () => clock);
    file = Buffer.from(numbered(30_000));
  });

  it('answers 200 viewers asking at once with one size and one window read, then nothing within the interval', async () => {
    const before = reads();
    const pages = await Promise.all(
      Array.from({ length: 200 }, () =>
        new LineReader(tails.source(target, PATH, new AbortController().signal)).tail(4096),
      ),
    );
    const windowReads = Math.ceil(TAIL_WINDOW_BYTES / (64 * 1024));
    expect(reads() - before).toBe(1 + windowReads);
    const text = file.toString('latin1');
    for (const page of pages) {
      expect(page.size).toBe(file.length);
      expect(page.lines.at(-1)?.t).toBe('line 30000 of the followed file');
      for (const line of page.lines) expect(text.slice(line.o, line.o + line.n)).toBe(line.t);
    }
    clock += FILE_TAIL_TTL_MS - 1;
    await tails.tail(target, PATH);
    expect(reads() - before).toBe(1 + windowReads);
  });

  it('reads what was appended with one read per interval, for every follower at its own offset', async () => {
    const first = await tails.tail(target, PATH);
    file = Buffer.concat([file, Buffer.from(numbered(3, 30_001))]);
    clock += FILE_TAIL_TTL_MS;
    const before = reads();
    const followers = [first.size, first.size - 40, first.size - 4000].map(async (start) => {
      const source = tails.source(target, PATH, new AbortController().signal);
      const at = (await new LineReader(source).around(start, 100)).anchor!;
      return new LineReader(source).after(at, 256 * 1024);
    });
    const answers = await Promise.all(followers);
    expect(reads() - before).toBe(1);
    for (const answer of answers) {
      expect(answer.kind).toBe('lines');
      if (answer.kind === 'lines') {
        expect(answer.size).toBe(file.length);
        expect(answer.lines.at(-1)?.t).toBe('line 30003 of the followed file');
      }
    }
    const tail = await tails.tail(target, PATH);
    expect(tail.bytes.equals(file.subarray(tail.base))).toBe(true);
  });

  it('reads a file afresh when it was truncated, rewritten at its end, or grew past the window', async () => {
    await tails.tail(target, PATH);
    const check = async (next: Buffer) => {
      file = next;
      clock += FILE_TAIL_TTL_MS;
      const tail = await tails.tail(target, PATH);
      expect(tail.size).toBe(file.length);
      expect(tail.base).toBe(Math.max(0, file.length - TAIL_WINDOW_BYTES));
      expect(tail.bytes.equals(file.subarray(tail.base))).toBe(true);
    };
    await check(Buffer.from('fresh\n'));
    await check(Buffer.from('fresh\nsecond line\n'));
    await check(Buffer.from('FRESH\nsecond line\nthird\n'));
    await check(Buffer.concat([file, Buffer.from(numbered(40_000))]));
  });

  it('serves bytes before the window from the agent, joined to the window exactly', async () => {
    const tail = await tails.tail(target, PATH);
    const source = tails.source(target, PATH, new AbortController().signal);
    const from = tail.base - 1000;
    expect((await source.read(from, 3000)).equals(file.subarray(from, from + 3000))).toBe(true);
    expect((await source.read(0, 500)).equals(file.subarray(0, 500))).toBe(true);
    expect((await source.read(file.length - 10, 100)).equals(file.subarray(file.length - 10))).toBe(true);
    expect((await source.read(file.length + 5, 100)).length).toBe(0);
  });

  it('shares a failure with everyone asking in the interval, then tries again', async () => {
    const other = `${PATH}.missing`;
    const before = reads();
    const failures = await Promise.allSettled(Array.from({ length: 20 }, () => tails.tail(target, other)));
    expect(failures.every((failure) => failure.status === 'rejected')).toBe(true);
    expect(reads() - before).toBe(1);
    clock += FILE_TAIL_TTL_MS;
    await expect(tails.tail(target, other)).rejects.toThrow(/does not exist/);
    expect(reads() - before).toBe(2);
  });
});

describe('identical reads in flight', () => {
  it('share one request upstream, and a reader who leaves does not fail the others', async () => {
    file = Buffer.from(numbered(1000));
    const files = new MesosFiles({ client, poller: null as never, discovery: null as never });
    const before = reads();
    const leaving = new AbortController();
    const staying = Array.from({ length: 50 }, () => files.read(target, PATH, 100, 4096));
    const left = files.read(target, PATH, 100, 4096, leaving.signal);
    leaving.abort();
    await expect(left).rejects.toThrow();
    const answers = await Promise.all(staying);
    expect(reads() - before).toBe(1);
    for (const answer of answers) expect(answer.equals(file.subarray(100, 4196))).toBe(true);
    // Another offset is another read.
    await files.read(target, PATH, 200, 4096);
    expect(reads() - before).toBe(2);
  });

  it('are cancelled upstream once every reader has gone away', async () => {
    const files = new MesosFiles({ client, poller: null as never, discovery: null as never });
    const readers = [new AbortController(), new AbortController()];
    const waiting = readers.map((reader) => files.read(target, SLOW_PATH, 0, 100, reader.signal));
    await expect.poll(() => fake.requests.filter((r) => r.path.includes('stuck.log')).length).toBe(1);
    readers[0]!.abort();
    await expect(waiting[0]).rejects.toThrow();
    expect(slowClosed).toBe(0);
    readers[1]!.abort();
    await expect(waiting[1]).rejects.toThrow();
    await expect.poll(() => slowClosed).toBe(1);
  });
});
