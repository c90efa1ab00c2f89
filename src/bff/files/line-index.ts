import type { LocateAnswer } from '../schemas/files';
import { scanChunks } from './file-scan';
import type { ByteSource } from './line-reader';
import { MESOS_READ_CAP, READS_IN_FLIGHT } from './mesos-files';

/** A line start whose number is known. */
interface Checkpoint {
  offset: number;
  /** 0-based index of the line that starts at `offset`. */
  line: number;
}

interface FileEntry {
  /** Sorted by offset (and so by line). */
  checkpoints: Checkpoint[];
  /** The largest size seen: a smaller one means the file was truncated, and the checkpoints are void. */
  size: number;
}

/** A checkpoint is kept at most every this many bytes. */
const CHECKPOINT_EVERY = 4 * 1024 * 1024;
const MAX_CHECKPOINTS = 4096;
const NEWLINE = 0x0a;

/**
 * Line numbers for byte offsets and the reverse, by counting newlines. Counting from the start of a large file
 * takes a while, so what was counted is remembered as checkpoints (per file, for the most recent files).
 * Logs only grow; a file that shrank is counted again.
 */
export class LineIndex {
  private readonly files = new Map<string, FileEntry>();

  constructor(private readonly maxFiles = 200) {}

  /** The line containing byte `offset` (clamped to the file). */
  async lineOf(key: string, source: ByteSource, offset: number, signal?: AbortSignal): Promise<LocateAnswer> {
    const size = await source.size();
    const target = Math.max(0, Math.min(offset, size));
    const entry = this.entry(key, size);
    const from = this.closest(entry, (point) => point.offset <= target);
    let line = from.line;
    let lineStart = from.offset;
    let sinceCheckpoint = 0;
    for await (const chunk of scanChunks(source, from.offset, target, this.scanOptions(signal))) {
      let at = chunk.bytes.indexOf(NEWLINE);
      while (at !== -1 && chunk.offset + at < target) {
        line += 1;
        lineStart = chunk.offset + at + 1;
        at = chunk.bytes.indexOf(NEWLINE, at + 1);
      }
      sinceCheckpoint += chunk.bytes.length;
      if (sinceCheckpoint >= CHECKPOINT_EVERY) {
        this.remember(entry, { offset: lineStart, line });
        sinceCheckpoint = 0;
      }
    }
    this.remember(entry, { offset: lineStart, line });
    return { line: line + 1, offset: lineStart, size };
  }

  /** Where 1-based line `lineNumber` starts; past the end, the last line. */
  async offsetOf(
    key: string,
    source: ByteSource,
    lineNumber: number,
    signal?: AbortSignal,
  ): Promise<LocateAnswer> {
    const size = await source.size();
    const wanted = Math.max(0, lineNumber - 1);
    const entry = this.entry(key, size);
    const from = this.closest(entry, (point) => point.line <= wanted);
    let line = from.line;
    let lineStart = from.offset;
    let sinceCheckpoint = 0;
    for await (const chunk of scanChunks(source, from.offset, size, this.scanOptions(signal))) {
      let at = chunk.bytes.indexOf(NEWLINE);
      while (at !== -1 && line < wanted && chunk.offset + at + 1 < size) {
        line += 1;
        lineStart = chunk.offset + at + 1;
        at = chunk.bytes.indexOf(NEWLINE, at + 1);
      }
      if (line >= wanted) break;
      sinceCheckpoint += chunk.bytes.length;
      if (sinceCheckpoint >= CHECKPOINT_EVERY) {
        this.remember(entry, { offset: lineStart, line });
        sinceCheckpoint = 0;
      }
    }
    this.remember(entry, { offset: lineStart, line });
    return { line: line + 1, offset: lineStart, size };
  }

  private scanOptions(signal?: AbortSignal) {
    return { chunkBytes: MESOS_READ_CAP, inFlight: READS_IN_FLIGHT, signal };
  }

  private entry(key: string, size: number): FileEntry {
    let entry = this.files.get(key);
    if (entry && size < entry.size) entry = undefined;
    if (!entry) entry = { checkpoints: [{ offset: 0, line: 0 }], size };
    entry.size = Math.max(entry.size, size);
    // Re-insert to keep the map in least-recently-used order.
    this.files.delete(key);
    this.files.set(key, entry);
    while (this.files.size > this.maxFiles) {
      const oldest = this.files.keys().next().value;
      if (oldest === undefined) break;
      this.files.delete(oldest);
    }
    return entry;
  }

  private closest(entry: FileEntry, fits: (point: Checkpoint) => boolean): Checkpoint {
    let best: Checkpoint = { offset: 0, line: 0 };
    for (const point of entry.checkpoints) {
      if (!fits(point)) break;
      best = point;
    }
    return best;
  }

  private remember(entry: FileEntry, point: Checkpoint): void {
    const { checkpoints } = entry;
    if (checkpoints.some((known) => known.offset === point.offset)) return;
    if (checkpoints.length >= MAX_CHECKPOINTS) return;
    checkpoints.push(point);
    checkpoints.sort((a, b) => a.offset - b.offset);
  }
}
