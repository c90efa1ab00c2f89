/**
 * The arithmetic of a small time-series chart drawn as plain SVG: scales from data to pixels, and paths made
 * from the points, with a gap wherever a value is null.
 */

/** A linear map from [d0, d1] onto [r0, r1]; an empty domain maps everything to r0. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0;
  if (span === 0 || !Number.isFinite(span)) return () => r0;
  const k = (r1 - r0) / span;
  return (value) => r0 + (value - d0) * k;
}

/** Pixels are drawn to a tenth: enough for a crisp line, and a shorter `d` attribute. */
function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export interface Plotted {
  /** One string per run of consecutive known values: `M x,y L x,y ...`. */
  lines: string[];
  /** The same runs closed down to the baseline, for a filled area. */
  areas: string[];
  /** Points with no known neighbour: a line cannot show them, so they are drawn as dots. */
  dots: { x: number; y: number }[];
}

/**
 * The runs of a series: `value(row)` is null in a gap. A run of one point is a dot (a chart of one sample, or a
 * sample between two gaps, would otherwise show nothing).
 */
export function plotSeries<T>(
  rows: readonly T[],
  time: (row: T) => number,
  value: (row: T) => number | null,
  x: (t: number) => number,
  y: (v: number) => number,
  baselineY: number,
): Plotted {
  const lines: string[] = [];
  const areas: string[] = [];
  const dots: { x: number; y: number }[] = [];
  let run: string[] = [];
  let firstX = 0;
  let lastX = 0;
  let lastY = 0;
  const close = () => {
    if (run.length === 1) dots.push({ x: lastX, y: lastY });
    else if (run.length > 1) {
      const line = `M${run.join('L')}`;
      lines.push(line);
      areas.push(`${line}L${px(lastX)},${px(baselineY)}L${px(firstX)},${px(baselineY)}Z`);
    }
    run = [];
  };
  for (const row of rows) {
    const v = value(row);
    if (v === null || !Number.isFinite(v)) {
      close();
      continue;
    }
    lastX = x(time(row));
    lastY = y(v);
    if (run.length === 0) firstX = lastX;
    run.push(`${px(lastX)},${px(lastY)}`);
  }
  close();
  return { lines, areas, dots };
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One bar per row with a value above zero, spanning [t, t + stepMs) on x and [0, value] on y. */
export function barRects<T>(
  rows: readonly T[],
  time: (row: T) => number,
  value: (row: T) => number | null,
  stepMs: number,
  x: (t: number) => number,
  y: (v: number) => number,
): Bar[] {
  const bars: Bar[] = [];
  const base = y(0);
  for (const row of rows) {
    const v = value(row);
    if (v === null || !(v > 0)) continue;
    const left = x(time(row));
    const top = y(v);
    bars.push({ x: left, y: top, width: Math.max(1, x(time(row) + stepMs) - left), height: base - top });
  }
  return bars;
}

/** The index of the row whose time is nearest `t` (rows sorted by time), or -1 when there are none. */
export function nearestIndex<T>(rows: readonly T[], time: (row: T) => number, t: number): number {
  if (rows.length === 0) return -1;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time(rows[mid] as T) < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && t - time(rows[lo - 1] as T) <= time(rows[lo] as T) - t) return lo - 1;
  return lo;
}
