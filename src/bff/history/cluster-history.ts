import { mkdirSync, readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { HistoryView, HistoryWindow } from '../schemas/wall';
import { keepDamagedCopy, KEPT_DAMAGED_COPIES } from './damaged-copies';
import { downsample } from './downsample';
import { acquireLock } from './file-lock';
import { CorruptHistoryError, decodeFile, encodeFile, encodeRecord } from './history-file';
import type { HistorySample } from './history-sample';
import { SampleRing } from './sample-ring';

/** At most one sample per 5 s: a faster poll is thinned, a slower one gives one sample per poll. */
export const MIN_SAMPLE_SPACING_MS = 5_000;
/** What the history must cover at that spacing. */
const HISTORY_RETENTION_MS = 24 * 3_600_000;
/** 17,280 samples: 24 h at one every 5 s (48 h at one every 10 s). */
export const HISTORY_CAPACITY = Math.ceil(HISTORY_RETENTION_MS / MIN_SAMPLE_SPACING_MS);
/** While another server holds the history file, how often to try its lock again. */
const LOCK_RETRY_MS = 5_000;
/** Unsynced appends reach the disk at least this often. */
const FSYNC_EVERY_MS = 60_000;

interface ClusterHistoryOptions {
  /** Directory for the history file; null keeps history in memory only. */
  dataDir: string | null;
  /**
   * The cluster the history is of (see cluster-identity.ts); it names the file, so that two clusters never
   * share one history. Null while it is not known yet: the history stays in memory until `switchCluster`.
   */
  key: string | null;
  capacity?: number;
  minSpacingMs?: number;
  /** While another server holds the file, how often to try to take it over. */
  lockRetryMs?: number;
  /** Where problems with the file are reported; history never throws because of its file. */
  warn?: (message: string) => void;
}

/**
 * The bounded history of cluster samples: a ring in memory and, when a data directory is given, an
 * append-only file that is rewritten (compacted) once it holds twice the ring's capacity. Memory is
 * `capacity × 48 B` (810 KiB at the default capacity) and the file at most `16 B + 2 × capacity × 52 B`
 * (1.7 MiB). A missing, corrupt or locked file never stops mesoscope: it keeps the history in memory and says why.
 */
export class ClusterHistory {
  private readonly ring: SampleRing;
  private readonly minSpacingMs: number;
  private readonly warn: (message: string) => void;
  private file: { path: string; handle: FileHandle; records: number; release: () => void } | null = null;
  private queue: Promise<void> = Promise.resolve();
  private unsynced = false;
  private fsyncTimer: NodeJS.Timeout | null = null;
  private changes = 0;
  private closed = false;
  private lockRetry: NodeJS.Timeout | null = null;
  private readonly lockRetryMs: number;
  private attaching = false;
  private key: string | null;
  private readonly dataDir: string | null;

  private constructor(options: ClusterHistoryOptions) {
    this.key = options.key;
    this.dataDir = options.dataDir;
    this.ring = new SampleRing(options.capacity ?? HISTORY_CAPACITY);
    this.minSpacingMs = options.minSpacingMs ?? MIN_SAMPLE_SPACING_MS;
    this.lockRetryMs = options.lockRetryMs ?? LOCK_RETRY_MS;
    this.warn = options.warn ?? (() => undefined);
  }

  /** Opens (or creates) the history; loads what the file holds. Never rejects because of the file. */
  static async open(options: ClusterHistoryOptions): Promise<ClusterHistory> {
    const history = new ClusterHistory(options);
    if (options.dataDir !== null && options.key !== null) {
      await history.attachFile(options.dataDir, options.key);
    }
    return history;
  }

  /** The cluster this is the history of, or null before it is known. */
  get clusterKey(): string | null {
    return this.key;
  }

  /**
   * Makes this the history of another cluster: the samples held so far are the previous cluster's and leave
   * the view (its file stays, for when mesoscope reads that cluster again); the new cluster's file, if there
   * is one, is loaded. Samples recorded while this runs would mix the two: the caller waits for it.
   */
  async switchCluster(key: string): Promise<void> {
    if (key === this.key || this.closed) return;
    // A wait for the previous cluster's file must not attach it later.
    if (this.lockRetry) clearInterval(this.lockRetry);
    this.lockRetry = null;
    await this.flush();
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    this.fsyncTimer = null;
    const file = this.file;
    this.file = null;
    if (file) {
      await file.handle.close().catch(() => undefined);
      file.release();
    }
    this.ring.clear();
    this.changes += 1;
    this.key = key;
    if (this.dataDir !== null) await this.attachFile(this.dataDir, key);
  }

  /** Increases with every sample kept; part of ETags. */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.ring.size;
  }

  get capacity(): number {
    return this.ring.capacity;
  }

  get persistence(): 'disk' | 'memory' {
    return this.file ? 'disk' : 'memory';
  }

  get filePath(): string | null {
    return this.file?.path ?? null;
  }

  latest(): HistorySample | null {
    return this.ring.latest();
  }

  samples(): HistorySample[] {
    return this.ring.toArray();
  }

  /** Whether a sample taken at `t` would be kept: one that would not need not be taken. */
  keeps(t: number): boolean {
    if (this.closed || !Number.isFinite(t)) return false;
    const last = this.ring.latest();
    return !(last && t >= last.t && t - last.t < this.minSpacingMs);
  }

  /**
   * Keeps a sample unless the last one kept is less than the minimum spacing older, and appends it to the file.
   * Returns whether it was kept.
   */
  record(sample: HistorySample): boolean {
    if (!this.keeps(sample.t)) return false;
    this.ring.push(sample);
    this.changes += 1;
    if (this.file) {
      const record = encodeRecord(sample);
      this.enqueue(async (file) => {
        await file.handle.write(record);
        file.records += 1;
        this.unsynced = true;
        if (file.records >= 2 * this.ring.capacity) await this.compact(file);
      });
    }
    return true;
  }

  view(window: HistoryWindow, now: number): HistoryView {
    const latest = this.ring.latest();
    return {
      window,
      ...downsample(this.ring, window, now),
      samples: this.ring.size,
      capacity: this.ring.capacity,
      persistence: this.persistence,
      latestAt: latest ? latest.t : null,
    };
  }

  /** Waits for pending writes and syncs them to disk. */
  async flush(): Promise<void> {
    this.enqueue(async (file) => {
      if (!this.unsynced) return;
      await file.handle.sync();
      this.unsynced = false;
    });
    await this.queue;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    if (this.lockRetry) clearInterval(this.lockRetry);
    const file = this.file;
    this.file = null;
    if (file) {
      await file.handle.close().catch(() => undefined);
      file.release();
    }
  }

  private async attachFile(dataDir: string, key: string): Promise<void> {
    const filePath = path.join(dataDir, `history-${key}.bin`);
    let release: (() => void) | null;
    try {
      mkdirSync(dataDir, { recursive: true });
      release = acquireLock(`${filePath}.lock`);
    } catch (error) {
      this.warn(`history kept in memory only: cannot use ${dataDir}: ${(error as Error).message}`);
      return;
    }
    if (!release) {
      this.warn(
        `history kept in memory only: another mesoscope server is using ${filePath}; it is taken over once that server stops`,
      );
      // The other server may be one that is shutting down while this one replaces it.
      this.lockRetry = setInterval(() => void this.retryLock(filePath), this.lockRetryMs);
      this.lockRetry.unref();
      return;
    }
    await this.useFile(filePath, release);
  }

  private async retryLock(filePath: string): Promise<void> {
    if (this.closed || this.file || this.attaching) return;
    let release: (() => void) | null;
    try {
      release = acquireLock(`${filePath}.lock`);
    } catch {
      return;
    }
    if (!release) return;
    if (this.lockRetry) clearInterval(this.lockRetry);
    this.lockRetry = null;
    this.attaching = true;
    try {
      await this.useFile(filePath, release);
    } finally {
      this.attaching = false;
    }
    if (this.file) this.warn(`history kept on disk from now on: the other server let go of ${filePath}`);
  }

  /** Loads the file (under the lock `release` lets go of), rewrites it clean and appends to it from now on. */
  private async useFile(filePath: string, release: () => void): Promise<void> {
    this.load(filePath);
    const written = this.changes;
    let handle: FileHandle | null = null;
    try {
      // Start from a clean file holding exactly what was loaded: drops damaged records and old overflow.
      await writeAtomically(filePath, encodeFile(this.ring.toArray()));
      handle = await open(filePath, 'a');
      // Samples recorded while the file was being written (only when it is taken over late) go in now.
      const meanwhile = Math.min(this.changes - written, this.ring.size);
      if (meanwhile > 0) {
        const missed = this.ring.toArray().slice(-meanwhile);
        await handle.write(Buffer.concat(missed.map((sample) => encodeRecord(sample))));
      }
    } catch (error) {
      await handle?.close().catch(() => undefined);
      release();
      this.warn(`history kept in memory only: cannot write ${filePath}: ${(error as Error).message}`);
      return;
    }
    if (this.closed) {
      await handle.close().catch(() => undefined);
      release();
      return;
    }
    this.file = { path: filePath, handle, records: this.ring.size, release };
    this.fsyncTimer = setInterval(() => void this.flush(), FSYNC_EVERY_MS);
    this.fsyncTimer.unref();
  }

  private load(filePath: string): void {
    let buffer: Buffer;
    try {
      buffer = readFileSync(filePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.warn(`history starts empty: cannot read ${filePath}: ${(error as Error).message}`);
      }
      return;
    }
    try {
      const { samples, warnings, damaged } = decodeFile(buffer);
      for (const warning of warnings) this.warn(`history file ${filePath}: ${warning}`);
      if (damaged) this.warn(`history file ${filePath} was damaged; ${this.keepCopy(filePath)}`);
      samples.sort((a, b) => a.t - b.t);
      this.merge(samples);
    } catch (error) {
      if (!(error instanceof CorruptHistoryError)) throw error;
      this.warn(
        `history starts empty: ${filePath} is corrupt (${error.message}); ${this.keepCopy(filePath)}`,
      );
    }
  }

  /**
   * Puts what the file holds before what is in memory. Memory holds samples only when the file is taken over
   * from another server late; that server was recording the same cluster, so memory adds what came after.
   */
  private merge(fromFile: HistorySample[]): void {
    if (fromFile.length === 0) return;
    const inMemory = this.ring.toArray();
    const lastOnFile = fromFile.at(-1)?.t ?? 0;
    const later = inMemory.filter(
      (sample) => sample.t > lastOnFile && sample.t >= lastOnFile + this.minSpacingMs,
    );
    this.ring.clear();
    for (const sample of [...fromFile, ...later].slice(-this.ring.capacity)) this.ring.push(sample);
    this.changes += this.ring.size;
  }

  /** Keeps a copy of a damaged file for a person to look at (it is rewritten next); says where, for the log. */
  private keepCopy(filePath: string): string {
    try {
      const { copy, removed } = keepDamagedCopy(filePath);
      const pruned = removed.length > 0 ? `; removed the older ${removed.join(', ')}` : '';
      return `kept a copy as ${copy} (the last ${KEPT_DAMAGED_COPIES} copies are kept${pruned})`;
    } catch (error) {
      return `could not keep a copy: ${(error as Error).message}`;
    }
  }

  private async compact(file: NonNullable<ClusterHistory['file']>): Promise<void> {
    await file.handle.close();
    await writeAtomically(file.path, encodeFile(this.ring.toArray()));
    file.handle = await open(file.path, 'a');
    file.records = this.ring.size;
    this.unsynced = false;
  }

  /** File operations run one at a time, in order; a failure switches history to memory only. */
  private enqueue(operation: (file: NonNullable<ClusterHistory['file']>) => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      const file = this.file;
      if (!file) return;
      try {
        await operation(file);
      } catch (error) {
        this.file = null;
        await file.handle.close().catch(() => undefined);
        file.release();
        this.warn(
          `history kept in memory only from now on: writing ${file.path} failed: ${(error as Error).message}`,
        );
      }
    });
  }
}

/** Writes a temp file, syncs it and renames it over the target, so a crash leaves the old or the new file. */
async function writeAtomically(target: string, content: Buffer): Promise<void> {
  const temp = `${target}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
