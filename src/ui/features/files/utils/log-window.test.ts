import { describe, expect, it } from 'vitest';
import type { LinesPage, LogLine } from '../../../../bff/schemas/files';
import {
  appendPage,
  atEnd,
  atStart,
  displayRows,
  prependPage,
  resetWindow,
  windowFromPage,
  withFirstLineNumber,
} from './log-window';

/** A file of numbered lines "line N" (1-based), as the BFF would page it. */
function fileOf(count: number) {
  const lines: LogLine[] = [];
  let offset = 0;
  for (let i = 1; i <= count; i += 1) {
    const t = `line ${i}`;
    lines.push({ o: offset, n: t.length, t });
    offset += t.length + 1;
  }
  const size = offset;
  const page = (from: number, to: number): LinesPage => {
    const slice = lines.slice(from, to);
    const start = slice[0]?.o ?? size;
    const last = slice[slice.length - 1];
    return {
      kind: 'lines',
      size,
      start,
      end: last ? last.o + last.n + 1 : start,
      lines: slice,
      partial: null,
      endHash: `h${to}`,
    };
  };
  return { lines, size, page };
}

const texts = (window: Parameters<typeof displayRows>[0]) =>
  displayRows(window).map((row) => (row.kind === 'line' ? row.line.t : `[${row.text}]`));

describe('log window', () => {
  it('opens at the tail and pages back to the start with line numbers', () => {
    const file = fileOf(100);
    let window = windowFromPage(file.page(90, 100), 1);
    expect(atEnd(window)).toBe(true);
    expect(atStart(window)).toBe(false);
    expect(window.firstLineNumber).toBeNull();
    window = withFirstLineNumber(window, window.start, 91);
    window = prependPage(window, file.page(80, 90), 2);
    expect(window.firstLineNumber).toBe(81);
    expect(displayRows(window)[0]).toMatchObject({ number: 81, line: { t: 'line 81' } });
    window = prependPage(window, file.page(0, 80), 3);
    expect(atStart(window)).toBe(true);
    expect(texts(window)).toEqual(file.lines.map((line) => line.t));
    expect(displayRows(window).map((row) => (row.kind === 'line' ? row.number : null))).toEqual(
      file.lines.map((_, i) => i + 1),
    );
  });

  it('follows new output and stays bounded, dropping the oldest lines', () => {
    const file = fileOf(1000);
    let window = windowFromPage(file.page(0, 10), 1);
    for (let at = 10; at < 1000; at += 10) {
      window = appendPage(window, file.page(at, at + 10), 2, { maxLines: 50, maxChars: 1_000_000 });
      expect(window.lines.length).toBeLessThanOrEqual(50);
    }
    expect(texts(window)).toEqual(file.lines.slice(950).map((line) => line.t));
    expect(window.firstLineNumber).toBe(951);
    expect(window.start).toBe(file.lines[950]?.o);
    expect(atEnd(window)).toBe(true);
  });

  it('paging back past the limit drops the bottom, so the window no longer reaches the end', () => {
    const file = fileOf(300);
    let window = windowFromPage(file.page(200, 300), 1);
    window = prependPage(window, file.page(100, 200), 2, { maxLines: 150, maxChars: 1_000_000 });
    expect(window.lines).toHaveLength(150);
    expect(atEnd(window)).toBe(false);
    expect(window.end).toBe(file.lines[250]?.o);
    expect(window.endHash).toBe('');
    // Scrolling down reads on from where the window now ends.
    window = appendPage(window, file.page(250, 300), 3, { maxLines: 150, maxChars: 1_000_000 });
    expect(atEnd(window)).toBe(true);
    expect(texts(window).at(-1)).toBe('line 300');
  });

  it('bounds characters as well as lines', () => {
    const long: LinesPage = {
      kind: 'lines',
      size: 3003,
      start: 0,
      end: 3003,
      lines: [0, 1, 2].map((i) => ({ o: i * 1001, n: 1000, t: 'x'.repeat(1000) })),
      partial: null,
      endHash: 'x',
    };
    const window = appendPage(windowFromPage({ ...long, lines: [], end: 0, size: 0 }, 0), long, 1, {
      maxLines: 100,
      maxChars: 2500,
    });
    expect(window.lines).toHaveLength(2);
    expect(window.chars).toBe(2000);
  });

  it('refuses a page that is not contiguous (no line lost or repeated)', () => {
    const file = fileOf(30);
    const window = windowFromPage(file.page(0, 10), 1);
    expect(() => appendPage(window, file.page(11, 20), 2)).toThrow();
    expect(() => prependPage(windowFromPage(file.page(20, 30), 1), file.page(0, 10), 2)).toThrow();
  });

  it('replaces the partial line when it is completed, keeping when it first arrived', () => {
    const page: LinesPage = {
      kind: 'lines',
      size: 9,
      start: 0,
      end: 4,
      lines: [{ o: 0, n: 3, t: 'one' }],
      partial: { o: 4, n: 5, t: 'two a' },
      endHash: 'a',
    };
    let window = windowFromPage(page, 100);
    expect(texts(window)).toEqual(['one', 'two a']);
    expect(displayRows(window)[1]).toMatchObject({ partial: true, key: '0:4' });
    window = appendPage(
      window,
      {
        kind: 'lines',
        size: 14,
        start: 4,
        end: 14,
        lines: [{ o: 4, n: 9, t: 'two a b c' }],
        partial: null,
        endHash: 'b',
      },
      200,
    );
    expect(texts(window)).toEqual(['one', 'two a b c']);
    expect(displayRows(window)[1]).toMatchObject({ partial: false, key: '0:4', line: { arrivedAt: 100 } });
  });

  it('keeps what was shown above a marker when the file is truncated, with fresh keys', () => {
    const file = fileOf(20);
    const window = windowFromPage(file.page(10, 20), 1);
    const reset = resetWindow(window, fileOf(3).page(0, 3), 'file truncated', 2);
    expect(texts(reset)).toEqual([
      ...file.lines.slice(10).map((line) => line.t),
      '[file truncated]',
      'line 1',
      'line 2',
      'line 3',
    ]);
    const rows = displayRows(reset);
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
    expect(rows.filter((row) => row.kind === 'line' && row.stale)).toHaveLength(10);
    expect(reset.firstLineNumber).toBe(1);
    expect(reset.start).toBe(0);
  });
});
