import type { LinesAnswer, LinesPage, LogLine } from '../schemas/files';
import {
  fingerprint,
  HASH_BYTES,
  MAX_LINE_SCAN_BYTES,
  MAX_LINE_TEXT_BYTES,
  splitLines,
  toLogLine,
} from './lines';

/** Random access to one file's bytes. */
export interface ByteSource {
  size(): Promise<number>;
  /** Up to `length` bytes at `offset`; fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Buffer>;
  /**
   * The first `limit` bytes as one stream, when the source can (Mesos's /files/download): much cheaper than
   * many reads for a scan of a whole file. Throws {@link StreamUnavailable} when it cannot, before any byte.
   */
  stream?(limit: number): AsyncIterable<Buffer>;
}

/** The source cannot stream this file (the scan falls back to reads). */
export class StreamUnavailable extends Error {
  override readonly name = 'StreamUnavailable';
}

/** Bytes per step when looking for the start or end of a long line. */
const SCAN_STEP = 64 * 1024;
const NEWLINE = 0x0a;

/** A buffer and where it sits in the file. */
interface Span {
  base: number;
  bytes: Buffer;
}

/**
 * Reads whole lines of a file by byte offset: the tail, a page before or after a line start, or the lines
 * around any offset. Lines longer than 16 KiB come back cut (with their full length); the start or end of a
 * line is looked for up to 4 MiB away.
 */
export class LineReader {
  constructor(private readonly source: ByteSource) {}

  /** The last lines, about `bytes` of them; the first, partial line is dropped unless the file starts there. */
  async tail(bytes: number): Promise<LinesPage> {
    const size = await this.source.size();
    const from = Math.max(0, size - bytes);
    const data = await this.source.read(from, size - from);
    return this.pageFrom({ base: from, bytes: data }, size, from > 0);
  }

  /** Lines that end at `end` (a line start), about `bytes` of them. */
  async before(end: number, bytes: number): Promise<LinesPage> {
    const size = await this.source.size();
    const stop = Math.min(end, size);
    const from = Math.max(0, stop - bytes);
    const data = await this.source.read(from, stop - from);
    const span = { base: from, bytes: data };
    const first = data.indexOf(NEWLINE);
    if (from > 0 && first !== -1 && first === data.length - 1) {
      // The only newline ends the last line, which starts further back: one long line.
      const start = await this.findLineStart(from);
      const head = await this.source.read(
        start.offset,
        Math.min(MAX_LINE_TEXT_BYTES, stop - 1 - start.offset),
      );
      const line = toLogLine(start.offset, head, stop - 1 - start.offset);
      if (start.cut) line.startCut = true;
      return this.page(size, start.offset, stop, [line], null, span);
    }
    return this.pageFrom(span, size, from > 0, stop < size);
  }

  /**
   * Lines from `start` (a line start) on, about `bytes` of them. With `known`, an unchanged size answers
   * `unchanged`; with `hash` (the `endHash` of the page that ended at `start`), a file that shrank or whose
   * bytes before `start` changed answers `reset`.
   */
  async after(
    start: number,
    bytes: number,
    check: { known?: number; hash?: string } = {},
  ): Promise<LinesAnswer> {
    const size = await this.source.size();
    if (check.known !== undefined && size === check.known) return { kind: 'unchanged', size };
    if (size < start) return { kind: 'reset', size, why: 'truncated' };
    const from = check.hash === undefined ? start : Math.max(0, start - HASH_BYTES);
    const data = await this.source.read(from, Math.min(size, start + bytes) - from);
    if (check.hash !== undefined && fingerprint(data.subarray(0, start - from)) !== check.hash) {
      return { kind: 'reset', size, why: 'rewritten' };
    }
    return this.pageFrom({ base: from, bytes: data }, size, false, false, start);
  }

  /** The lines around `offset`, about `bytes` of them; `anchor` is the start of the line containing it. */
  async around(offset: number, bytes: number): Promise<LinesPage> {
    const size = await this.source.size();
    const at = Math.max(0, Math.min(offset, size));
    const anchor = (await this.findLineStart(at)).offset;
    const [above, below] = await Promise.all([
      this.before(anchor, Math.floor(bytes / 2)),
      this.after(anchor, Math.ceil(bytes / 2)),
    ]);
    if (below.kind !== 'lines') return { ...above, anchor };
    return {
      ...below,
      start: above.lines.length > 0 ? above.start : below.start,
      lines: [...above.lines, ...below.lines],
      anchor,
    };
  }

