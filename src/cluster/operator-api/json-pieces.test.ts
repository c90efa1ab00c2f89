import { request } from 'node:http';
import { Writable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../testing/eventually';
import { createIdSource } from '../master/ids';
import { masterStatePieces } from '../master/master-json';
import { startScaleCluster } from '../scenarios/scale/start-scale-cluster';
import type { ScaleCluster } from '../scenarios/scale/start-scale-cluster';
import { operatorMasterOf } from './core-master';
import { PIECE_CHARS, objectPieces, pieceText, piecesList, textListPieces, valuePieces } from './json-pieces';
import type { Pieces } from './json-pieces';
import { getStatePieces } from './operator-endpoint';
import { snapshotPieces, writeSnapshot } from './send-pieces';
import { getAgentsV1, getExecutorsV1, getFrameworksV1, getTasksV1 } from './v1-json';

const joined = (pieces: Pieces) => Array.from(pieces, pieceText).join('');

/**
 * What the writer sends of the pieces, to a reader with a small buffer that takes each chunk a moment later
 * (so the writer meets backpressure and uses its chunk buffers again), copying each chunk as a socket would.
 */
async function written(pieces: Pieces): Promise<{ body: Buffer; writes: number }> {
  const snapshot = snapshotPieces(pieces);
  const parts: Buffer[] = [];
  const reader = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, done) {
      parts.push(Buffer.from(chunk));
      setImmediate(done);
    },
  });
  expect(await writeSnapshot(reader, snapshot)).toBe(true);
  const body = Buffer.concat(parts);
  expect(body.length).toBe(snapshot.length);
  return { body, writes: parts.length };
}
const encoded = async (pieces: Pieces) => (await written(pieces)).body;

/** A random JSON-ish tree: what JSON holds, plus what JSON.stringify drops, turns to null or calls toJSON on. */
function randomTree(rng: () => number, depth: number): unknown {
  const words = ['a', 'é', 'naïve', '"quoted"', 'line\nbreak', '😀', '\u2028', 'tab\t', '', 'x'.repeat(40)];
  const leaf = (): unknown => {
    const roll = rng();
    if (roll < 0.2) return words[Math.floor(rng() * words.length)];
    if (roll < 0.35) return Math.round((rng() - 0.5) * 1e6) / 100;
    if (roll < 0.45) return rng() < 0.5;
    if (roll < 0.5) return null;
    if (roll < 0.55) return undefined;
    if (roll < 0.58) return () => 1;
    if (roll < 0.61) return new Date(Math.floor(rng() * 2e12));
    if (roll < 0.63) return Number.NaN;
    if (roll < 0.65) return { toJSON: () => ({ made: 'by toJSON' }) };
    return Math.floor(rng() * 1e9);
  };
  if (depth === 0 || rng() < 0.25) return leaf();
  const size = Math.floor(rng() * 6);
  if (rng() < 0.5) return Array.from({ length: size }, () => randomTree(rng, depth - 1));
  const object: Record<string, unknown> = rng() < 0.1 ? Object.create(null) : {};
  for (let i = 0; i < size; i++) object[words[i % words.length]! + i] = randomTree(rng, depth - 1);
  return object;
}

