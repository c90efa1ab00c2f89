import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from './downsample';

interface Row {
  t: number;
  a: number | null;
  b: number | null;
}

function series(n: number, value: (i: number) => number | null): Row[] {
  return Array.from({ length: n }, (_, i) => ({ t: i * 10, a: value(i), b: i }));
}

describe('downsampleMinMax', () => {
  it('returns rows that already fit unchanged', () => {
    const rows = series(50, (i) => i);
    expect(downsampleMinMax(rows, ['a'], 100)).toBe(rows);
  });

  it('bounds the number of rows and keeps the time order', () => {
    const rows = series(360, (i) => Math.sin(i / 7));
    const out = downsampleMinMax(rows, ['a', 'b'], 120);
    expect(out.length).toBeLessThanOrEqual(120);
    expect(out.length).toBeGreaterThan(100);
    for (let i = 1; i < out.length; i += 1) expect(out[i]!.t).toBeGreaterThanOrEqual(out[i - 1]!.t);
    expect(out[0]!.t).toBe(0);
    expect(out.at(-1)!.t).toBe(3590);
  });

  it('keeps a one-sample spike and a one-sample dip', () => {
    const rows = series(360, (i) => (i === 123 ? 99 : i === 250 ? -5 : 1));
    const values = downsampleMinMax(rows, ['a'], 60).map((row) => row.a);
    expect(Math.max(...values.map(Number))).toBe(99);
    expect(Math.min(...values.map(Number))).toBe(-5);
  });

  it('puts the earlier extreme first within a bucket', () => {
    const rows = series(8, (i) => [5, 9, 1, 5, 5, 1, 9, 5][i]!);
    const out = downsampleMinMax(rows, ['a'], 4);
    expect(out.map((row) => row.a)).toEqual([9, 1, 1, 9]);
    expect(out.map((row) => row.t)).toEqual([0, 30, 40, 70]);
  });

  it('keeps a gap where a bucket holds no value and ignores nulls beside values', () => {
    const rows = series(12, (i) => (i < 4 ? null : i === 5 ? null : i));
    const out = downsampleMinMax(rows, ['a'], 6);
    expect(out.map((row) => row.a)).toEqual([null, 4, 7, 8, 11]);
    // Keys not asked for keep the values of the rows the bucket is drawn from.
    expect(out.map((row) => row.b)).toEqual([0, 4, 7, 8, 11]);
  });

  it('keeps where data starts and stops inside a bucket', () => {
    const rows = series(36, (i) => (i >= 21 && i <= 23 ? 5 : i === 30 ? 2 : null));
    const out = downsampleMinMax(rows, ['a'], 6);
    expect(out.map((row) => [row.t, row.a])).toEqual([
      [0, null],
      [120, null],
      [210, 5],
      [230, 5],
      [240, null],
      [300, 2],
      [310, null],
    ]);
  });
});