  /**
   * Builds a page from bytes read at `span.base`. `dropFirst`: the bytes start mid-line, skip to the first
   * newline. `complete`: more file follows, so an unterminated last line is not at the end of the file.
   * `from`: where the lines start within the span (bytes before it were only read for the hash check).
   */
  private async pageFrom(
    span: Span,
    size: number,
    dropFirst: boolean,
    complete = false,
    from = span.base,
  ): Promise<LinesPage> {
    const { base, bytes } = span;
    let skip = from - base;
    if (dropFirst) {
      const first = bytes.indexOf(NEWLINE, skip);
      if (first === -1) return this.insideOneLine(span, size);
      skip = first + 1;
    }
    const start = base + skip;
    const { lines, rest } = splitLines(bytes.subarray(skip), start);
    const end = start + rest;
    const restLength = bytes.length - skip - rest;
    const reachedEnd = base + bytes.length >= size && !complete;
    if (restLength === 0) return this.page(size, start, end, lines, null, span);
    if (reachedEnd) {
      const partial = toLogLine(end, bytes.subarray(skip + rest), restLength);
      return this.page(size, start, end, lines, partial, span);
    }
    if (lines.length > 0) return this.page(size, start, end, lines, null, span);
    // Not one newline in the whole read: a line longer than the page. Find where it ends.
    const lineEnd = await this.findLineEnd(end, base + bytes.length, size);
    const head = bytes.subarray(skip, skip + MAX_LINE_TEXT_BYTES);
    if (lineEnd.newline === null) {
      const length = lineEnd.scannedTo - end;
      const line = toLogLine(end, head, length);
      // Unterminated up to the end of the file: it is still being written.
      if (lineEnd.scannedTo >= size) return this.page(size, end, end, [], line, span);
      // Longer than mesoscope looks: show this much of it as a line of its own.
      line.cut = true;
      return this.page(size, end, lineEnd.scannedTo, [line], null, span);
    }
    const line = toLogLine(end, head, lineEnd.newline - end);
    return this.page(size, end, lineEnd.newline + 1, [line], null, span);
  }

  /** The read fell entirely inside one line (the tail of a file ending in a very long line). */
  private async insideOneLine(span: Span, size: number): Promise<LinesPage> {
    const start = await this.findLineStart(span.base);
    const head = await this.source.read(start.offset, MAX_LINE_TEXT_BYTES);
    const end = span.base + span.bytes.length;
    const line = toLogLine(start.offset, head, end - start.offset);
    if (start.cut) line.startCut = true;
    if (end >= size) return this.page(size, start.offset, start.offset, [], line, span);
    return this.page(size, start.offset, end, [{ ...line, cut: true }], null, span);
  }

  /** Where the line containing byte `offset` starts (just after the previous newline). */
  private async findLineStart(offset: number): Promise<{ offset: number; cut: boolean }> {
    let position = offset;
    while (position > 0) {
      if (offset - position >= MAX_LINE_SCAN_BYTES) return { offset: position, cut: true };
      const from = Math.max(0, position - SCAN_STEP);
      const data = await this.source.read(from, position - from);
      const newline = data.lastIndexOf(NEWLINE);
      if (newline !== -1) return { offset: from + newline + 1, cut: false };
      position = from;
    }
    return { offset: 0, cut: false };
  }

  /** The newline that ends the line through `from`, looked for from `searchFrom` on. */
  private async findLineEnd(
    from: number,
    searchFrom: number,
    size: number,
  ): Promise<{ newline: number | null; scannedTo: number }> {
    let position = searchFrom;
    while (position < size && position - from < MAX_LINE_SCAN_BYTES) {
      const data = await this.source.read(position, SCAN_STEP);
      if (data.length === 0) break;
      const newline = data.indexOf(NEWLINE);
      if (newline !== -1) return { newline: position + newline, scannedTo: position + newline };
      position += data.length;
    }
    return { newline: null, scannedTo: Math.min(position, Math.max(size, position)) };
  }

  private async page(
    size: number,
    start: number,
    end: number,
    lines: LogLine[],
    partial: LogLine | null,
    span: Span,
  ): Promise<LinesPage> {
    return { kind: 'lines', size, start, end, lines, partial, endHash: await this.hashBefore(end, span) };
  }

  /** The fingerprint of the bytes just before `end`, from the span when it holds them. */
  private async hashBefore(end: number, span: Span): Promise<string> {
    const from = Math.max(0, end - HASH_BYTES);
    if (from >= span.base && end <= span.base + span.bytes.length) {
      return fingerprint(span.bytes.subarray(from - span.base, end - span.base));
    }
    return fingerprint(await this.source.read(from, end - from));
  }
}