describe('the streaming JSON writer', () => {
  it('writes what JSON.stringify writes, byte for byte, for random trees walked to any depth', async () => {
    const ids = createIdSource(16);
    const rng = () => ids.random();
    for (let n = 0; n < 400; n++) {
      const tree = randomTree(rng, 6);
      const expected = JSON.stringify(tree);
      if (expected === undefined) continue;
      for (const depth of [0, 1, 3, 6, Infinity]) {
        expect(joined(valuePieces(tree, depth))).toBe(expected);
      }
      expect((await encoded(valuePieces(tree))).equals(Buffer.from(expected, 'utf8'))).toBe(true);
    }
  });

  it('never makes one string of a big list: a 3 MB list comes in pieces of about a MB', () => {
    const tasks = Array.from({ length: 30_000 }, (_, i) => ({ id: `task-${i}`, text: 'é'.repeat(90) }));
    const document = { get_tasks: { tasks } };
    const pieces = [...valuePieces(document)];
    expect(pieces.join('')).toBe(JSON.stringify(document));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(PIECE_CHARS * 1.1);
    expect(pieces.length).toBeGreaterThan(2);
  });

  it('writes pieces in MB chunks equal to the UTF-8 of their text, however they fall on the chunks', async () => {
    const ids = createIdSource(3);
    const pieces: string[] = [];
    for (let i = 0; i < 4_000; i++) {
      const size = Math.floor(ids.random() * 2_000);
      pieces.push((i % 3 === 0 ? '😀é' : 'ab').repeat(size));
    }
    pieces.push('€'.repeat(PIECE_CHARS)); // one piece bigger than a chunk
    const expected = Buffer.from(pieces.join(''), 'utf8');
    const { body, writes } = await written(pieces);
    expect(body.equals(expected)).toBe(true);
    expect(writes).toBeGreaterThan(5);
  });

  it('cuts the document rather than write one whose length was announced wrong', async () => {
    const reader = new Writable({
      write(_chunk: Buffer, _encoding, done) {
        done();
      },
    });
    reader.on('error', () => undefined);
    const wrong = { bytes: 5, text: () => 'abc' };
    expect(await writeSnapshot(reader, snapshotPieces(['[', wrong, ']']))).toBe(false);
    expect(reader.destroyed).toBe(true);
  });

  it('leaves out null fields and writes empty lists the way the eager writer did', () => {
    expect(joined(objectPieces([]))).toBe('{}');
    expect(joined(objectPieces([['a', null]]))).toBe('{}');
    expect(
      joined(
        objectPieces([
          ['a', valuePieces(1)],
          ['b', null],
          ['c', textListPieces([], String)],
        ]),
      ),
    ).toBe('{"a":1,"c":[]}');
    expect(joined(piecesList([1, 2], (n) => valuePieces({ n })))).toBe('[{"n":1},{"n":2}]');
    expect(joined(piecesList([], (n) => valuePieces(n)))).toBe('[]');
  });
});

