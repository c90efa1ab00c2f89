import type { LinesPage, LogLine } from '../../../../bff/schemas/files';

/**
 * The part of a file the viewer holds: contiguous whole lines `[start, end)` plus the line still being
 * written, and above them what was on screen before the file was truncated or rotated. Pages are added at
 * either end by byte offset; the window is bounded (lines and characters), dropping from the far end, so the
 * page's memory stays flat whatever the file's size.
 */

/** A line with the time it reached the viewer (ms), used when merging instances by arrival. */
export interface WindowLine extends LogLine {
  arrivedAt: number;
}

export interface WindowLimits {
  maxLines: number;
  maxChars: number;
}

export const DEFAULT_LIMITS: WindowLimits = { maxLines: 10_000, maxChars: 4_000_000 };

/** Lines of the old file kept above a truncation marker. */
const MAX_HISTORY_LINES = 2_000;

type HistoryRow =
  /** A line of the file as it was in an earlier era (before a truncation or rotation). */
  { kind: 'line'; era: number; line: WindowLine } | { kind: 'marker'; key: string; text: string };

export interface LogWindow {
  /** Increases with every reset, so that row keys of the new file never collide with the old one's. */
  era: number;
  /** What was shown of earlier versions of the file, each followed by its marker. */
  history: HistoryRow[];
  lines: WindowLine[];
  start: number;
  end: number;
  partial: WindowLine | null;
  size: number;
  /** Fingerprint of the bytes before `end` ('' when unknown, e.g. after trimming the bottom). */
  endHash: string;
  /** 1-based number of `lines[0]`, when known. */
  firstLineNumber: number | null;
  /** Characters held in `lines`, `partial` and `history`. */
  chars: number;
}

export type DisplayRow =
  | {
      kind: 'line';
      key: string;
      line: WindowLine;
      /** 1-based line number, when known. */
      number: number | null;
      /** From an earlier version of the file. */
      stale: boolean;
      /** The last line of the file, not terminated yet. */
      partial: boolean;
    }
  | { kind: 'marker'; key: string; text: string };

const charsOf = (lines: readonly LogLine[]) => lines.reduce((sum, line) => sum + line.t.length, 0);

function stamp(lines: readonly LogLine[], now: number): WindowLine[] {
  return lines.map((line) => ({ ...line, arrivedAt: now }));
}

function historyChars(history: readonly HistoryRow[]): number {
  return history.reduce((sum, row) => sum + (row.kind === 'line' ? row.line.t.length : 0), 0);
}

export function atStart(window: LogWindow): boolean {
  return window.start === 0;
}

/** The window reaches the end of the file as it was at the last read. */
export function atEnd(window: LogWindow): boolean {
  return window.end + (window.partial ? window.partial.n : 0) >= window.size;
}

export function windowFromPage(page: LinesPage, now: number, era = 0): LogWindow {
  const lines = stamp(page.lines, now);
  const partial = page.partial ? { ...page.partial, arrivedAt: now } : null;
  return {
    era,
    history: [],
    lines,
    start: page.start,
    end: page.end,
    partial,
    size: page.size,
    endHash: page.endHash,
    firstLineNumber: page.start === 0 ? 1 : null,
    chars: charsOf(lines) + (partial?.t.length ?? 0),
  };
}

/** Drops from the top (history first) until within limits. */
function trimTop(window: LogWindow, limits: WindowLimits): LogWindow {
  const { lines } = window;
  let { history, chars, firstLineNumber } = window;
  const count = () => history.length + lines.length;
  if (count() <= limits.maxLines && chars <= limits.maxChars) return window;
  let dropHistory = 0;
  while (
    dropHistory < history.length &&
    (count() - dropHistory > limits.maxLines || chars > limits.maxChars)
  ) {
    const row = history[dropHistory];
    if (row?.kind === 'line') chars -= row.line.t.length;
    dropHistory += 1;
  }
  history = history.slice(dropHistory);
  let dropLines = 0;
  // Always keep at least one line, however long.
  while (dropLines < lines.length - 1 && (count() - dropLines > limits.maxLines || chars > limits.maxChars)) {
    chars -= lines[dropLines]?.t.length ?? 0;
    dropLines += 1;
  }
  if (dropLines === 0) return { ...window, history, chars };
  const kept = lines.slice(dropLines);
  if (firstLineNumber !== null) firstLineNumber += dropLines;
  return { ...window, history, lines: kept, start: kept[0]?.o ?? window.end, chars, firstLineNumber };
}

/** Drops from the bottom (the end of the file) until within limits; the window then no longer reaches the end. */
function trimBottom(window: LogWindow, limits: WindowLimits): LogWindow {
  let { chars, partial } = window;
  let lines = window.lines;
  const total = () => window.history.length + lines.length + (partial ? 1 : 0);
  if (total() <= limits.maxLines && chars <= limits.maxChars) return window;
  if (partial) {
    chars -= partial.t.length;
    partial = null;
  }
  let keep = lines.length;
  while (keep > 1 && (window.history.length + keep > limits.maxLines || chars > limits.maxChars)) {
    keep -= 1;
    chars -= lines[keep]?.t.length ?? 0;
  }
  lines = lines.slice(0, keep);
  const last = lines[lines.length - 1];
  const end = last ? last.o + last.n + 1 : window.start;
  return { ...window, lines, partial, chars, end, endHash: '' };
}

