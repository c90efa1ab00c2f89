/**
 * The file-tail algorithm of the Mesos pailer (`jquery.pailer.js`), as pure functions:
 * 1. probe the size with `offset=-1`;
 * 2. start one page (32 KiB) before the end, dropping everything up to the first newline unless at 0;
 * 3. read from the end offset; read again at once when a full chunk came back, else after a pause.
 * Offsets are in BYTES while `data` is a decoded string, so the next offset adds the data's UTF-8 length.
 * The buffer is bounded: the oldest chunks are dropped beyond `MAX_BUFFER_CHARS`.
 */

/** How far before the end of the file the viewer starts (the pailer's `page_size`). */
export const TAIL_START_BYTES = 32 * 1024;

/** How much to ask for per read; Mesos caps every read at 16 pages (64 KiB) anyway. */
export const READ_CHUNK_BYTES = 64 * 1024;

/** At most this much text stays in memory and on screen. */
export const MAX_BUFFER_CHARS = 2 * 1024 * 1024;

export interface TailChunk {
  id: number;
  text: string;
}

export interface TailState {
  /** The text on screen, oldest first, one entry per read (so React only appends). */
  chunks: TailChunk[];
  /** Total characters in `chunks`. */
  chars: number;
  /** Byte offset of the next read. */
  end: number;
  /** The next data still starts mid-line: drop it up to and including the first newline. */
  skipToNewline: boolean;
  /** Output before the first chunk exists but is not shown. */
  truncated: boolean;
  nextId: number;
}

const encoder = new TextEncoder();

/** The number of bytes `text` takes in UTF-8 (what the server's offsets count). */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** The state right after the size probe: where to start reading a file of `size` bytes. */
export function startTail(size: number, startBytes: number = TAIL_START_BYTES): TailState {
  const start = Math.max(0, size - startBytes);
  return { chunks: [], chars: 0, end: start, skipToNewline: start > 0, truncated: start > 0, nextId: 0 };
}

/** Drops the oldest chunks (or the start of a single huge chunk, at a line break) beyond `max` characters. */
function bound(
  chunks: TailChunk[],
  chars: number,
  max: number,
): { chunks: TailChunk[]; chars: number; dropped: boolean } {
  if (chars <= max) return { chunks, chars, dropped: false };
  let kept = chunks;
  let total = chars;
  while (total > max && kept.length > 1) {
    total -= kept[0]?.text.length ?? 0;
    kept = kept.slice(1);
  }
  const only = kept[0];
  if (total > max && only) {
    let text = only.text.slice(only.text.length - max);
    const newline = text.indexOf('\n');
    if (newline >= 0 && newline < text.length - 1) text = text.slice(newline + 1);
    kept = [{ id: only.id, text }];
    total = text.length;
  }
  return { chunks: kept, chars: total, dropped: true };
}

export interface ReadResult {
  offset: number;
  data: string;
}

/**
 * Folds one `/files/read` answer into the tail. `requested` is the length asked for: a read that returns that
 * much (or the server's 64 KiB cap) is "full" and the caller should read again at once.
 */
export function applyRead(
  state: TailState,
  read: ReadResult,
  requested: number = READ_CHUNK_BYTES,
  max: number = MAX_BUFFER_CHARS,
): { state: TailState; full: boolean } {
  const bytes = utf8Length(read.data);
  const full = bytes > 0 && bytes >= Math.min(requested, READ_CHUNK_BYTES);
  const end = read.offset + bytes;
  let text = read.data;
  let skipToNewline = state.skipToNewline;
  if (skipToNewline && text !== '') {
    const newline = text.indexOf('\n');
    if (newline >= 0) {
      text = text.slice(newline + 1);
      skipToNewline = false;
    } else {
      text = '';
    }
  }
  if (text === '') return { state: { ...state, end, skipToNewline }, full };
  const appended = [...state.chunks, { id: state.nextId, text }];
  const bounded = bound(appended, state.chars + text.length, max);
  return {
    state: {
      chunks: bounded.chunks,
      chars: bounded.chars,
      end,
      skipToNewline,
      truncated: state.truncated || bounded.dropped,
      nextId: state.nextId + 1,
    },
    full,
  };
}