describe.each(['small', 'large'] as const)('the %s scenario documents, written in chunks', (scenario) => {
  let cluster: ScaleCluster;
  beforeAll(async () => {
    cluster = await startScaleCluster({ scenario, seed: 5, churn: 'manual' });
    for (let i = 0; i < 3; i++) cluster.churn?.tick();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('GET_STATE is JSON.stringify of the same state built as objects', async () => {
    const master = operatorMasterOf(cluster.sim, cluster.sim.writes!);
    const expected = JSON.stringify({
      get_tasks: getTasksV1(master),
      get_executors: getExecutorsV1(master),
      get_frameworks: getFrameworksV1(master),
      get_agents: getAgentsV1(master),
    });
    expect((await encoded(getStatePieces(master))).equals(Buffer.from(expected, 'utf8'))).toBe(true);
    if (scenario !== 'small') return;
    // Again, from the text each task keeps until its next status update.
    cluster.churn?.tick();
    const again = JSON.stringify({
      get_tasks: getTasksV1(master),
      get_executors: getExecutorsV1(master),
      get_frameworks: getFrameworksV1(master),
      get_agents: getAgentsV1(master),
    });
    expect((await encoded(getStatePieces(master))).toString('utf8')).toBe(again);
  });

  it('a document taken before tasks change is written as it was when taken, v1 and v0', async () => {
    const master = operatorMasterOf(cluster.sim, cluster.sim.writes!);
    const v1 = () =>
      JSON.stringify({
        get_tasks: getTasksV1(master),
        get_executors: getExecutorsV1(master),
        get_frameworks: getFrameworksV1(master),
        get_agents: getAgentsV1(master),
      });
    const v0 = async () => (await encoded(masterStatePieces(cluster.sim))).toString('utf8');
    // Measured once, so that the next documents hold only lengths and make each task's text as it is written.
    await encoded(getStatePieces(master));
    const v0Before = await v0();
    const v1Before = v1();
    const v1Taken = snapshotPieces(getStatePieces(master));
    const v0Taken = snapshotPieces(masterStatePieces(cluster.sim));
    expect(v1Taken.pieces.some((piece) => typeof piece !== 'string')).toBe(true);
    const changes = cluster.sim.counters.validStatusUpdates;
    for (let i = 0; i < 3; i++) cluster.churn?.tick();
    expect(cluster.sim.counters.validStatusUpdates).toBeGreaterThan(changes);
    expect(v1()).not.toBe(v1Before);
    for (const [taken, before] of [
      [v1Taken, v1Before],
      [v0Taken, v0Before],
    ] as const) {
      const parts: Buffer[] = [];
      const reader = new Writable({
        write(chunk: Buffer, _encoding, done) {
          parts.push(Buffer.from(chunk));
          done();
        },
      });
      expect(await writeSnapshot(reader, taken)).toBe(true);
      expect(Buffer.concat(parts).toString('utf8')).toBe(before);
    }
  });

  it('/master/state is canonical JSON, the same bytes plain, gzipped and to a reader that stalls', async () => {
    const rendered = await encoded(masterStatePieces(cluster.sim));
    const text = rendered.toString('utf8');
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
    const plain = await slowGet(`${cluster.masterUrl}/master/state`, {});
    expect(plain.headers['content-length']).toBe(String(rendered.length));
    expect(plain.body.equals(rendered)).toBe(true);
    const zipped = await slowGet(`${cluster.masterUrl}/master/state`, { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(rendered)).toBe(true);
  });

  // Over a socket, the small scenario's SUBSCRIBED (MBs) is enough to fill it; the large one only costs time.
  if (scenario === 'small')
    it('SUBSCRIBED goes out whole to a stalled reader, the changes made meanwhile queued behind it', async () => {
      const master = operatorMasterOf(cluster.sim, cluster.sim.writes!);
      const records: string[] = [];
      const response = new Promise<IncomingMessage>((resolve, reject) => {
        request(
          `${cluster.masterUrl}/api/v1`,
          { method: 'POST', headers: { 'Content-Type': 'application/json' } },
          (res) => {
            // Nothing is read at first: the server must wait for its socket, not queue the state again.
            res.pause();
            resolve(res);
          },
        )
          .on('error', reject)
          .end(JSON.stringify({ type: 'SUBSCRIBE' }));
      });
      const res = await response;
      await eventually(() => (cluster.operatorApi.subscribers === 1 ? true : undefined));
      const snapshot = JSON.stringify({
        get_tasks: getTasksV1(master),
        get_executors: getExecutorsV1(master),
        get_frameworks: getFrameworksV1(master),
        get_agents: getAgentsV1(master),
      });
      cluster.churn?.tick();
      await new Promise<void>((resolve, reject) => {
        const reader = recordReader((record) => records.push(record));
        res.on('data', (chunk: Buffer) => {
          reader(chunk);
          if (records.length >= 3 && records.slice(2).some((r) => r.includes('TASK_'))) {
            res.destroy();
            resolve();
          }
        });
        res.on('error', reject);
        res.resume();
      });
      const subscribed = JSON.parse(records[0]!) as { type: string; subscribed: { get_state: unknown } };
      expect(subscribed.type).toBe('SUBSCRIBED');
      expect(JSON.stringify(subscribed.subscribed.get_state)).toBe(snapshot);
      expect(records[1]).toBe('{"type":"HEARTBEAT"}');
      const changes = records.slice(2).map((r) => (JSON.parse(r) as { type: string }).type);
      expect(changes.every((type) => type.startsWith('TASK_') || type === 'HEARTBEAT')).toBe(true);
    });
});

/** A GET whose reader stalls for a moment before reading, so that the server meets a full socket. */
function slowGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.pause();
      const chunks: Buffer[] = [];
      setTimeout(() => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        res.resume();
      }, 50);
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** Splits a RecordIO stream into its records, copying each byte once (a SUBSCRIBED is tens of MB). */
function recordReader(onRecord: (record: string) => void): (chunk: Buffer) => void {
  let chunks: Buffer[] = [];
  let held = 0;
  let want = -1;
  return (chunk) => {
    chunks.push(chunk);
    held += chunk.length;
    for (;;) {
      if (want < 0) {
        const head = Buffer.concat(chunks.splice(0));
        const newline = head.indexOf(10);
        chunks = [head];
        if (newline < 0) return;
        want = Number(head.subarray(0, newline).toString());
        chunks = [head.subarray(newline + 1)];
        held -= newline + 1;
      }
      if (held < want) return;
      const all = Buffer.concat(chunks);
      onRecord(all.subarray(0, want).toString('utf8'));
      chunks = [all.subarray(want)];
      held -= want;
      want = -1;
    }
  };
}