/** Adds the page that follows the window (`page.start === window.end`): new output, or scrolling down. */
export function appendPage(
  window: LogWindow,
  page: LinesPage,
  now: number,
  limits: WindowLimits = DEFAULT_LIMITS,
): LogWindow {
  if (page.start !== window.end)
    throw new Error(`page starts at ${page.start}, the window ends at ${window.end}`);
  const added = stamp(page.lines, now);
  // A line that was partial keeps the time it first arrived.
  const first = added[0];
  if (first && window.partial && first.o === window.partial.o)
    added[0] = { ...first, arrivedAt: window.partial.arrivedAt };
  let partial: WindowLine | null = page.partial ? { ...page.partial, arrivedAt: now } : null;
  if (partial && window.partial && partial.o === window.partial.o)
    partial = { ...partial, arrivedAt: window.partial.arrivedAt };
  const next: LogWindow = {
    ...window,
    lines: added.length > 0 ? [...window.lines, ...added] : window.lines,
    partial,
    end: page.end,
    size: page.size,
    endHash: page.endHash,
    chars: window.chars - (window.partial?.t.length ?? 0) + charsOf(added) + (partial?.t.length ?? 0),
  };
  return trimTop(next, limits);
}

/** Adds the page before the window (`page.end === window.start`): scrolling back. */
export function prependPage(
  window: LogWindow,
  page: LinesPage,
  now: number,
  limits: WindowLimits = DEFAULT_LIMITS,
): LogWindow {
  if (page.end !== window.start)
    throw new Error(`page ends at ${page.end}, the window starts at ${window.start}`);
  const added = stamp(page.lines, now);
  const firstLineNumber =
    page.start === 0 ? 1 : window.firstLineNumber !== null ? window.firstLineNumber - added.length : null;
  const next: LogWindow = {
    ...window,
    lines: [...added, ...window.lines],
    start: page.start,
    firstLineNumber,
    chars: window.chars + charsOf(added),
  };
  return trimBottom(next, limits);
}

/** Notes the file's size when nothing new was read. */
export function withSize(window: LogWindow, size: number): LogWindow {
  return size === window.size ? window : { ...window, size };
}

/** Sets the line number of the first line (from the server's count). */
export function withFirstLineNumber(window: LogWindow, start: number, number: number): LogWindow {
  return window.start === start && window.firstLineNumber !== number
    ? { ...window, firstLineNumber: number }
    : window;
}

/**
 * The file was truncated or replaced: what was on screen stays above a marker (dimmed, bounded), and the
 * window continues with `page`, read from the file as it is now.
 */
export function resetWindow(
  window: LogWindow,
  page: LinesPage,
  marker: string,
  now: number,
  limits: WindowLimits = DEFAULT_LIMITS,
): LogWindow {
  const old = [...window.lines, ...(window.partial ? [window.partial] : [])].slice(-MAX_HISTORY_LINES);
  const history: HistoryRow[] = [
    ...window.history,
    ...old.map((line) => ({ kind: 'line' as const, era: window.era, line })),
    { kind: 'marker', key: `m${window.era}`, text: marker },
  ];
  const fresh = windowFromPage(page, now, window.era + 1);
  return trimTop({ ...fresh, history, chars: fresh.chars + historyChars(history) }, limits);
}

type LineRow = Extract<DisplayRow, { kind: 'line' }>;

/**
 * Rows already built for a line (with the era they were built in): a window update then allocates only the
 * rows of new lines, and no key strings for the others.
 */
const rowCache = new WeakMap<WindowLine, { era: number; row: LineRow }>();

function lineRow(
  line: WindowLine,
  era: number,
  number: number | null,
  stale: boolean,
  partial: boolean,
): LineRow {
  const cached = rowCache.get(line);
  if (
    cached &&
    cached.era === era &&
    cached.row.number === number &&
    cached.row.stale === stale &&
    cached.row.partial === partial
  ) {
    return cached.row;
  }
  const key = stale ? `h${era}:${line.o}` : `${era}:${line.o}`;
  const row: LineRow = { kind: 'line', key, line, number, stale, partial };
  rowCache.set(line, { era, row });
  return row;
}

/** Everything to show, top to bottom. */
export function displayRows(window: LogWindow): DisplayRow[] {
  const rows: DisplayRow[] = [];
  for (const row of window.history) {
    rows.push(row.kind === 'line' ? lineRow(row.line, row.era, null, true, false) : row);
  }
  const first = window.firstLineNumber;
  const lines = window.lines;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as WindowLine;
    rows.push(lineRow(line, window.era, first === null ? null : first + index, false, false));
  }
  if (window.partial) {
    const number = first === null ? null : first + window.lines.length;
    rows.push(lineRow(window.partial, window.era, number, false, true));
  }
  return rows;
}
