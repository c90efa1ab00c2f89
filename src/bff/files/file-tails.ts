import { SharedReads } from '../upstream/shared-reads';
import type { ByteSource } from './line-reader';
import { MESOS_READ_CAP } from './mesos-files';
import type { FileTarget, MesosFiles } from './mesos-files';

/** How long one read of a file's end answers everyone following that file. */
export const FILE_TAIL_TTL_MS = 1_000;

/** Bytes of each followed file's end held in memory: two default pages of lines. */
export const TAIL_WINDOW_BYTES = 512 * 1024;

/** Followed files whose ends are held at once (at most 64 MiB together). */
const MAX_FOLLOWED_FILES = 128;

/** Bytes read again before the known end on each refresh, to notice a file truncated or rewritten. */
const OVERLAP_BYTES = 4 * 1024;

/** The last bytes of a file as read at one moment: `bytes` are the file's bytes from `base` to `size`. */
interface FileTail {
  size: number;
  base: number;
  bytes: Buffer;
}

/**
 * The ends of the files viewers follow, read at most once per `ttlMs` per file however many viewers follow it
 * (one read in flight, its answer shared). A refresh reads from just before the known end on, so a file that
 * grew by less than 60 KiB costs the agent one `/files/read`; a file that shrank, changed under the overlap or
 * grew by more than the window is read afresh (its size, then its last {@link TAIL_WINDOW_BYTES}).
 */
export class FileTails {
  private readonly tails: SharedReads<FileTail>;

  constructor(
    private readonly files: MesosFiles,
    ttlMs = FILE_TAIL_TTL_MS,
    now: () => number = Date.now,
  ) {
    this.tails = new SharedReads(() => ttlMs, MAX_FOLLOWED_FILES, now);
  }

  /** The file's end, at most `ttlMs` old. */
  async tail(target: FileTarget, path: string): Promise<FileTail> {
    const { value, error } = await this.tails.read(`${target.key}\n${path}`, (previous) =>
      this.refresh(target, path, previous),
    );
    if (error !== undefined) throw error;
    if (!value) throw new Error(`no tail of ${path}`);
    return value;
  }

  /**
   * The file as one request sees it: its size and end from the shared tail (one moment for the whole request),
   * anything before the bytes held read from the agent.
   */
  source(target: FileTarget, path: string, signal: AbortSignal): ByteSource {
    let tail: Promise<FileTail> | null = null;
    const current = () => (tail ??= this.tail(target, path));
    return {
      size: async () => (await current()).size,
      read: async (offset, length) => {
        const { size, base, bytes } = await current();
        const end = Math.min(offset + length, size);
        if (end <= offset) return Buffer.alloc(0);
        if (offset >= base) return bytes.subarray(offset - base, end - base);
        const head = await this.files.readRange(target, path, offset, Math.min(end, base) - offset, signal);
        if (end <= base || offset + head.length < base) return head;
        return Buffer.concat([head, bytes.subarray(0, end - base)]);
      },
    };
  }

  private async refresh(target: FileTarget, path: string, previous: FileTail | undefined): Promise<FileTail> {
    const grown = previous && (await this.grow(target, path, previous));
    if (grown) return grown;
    const size = await this.files.size(target, path);
    const base = Math.max(0, size - TAIL_WINDOW_BYTES);
    const bytes = await this.files.readRange(target, path, base, size - base);
    return { size: base + bytes.length, base, bytes };
  }

  /** The previous tail with what was appended since; null when the file must be read afresh. */
  private async grow(target: FileTarget, path: string, previous: FileTail): Promise<FileTail | null> {
    const from = Math.max(previous.base, previous.size - OVERLAP_BYTES);
    const overlap = previous.size - from;
    const pieces: Buffer[] = [];
    let offset = from;
    for (;;) {
      const piece = await this.files.read(target, path, offset, MESOS_READ_CAP);
      pieces.push(piece);
      offset += piece.length;
      if (offset - previous.size > TAIL_WINDOW_BYTES) return null;
      // A short read is the end of the file.
      if (piece.length < MESOS_READ_CAP) break;
    }
    const read = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    const kept = previous.bytes.subarray(from - previous.base);
    if (read.length < overlap || !read.subarray(0, overlap).equals(kept)) return null;
    const appended = read.subarray(overlap);
    if (appended.length === 0) return previous;
    const size = previous.size + appended.length;
    const base = Math.max(previous.base, size - TAIL_WINDOW_BYTES);
    const bytes = Buffer.concat([previous.bytes.subarray(base - previous.base), appended]);
    return { size, base, bytes };
  }
}
