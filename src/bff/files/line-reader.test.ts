import { describe, expect, it } from 'vitest';
import type { LinesPage } from '../schemas/files';
import type { ByteSource } from './line-reader';
import { LineReader } from './line-reader';
import { fingerprint, MAX_LINE_TEXT_BYTES } from './lines';

/** A file in memory, read at most 64 KiB at a time like Mesos. */
function memory(file: Buffer): ByteSource & { file: Buffer; reads: number } {
  const source = {
    file,
    reads: 0,
    size: async () => source.file.length,
    read: async (offset: number, length: number) => {
      source.reads += 1;
      return Buffer.from(source.file.subarray(offset, Math.min(source.file.length, offset + length)));
    },
  };
  return source;
}

const numbered = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `line ${String(i + from).padStart(5, '0')}\n`).join('');

function asPage(answer: Awaited<ReturnType<LineReader['after']>>): LinesPage {
  if (answer.kind !== 'lines') throw new Error(`expected lines, got ${answer.kind}`);
  return answer;
}

/** Every line's offset and length must match the file's bytes exactly. */
function expectExact(file: Buffer, page: LinesPage) {
  let expected = page.start;
  for (const line of page.lines) {
    expect(line.o).toBe(expected);
    expect(file[line.o + line.n]).toBe(0x0a);
    if (!line.cut) expect(Buffer.from(line.t)).toEqual(file.subarray(line.o, line.o + line.n));
    expected = line.o + line.n + 1;
  }
  expect(page.end).toBe(expected);
}

describe('LineReader', () => {
  it('opens at the tail: whole lines only, the partial first line dropped', async () => {
    const file = Buffer.from(numbered(1000));
    const page = await new LineReader(memory(file)).tail(100);
    expect(page.size).toBe(file.length);
    expect(page.end).toBe(file.length);
    expect(page.lines.at(-1)?.t).toBe('line 01000');
    expect(page.lines[0]?.o).toBeGreaterThan(file.length - 100);
    expect(page.partial).toBeNull();
    expectExact(file, page);
  });

  it('pages back and forth without losing or repeating a line', async () => {
    const file = Buffer.from(numbered(5000));
    const reader = new LineReader(memory(file));
    const tail = await reader.tail(4096);
    const seen = [...tail.lines];
    let start = tail.start;
    while (start > 0) {
      const page = await reader.before(start, 3000);
      expectExact(file, page);
      expect(page.end).toBe(start);
      seen.unshift(...page.lines);
      start = page.start;
    }
    expect(seen.map((line) => line.t)).toEqual(numbered(5000).trimEnd().split('\n'));
    let end = 0;
    const forward: string[] = [];
    while (end < file.length) {
      const page = asPage(await reader.after(end, 2500));
      expectExact(file, page);
      forward.push(...page.lines.map((line) => line.t));
      end = page.end;
    }
    expect(forward).toEqual(numbered(5000).trimEnd().split('\n'));
  });

  it('returns the line still being written as partial, and nothing new as unchanged', async () => {
    const source = memory(Buffer.from('one\ntwo\nthr'));
    const reader = new LineReader(source);
    const page = await reader.tail(1000);
    expect(page.lines.map((line) => line.t)).toEqual(['one', 'two']);
    expect(page.partial).toEqual({ o: 8, n: 3, t: 'thr' });
    expect(page.end).toBe(8);
    expect(await reader.after(page.end, 1000, { known: page.size, hash: page.endHash })).toEqual({
      kind: 'unchanged',
      size: 11,
    });
    source.file = Buffer.from('one\ntwo\nthree\nfour\n');
    const next = asPage(await new LineReader(source).after(page.end, 1000, { hash: page.endHash }));
    expect(next.lines.map((line) => line.t)).toEqual(['three', 'four']);
    expect(next.partial).toBeNull();
  });

  it('notices a truncated file and a rewritten one', async () => {
    const source = memory(Buffer.from(numbered(100)));
    const page = await new LineReader(source).tail(500);
    source.file = Buffer.from('after rotation\n');
    expect(await new LineReader(source).after(page.end, 1000, { hash: page.endHash })).toEqual({
      kind: 'reset',
      size: 15,
      why: 'truncated',
    });
    // Rotated and already longer than before: only the fingerprint can tell.
    source.file = Buffer.from(numbered(200, 7));
    expect(await new LineReader(source).after(page.end, 1000, { hash: page.endHash })).toMatchObject({
      kind: 'reset',
      why: 'rewritten',
    });
  });

  it('opens around any offset with the line that contains it', async () => {
    const file = Buffer.from(numbered(2000));
    const offset = file.indexOf('line 01234') + 4;
    const page = await new LineReader(memory(file)).around(offset, 2000);
    expect(page.anchor).toBe(file.indexOf('line 01234'));
    expect(page.lines.some((line) => line.o === page.anchor && line.t === 'line 01234')).toBe(true);
    expect(page.lines[0]?.o).toBeLessThan(page.anchor ?? 0);
    expectExact(file, page);
  });

  it('cuts a 1 MB line without a newline, and finds where it starts and ends', async () => {
    const long = 'x'.repeat(1024 * 1024);
    const file = Buffer.from(`before\n${long}\nafter\n`);
    const reader = new LineReader(memory(file));
    const tail = await reader.tail(4096);
    expect(tail.lines.map((line) => line.t)).toEqual(['after']);
    const back = await reader.before(tail.start, 4096);
    expect(back.lines).toHaveLength(1);
    expect(back.lines[0]).toMatchObject({ o: 7, n: long.length, cut: true });
    expect(back.lines[0]?.t).toHaveLength(MAX_LINE_TEXT_BYTES);
    const forward = asPage(await reader.after(7, 4096));
    expect(forward.lines[0]).toMatchObject({ o: 7, n: long.length, cut: true });
    expect(forward.end).toBe(7 + long.length + 1);

    // A file that is nothing but one long unterminated line.
    const only = await new LineReader(memory(Buffer.from(long))).tail(4096);
    expect(only.lines).toEqual([]);
    expect(only.partial).toMatchObject({ o: 0, n: long.length, cut: true });
  });

  it('shows invalid UTF-8 and binary bytes as U+FFFD with exact byte offsets', async () => {
    const file = Buffer.concat([
      Buffer.from('ok\n'),
      Buffer.from([0xff, 0xfe, 0x41, 0x00, 0xc3]),
      Buffer.from('\nend\n'),
    ]);
    const page = await new LineReader(memory(file)).tail(1000);
    expect(page.lines.map((line) => [line.o, line.n])).toEqual([
      [0, 2],
      [3, 5],
      [9, 3],
    ]);
    expect(page.lines[1]?.t).toBe('\ufffd\ufffdA\u0000\ufffd');
    expect(() => JSON.parse(JSON.stringify(page))).not.toThrow();
  });

  it('handles an empty file', async () => {
    const page = await new LineReader(memory(Buffer.alloc(0))).tail(1000);
    expect(page).toMatchObject({ size: 0, start: 0, end: 0, lines: [], partial: null });
    expect(page.endHash).toBe(fingerprint(Buffer.alloc(0)));
  });
});
