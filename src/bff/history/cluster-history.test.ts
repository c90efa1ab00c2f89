import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClusterHistory, HISTORY_CAPACITY, MIN_SAMPLE_SPACING_MS } from './cluster-history';
import { lastRemoteClusterKey, localClusterKey, remoteClusterKey } from './cluster-identity';
import { damagedCopies } from './damaged-copies';
import { encodeFile, HEADER_BYTES, RECORD_BYTES } from './history-file';
import { sampleAt, T0 } from './test-samples';

describe('ClusterHistory', () => {
  let dataDir: string;
  let warnings: string[];
  const open = (extra: Partial<Parameters<typeof ClusterHistory.open>[0]> = {}) =>
    ClusterHistory.open({ dataDir, key: 'test', warn: (m) => warnings.push(m), ...extra });
  const fileOf = (key = 'test') => path.join(dataDir, `history-${key}.bin`);

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-history-'));
    warnings = [];
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('holds at least 24 h at one sample every 10 s', () => {
    expect(HISTORY_CAPACITY * MIN_SAMPLE_SPACING_MS).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(HISTORY_CAPACITY).toBeGreaterThanOrEqual(8_640);
  });

  it('keeps one sample per minimum spacing and drops faster ones', async () => {
    const history = await open({ dataDir: null });
    expect(history.keeps(T0)).toBe(true);
    expect(history.record(sampleAt(0, T0))).toBe(true);
    // Said before a sample is taken, so that one that would be dropped is not taken.
    expect(history.keeps(T0 + MIN_SAMPLE_SPACING_MS - 1)).toBe(false);
    expect(history.record(sampleAt(1, T0 + MIN_SAMPLE_SPACING_MS - 1))).toBe(false);
    expect(history.keeps(T0 + MIN_SAMPLE_SPACING_MS)).toBe(true);
    expect(history.record(sampleAt(2, T0 + MIN_SAMPLE_SPACING_MS))).toBe(true);
    expect(history.samples().map((s) => s.t)).toEqual([T0, T0 + MIN_SAMPLE_SPACING_MS]);
    expect(history.version).toBe(2);
    expect(history.persistence).toBe('memory');
  });

  it('survives a restart: what was recorded is there when it opens again', async () => {
    const first = await open({ minSpacingMs: 0 });
    const recorded = Array.from({ length: 40 }, (_, i) => sampleAt(i));
    recorded.forEach((sample) => first.record(sample));
    await first.close();

    const second = await open({ minSpacingMs: 0 });
    expect(second.persistence).toBe('disk');
    expect(second.samples()).toEqual(recorded);
    second.record(sampleAt(40));
    await second.close();
    const third = await open();
    expect(third.samples()).toEqual([...recorded, sampleAt(40)]);
    await third.close();
    expect(warnings).toEqual([]);
  });

  it('keeps memory and disk bounded: the ring wraps and the file is compacted at twice the capacity', async () => {
    const capacity = 10;
    const history = await open({ capacity, minSpacingMs: 0 });
    const sizes: number[] = [];
    for (let i = 0; i < 45; i += 1) {
      history.record(sampleAt(i));
      await history.flush();
      sizes.push(statSync(fileOf()).size);
    }
    expect(history.size).toBe(capacity);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(HEADER_BYTES + 2 * capacity * RECORD_BYTES);
    // It did compact (the file shrank at least once) ...
    expect(sizes.some((size, i) => i > 0 && size < (sizes[i - 1] ?? 0))).toBe(true);
    await history.close();
    // ... and what is on disk is exactly the last `capacity` samples.
    const reopened = await open({ capacity, minSpacingMs: 0 });
    expect(reopened.samples()).toEqual(Array.from({ length: capacity }, (_, i) => sampleAt(35 + i)));
    await reopened.close();
  });

  it('starts empty with a warning on a corrupt file, keeps a copy of it, and goes on recording', async () => {
    writeFileSync(fileOf(), 'this is not a history file at all');
    const history = await open();
    expect(history.size).toBe(0);
    expect(history.persistence).toBe('disk');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/history starts empty: .*history-test\.bin is corrupt \(.*bad header\)/);
    const copies = damagedCopies(fileOf());
    expect(copies).toHaveLength(1);
    expect(warnings[0]).toContain(`kept a copy as ${copies[0]} (the last 5 copies are kept)`);
    expect(readFileSync(copies[0]!, 'utf8')).toBe('this is not a history file at all');
    history.record(sampleAt(1));
    await history.close();
    const reopened = await open();
    expect(reopened.samples()).toEqual([sampleAt(1)]);
    await reopened.close();
  });

  it('recovers every record of a file whose header has one flipped byte', async () => {
    const recorded = Array.from({ length: 30 }, (_, i) => sampleAt(i));
    for (let at = 0; at < HEADER_BYTES; at += 1) {
      writeFileSync(fileOf(), encodeFile(recorded));
      const bytes = readFileSync(fileOf());
      bytes.writeUInt8(bytes.readUInt8(at) ^ 0x10, at);
      writeFileSync(fileOf(), bytes);
      warnings = [];

      const history = await open({ minSpacingMs: 0 });
      expect(history.samples(), `byte ${at}`).toEqual(recorded);
      expect(history.persistence).toBe('disk');
      expect(warnings.join('\n')).toMatch(/damaged header: recovered the 30 records that check out/);
      await history.close();
      // The file was rewritten whole: it opens clean.
      warnings = [];
      const reopened = await open({ minSpacingMs: 0 });
      expect(reopened.samples()).toEqual(recorded);
      expect(warnings).toEqual([]);
      await reopened.close();
    }
  });

  it('keeps a copy of every damaged file under its own name, the last 5 of them', async () => {
    writeFileSync(`${fileOf()}.corrupt`, 'left by an older mesoscope');
    const contents: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const content = `damage number ${i}`;
      contents.push(content);
      writeFileSync(fileOf(), content);
      const history = await open();
      await history.close();
      const copies = damagedCopies(fileOf());
      // Every copy so far is there (the older one too) until the bound is reached; none was overwritten.
      expect(copies.map((copy) => readFileSync(copy, 'utf8'))).toEqual(
        ['left by an older mesoscope', ...contents].slice(-5),
      );
    }
    expect(warnings.at(-1)).toMatch(/the last 5 copies are kept; removed the older .*\.corrupt-/);
    expect(warnings.filter((w) => w.includes('removed the older'))).toHaveLength(3);
  });

  it('keeps the good records of a file damaged in places, with a warning', async () => {
    const first = await open({ minSpacingMs: 0 });
    [1, 2, 3].forEach((i) => first.record(sampleAt(i)));
    await first.close();
    const bytes = readFileSync(fileOf());
    const at = HEADER_BYTES + RECORD_BYTES + 5;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x55, at);
    writeFileSync(fileOf(), Buffer.concat([bytes, Buffer.from([1, 2, 3])]));

    const second = await open();
    expect(second.samples()).toEqual([sampleAt(1), sampleAt(3)]);
    expect(warnings.join('\n')).toMatch(/incomplete last record/);
    expect(warnings.join('\n')).toMatch(/skipped 1 damaged record/);
    await second.close();
  });

  it('falls back to memory, with a warning, when another server holds the file', async () => {
    const owner = await open();
    const other = await open();
    expect(owner.persistence).toBe('disk');
    expect(other.persistence).toBe('memory');
    expect(warnings).toEqual([
      `history kept in memory only: another mesoscope server is using ${fileOf()}; it is taken over once that server stops`,
    ]);
    expect(other.record(sampleAt(1))).toBe(true);
    await other.close();
    await owner.close();
    expect(existsSync(`${fileOf()}.lock`)).toBe(false);
  });

  it('takes the file over once the server holding it lets go, keeping what both recorded', async () => {
    const owner = await open({ minSpacingMs: 0 });
    for (let i = 0; i < 10; i += 1) owner.record(sampleAt(i));
    const other = await open({ minSpacingMs: 0, lockRetryMs: 20 });
    expect(other.persistence).toBe('memory');
    // The same cluster, seen by both for a while, then only by the newcomer.
    for (let i = 8; i < 13; i += 1) other.record(sampleAt(i));
    await owner.close();
    await vi.waitFor(() => expect(other.persistence).toBe('disk'), { timeout: 5_000, interval: 20 });
    expect(warnings.at(-1)).toBe(`history kept on disk from now on: the other server let go of ${fileOf()}`);
    const all = Array.from({ length: 13 }, (_, i) => sampleAt(i));
    expect(other.samples()).toEqual(all);
    other.record(sampleAt(13));
    await other.close();
    const reopened = await open({ minSpacingMs: 0 });
    expect(reopened.samples()).toEqual([...all, sampleAt(13)]);
    await reopened.close();
  });

  it('takes over a lock left by a process that is gone', async () => {
    writeFileSync(`${fileOf()}.lock`, '999999999\n');
    const history = await open();
    expect(history.persistence).toBe('disk');
    await history.close();
  });

  it('falls back to memory when the data directory cannot be created', async () => {
    const blocker = path.join(dataDir, 'a-file');
    writeFileSync(blocker, '');
    const history = await open({ dataDir: path.join(blocker, 'history') });
    expect(history.persistence).toBe('memory');
    expect(warnings[0]).toMatch(/history kept in memory only: cannot use/);
  });

  it('names files per cluster: the local one by what it runs, a real one by its masters and its name', () => {
    expect(localClusterKey('large')).toBe('local-large');
    expect(localClusterKey('demo 3 agents')).toBe('local-demo-3-agents');
    const a = remoteClusterKey(['http://m1:5050', 'http://m2:5050'], 'prod');
    expect(a).toMatch(/^cluster-[0-9a-f]{8}-prod-[0-9a-f]{8}$/);
    // Any order of the same masters; a leader change changes neither the masters nor the name.
    expect(remoteClusterKey(['http://m2:5050', 'http://m1:5050'], 'prod')).toBe(a);
    expect(remoteClusterKey(['http://m3:5050'], 'prod')).not.toBe(a);
    // The same URLs serving another cluster.
    expect(remoteClusterKey(['http://m1:5050', 'http://m2:5050'], 'staging')).not.toBe(a);
    expect(remoteClusterKey(['zk://z1:2181/mesos'], undefined)).toMatch(/^cluster-[0-9a-f]{8}-unnamed-/);
    // A state that does not say its name keeps the cluster read through the same masters.
    expect(remoteClusterKey(['http://m2:5050', 'http://m1:5050'], undefined, a)).toBe(a);
    expect(remoteClusterKey(['http://m3:5050'], undefined, a)).toMatch(/-unnamed-/);
    expect(remoteClusterKey(['zk://z1:2181/mesos'], '../../etc')).toMatch(/^cluster-[0-9a-f]{8}-etc-/);
  });

  it('changes cluster: the samples of the one before leave the view and its file stays for later', async () => {
    const history = await open({ key: 'one', minSpacingMs: 0 });
    history.record(sampleAt(0));
    history.record(sampleAt(1));
    const before = history.version;
    await history.switchCluster('two');
    expect(history.clusterKey).toBe('two');
    expect(history.samples()).toEqual([]);
    expect(history.version).toBeGreaterThan(before);
    history.record(sampleAt(5));
    await history.switchCluster('one');
    expect(history.samples()).toEqual([sampleAt(0), sampleAt(1)]);
    await history.close();
    const two = await open({ key: 'two' });
    expect(two.samples()).toEqual([sampleAt(5)]);
    await two.close();
    expect(existsSync(fileOf('one'))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('starts in memory while the cluster is unknown, then keeps the file of the cluster it learns', async () => {
    const history = await open({ key: null, minSpacingMs: 0 });
    expect(history.persistence).toBe('memory');
    await history.switchCluster(remoteClusterKey(['http://m1:5050'], 'prod'));
    expect(history.persistence).toBe('disk');
    history.record(sampleAt(0));
    await history.close();
    // The next start through the same masters begins with that cluster's history.
    expect(lastRemoteClusterKey(dataDir, ['http://m1:5050'])).toBe(
      remoteClusterKey(['http://m1:5050'], 'prod'),
    );
    expect(lastRemoteClusterKey(dataDir, ['http://m9:5050'])).toBeNull();
  });
});
