import { describe, expect, it } from 'vitest';
import { barRects, linearScale, nearestIndex, plotSeries } from './chart-geometry';

interface Row {
  t: number;
  v: number | null;
}

const time = (row: Row) => row.t;
const value = (row: Row) => row.v;
// Time 0..100 onto x 10..110; values 0..50 onto y 100..0 (SVG's y grows downwards).
const x = linearScale(0, 100, 10, 110);
const y = linearScale(0, 50, 100, 0);

/** Rows of `[time, value]` pairs. */
const rowsOf = (...pairs: Array<[number, number | null]>): Row[] => pairs.map(([t, v]) => ({ t, v }));
/** A series plotted on these scales, its areas closed down to `baseline` (value 0 unless given). */
const plot = (rows: Row[], baseline = y(0)) => plotSeries(rows, time, value, x, y, baseline);
const NOTHING = { lines: [], areas: [], dots: [] };
/** Bars of `step` wide on these scales. */
const bars = (rows: Row[], step: number) => barRects(rows, time, value, step, x, y);

/** The points of a path `M x,y L x,y ...` as numbers. */
function points(d: string): number[][] {
  return d
    .replace(/Z$/, '')
    .slice(1)
    .split('L')
    .map((pair) => pair.split(',').map(Number));
}

describe('linearScale', () => {
  it('maps the domain onto the range, inverted when the range is', () => {
    expect(x(0)).toBe(10);
    expect(x(50)).toBe(60);
    expect(x(100)).toBe(110);
    expect(y(0)).toBe(100);
    expect(y(25)).toBe(50);
    expect(y(50)).toBe(0);
  });

  it('maps an empty domain to the start of the range instead of dividing by zero', () => {
    const flat = linearScale(5, 5, 0, 200);
    expect(flat(5)).toBe(0);
    expect(flat(7)).toBe(0);
  });
});

describe('plotSeries', () => {
  it('makes one line through every point, and an area closed down to the baseline', () => {
    const plotted = plot(rowsOf([0, 10], [50, 50], [100, 0]));
    expect(plotted.lines).toHaveLength(1);
    expect(points(plotted.lines[0] ?? '')).toEqual([
      [10, 80],
      [60, 0],
      [110, 100],
    ]);
    expect(points(plotted.areas[0] ?? '')).toEqual([
      [10, 80],
      [60, 0],
      [110, 100],
      [110, 100],
      [10, 100],
    ]);
    expect(plotted.areas[0]).toMatch(/Z$/);
    expect(plotted.dots).toEqual([]);
  });

  it('breaks the line at a gap, and shows a point alone between gaps as a dot', () => {
    const plotted = plot(rowsOf([0, 10], [10, 20], [20, null], [30, 30], [40, null], [50, 40], [60, 40]));
    expect(plotted.lines.map(points)).toEqual([
      [
        [10, 80],
        [20, 60],
      ],
      [
        [60, 20],
        [70, 20],
      ],
    ]);
    expect(plotted.areas).toHaveLength(2);
    expect(plotted.dots).toEqual([{ x: 40, y: 40 }]);
  });

  it('draws nothing for an empty or all-null series, and one dot for a single sample', () => {
    expect(plot([])).toEqual(NOTHING);
    expect(plot(rowsOf([10, null]))).toEqual(NOTHING);
    expect(plot(rowsOf([10, 5]))).toEqual({ ...NOTHING, dots: [{ x: 20, y: 90 }] });
  });

  it('rounds coordinates to a tenth of a pixel', () => {
    const third = linearScale(0, 3, 0, 1);
    const plotted = plotSeries(rowsOf([1, 1], [2, 2]), time, value, third, third, 0);
    expect(plotted.lines[0]).toBe('M0.3,0.3L0.7,0.7');
  });
});

describe('barRects', () => {
  it('spans each bar over its step, from zero up to its value, and skips empty and zero steps', () => {
    expect(bars(rowsOf([0, 25], [10, 0], [20, null], [30, 50]), 10)).toEqual([
      { x: 10, y: 50, width: 10, height: 50 },
      { x: 40, y: 0, width: 10, height: 100 },
    ]);
  });

  it('keeps a bar at least a pixel wide', () => {
    expect(bars(rowsOf([0, 5]), 0.1)[0]?.width).toBe(1);
  });
});

describe('nearestIndex', () => {
  const rows = rowsOf([0, 0], [10, 10], [20, 20], [30, 30]);

  it('finds the row nearest a time, the earlier one on a tie', () => {
    expect(nearestIndex(rows, time, -5)).toBe(0);
    expect(nearestIndex(rows, time, 4)).toBe(0);
    expect(nearestIndex(rows, time, 5)).toBe(0);
    expect(nearestIndex(rows, time, 6)).toBe(1);
    expect(nearestIndex(rows, time, 29)).toBe(3);
    expect(nearestIndex(rows, time, 1_000)).toBe(3);
  });

  it('is -1 without rows', () => {
    expect(nearestIndex([], time, 10)).toBe(-1);
  });
});
