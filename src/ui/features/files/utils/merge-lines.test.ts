import { describe, expect, it } from 'vitest';
import type { WindowLine } from './log-window';
import { lineTimestamp, mergeByTime } from './merge-lines';
import { formatLineRange, parseLineRange, parseOffset } from './viewer-url';

let offset = 0;
const line = (t: string, arrivedAt = 0): WindowLine => {
  const result = { o: offset, n: t.length, t, arrivedAt };
  offset += t.length + 1;
  return result;
};

describe('lineTimestamp', () => {
  it('reads ISO 8601 with and without zones, glog and Go log timestamps', () => {
    expect(lineTimestamp('2026-11-22T07:55:08.060Z task tick 1', 2026)).toBe(
      Date.UTC(2026, 10, 22, 7, 55, 8, 60),
    );
    expect(lineTimestamp('2026-11-22 09:55:08,5+02:00 x', 2026)).toBe(Date.UTC(2026, 10, 22, 7, 55, 8, 500));
    expect(lineTimestamp('[2026-11-22T07:55:08] x', 2026)).toBe(Date.UTC(2026, 10, 22, 7, 55, 8));
    expect(lineTimestamp('I1122 07:56:29.858000 28195 exec.cpp:162] Version', 2026)).toBe(
      Date.UTC(2026, 10, 22, 7, 56, 29, 858),
    );
    expect(lineTimestamp('2026/11/22 07:56:29 started', 2026)).toBe(Date.UTC(2026, 10, 22, 7, 56, 29));
    expect(lineTimestamp('Hey Mesos', 2026)).toBeNull();
    expect(lineTimestamp('at 2026-11-22T07:55:08Z (not at the start)', 2026)).toBeNull();
  });
});

describe('mergeByTime', () => {
  it('interleaves instances by their timestamps; untimed lines follow the line before them', () => {
    const a = [
      line('2026-01-01T00:00:01Z a first'),
      line('  at stack frame'),
      line('2026-01-01T00:00:05Z a later'),
    ];
    const b = [line('2026-01-01T00:00:02Z b first'), line('2026-01-01T00:00:03Z b second')];
    const merged = mergeByTime(
      [
        { id: 'a', lines: a },
        { id: 'b', lines: b },
      ],
      { limit: 100, currentYear: 2026 },
    );
    expect(merged.map((row) => row.line.t)).toEqual([
      '2026-01-01T00:00:01Z a first',
      '  at stack frame',
      '2026-01-01T00:00:02Z b first',
      '2026-01-01T00:00:03Z b second',
      '2026-01-01T00:00:05Z a later',
    ]);
    expect(merged[1]?.source).toBe('previous');
  });

  it('keeps a preamble without timestamps ahead of the lines its file logs next', () => {
    // The executor prints its preamble first; its first timestamped line comes a minute after the other
    // instance's lines, which reached the viewer earlier.
    const a = [
      line('Executor preamble', 500),
      line('  more preamble', 500),
      line('2026-01-01T00:01:00Z a up', 500),
    ];
    const b = [line('2026-01-01T00:00:10Z b one', 100), line('2026-01-01T00:02:00Z b two', 100)];
    const merged = mergeByTime(
      [
        { id: 'a', lines: a },
        { id: 'b', lines: b },
      ],
      { limit: 100, currentYear: 2026 },
    );
    expect(merged.map((row) => [row.line.t, row.source])).toEqual([
      ['2026-01-01T00:00:10Z b one', 'timestamp'],
      ['Executor preamble', 'next'],
      ['  more preamble', 'next'],
      ['2026-01-01T00:01:00Z a up', 'timestamp'],
      ['2026-01-01T00:02:00Z b two', 'timestamp'],
    ]);
  });

  it('orders lines without timestamps by arrival, then by instance, and keeps only the last ones', () => {
    const merged = mergeByTime(
      [
        { id: 'a', lines: [line('a1', 10), line('a2', 30)] },
        { id: 'b', lines: [line('b1', 10), line('b2', 20)] },
      ],
      { limit: 3, currentYear: 2026 },
    );
    expect(merged.map((row) => [row.line.t, row.feed, row.source])).toEqual([
      ['b1', 1, 'arrival'],
      ['b2', 1, 'arrival'],
      ['a2', 0, 'arrival'],
    ]);
  });
});

describe('viewer URL', () => {
  it('reads and writes line ranges and offsets', () => {
    expect(parseLineRange('#L10')).toEqual({ from: 10, to: 10 });
    expect(parseLineRange('#L20-L10')).toEqual({ from: 10, to: 20 });
    expect(parseLineRange('#L0')).toBeNull();
    expect(parseLineRange('#top')).toBeNull();
    expect(formatLineRange({ from: 3, to: 3 })).toBe('#L3');
    expect(formatLineRange({ from: 3, to: 9 })).toBe('#L3-L9');
    expect(parseOffset('123')).toBe(123);
    expect(parseOffset('-1')).toBeNull();
    expect(parseOffset(null)).toBeNull();
  });
});
