import { fnv1aBytes, hex32 } from '../../mesos/hash';
import type { LogLine } from '../schemas/files';

const NEWLINE = 0x0a;

/** Text sent per line; a longer line is cut (the viewer can ask for all of it). */
export const MAX_LINE_TEXT_BYTES = 16 * 1024;

/** How far mesoscope looks for the start or end of one line before treating it as cut. */
export const MAX_LINE_SCAN_BYTES = 4 * 1024 * 1024;

/** How many bytes before `end` the rewrite fingerprint covers. */
export const HASH_BYTES = 32;

/** UTF-8 text of a line's bytes; invalid bytes become U+FFFD, so the result is always valid in JSON. */
export function lineText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** One line record from its bytes (cut to {@link MAX_LINE_TEXT_BYTES}) and its full length. */
export function toLogLine(offset: number, head: Buffer, length: number): LogLine {
  const shown = head.subarray(0, Math.min(head.length, length, MAX_LINE_TEXT_BYTES));
  const line: LogLine = { o: offset, n: length, t: lineText(shown) };
  if (length > shown.length) line.cut = true;
  return line;
}

/**
 * Splits bytes that start at a line start (`base`) into complete lines; `rest` is what follows the last
 * newline (an unterminated line), as an offset into `bytes`.
 */
export function splitLines(bytes: Buffer, base: number): { lines: LogLine[]; rest: number } {
  const lines: LogLine[] = [];
  // Pure ASCII (most logs): one decode, then each line is a slice whose offsets are byte offsets.
  const ascii = bytes.toString('latin1');
  const isAscii = !NON_ASCII.test(ascii);
  let start = 0;
  for (;;) {
    const newline = bytes.indexOf(NEWLINE, start);
    if (newline === -1) return { lines, rest: start };
    const length = newline - start;
    if (isAscii) {
      const line: LogLine = {
        o: base + start,
        n: length,
        t: ascii.slice(start, start + Math.min(length, MAX_LINE_TEXT_BYTES)),
      };
      if (length > MAX_LINE_TEXT_BYTES) line.cut = true;
      lines.push(line);
    } else lines.push(toLogLine(base + start, bytes.subarray(start, newline), length));
    start = newline + 1;
  }
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

/** 32-bit FNV-1a of the bytes, as 8 hex digits: a cheap "is this still the same file" check. */
export function fingerprint(bytes: Uint8Array): string {
  return hex32(fnv1aBytes(bytes));
}
