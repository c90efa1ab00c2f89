/**
 * What a viewer URL says about where to open a file, so that a position can be shared:
 * - `?offset=N` opens at byte N (the line containing it is highlighted);
 * - `#L10` or `#L10-L20` opens at line 10 (1-based, counted from the start of the file) and highlights
 *   lines 10 to 20;
 * - without either, the viewer opens at the end and follows.
 */
export interface LineRange {
  from: number;
  to: number;
}

const LINE_HASH = /^#L(\d{1,15})(?:-L?(\d{1,15}))?$/;

export function parseLineRange(hash: string): LineRange | null {
  const match = LINE_HASH.exec(hash);
  if (!match) return null;
  const a = Number(match[1]);
  const b = match[2] === undefined ? a : Number(match[2]);
  if (a < 1 || b < 1) return null;
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

export function formatLineRange(range: LineRange): string {
  return range.from === range.to ? `#L${range.from}` : `#L${range.from}-L${range.to}`;
}

export function parseOffset(value: string | null): number | null {
  if (value === null || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
