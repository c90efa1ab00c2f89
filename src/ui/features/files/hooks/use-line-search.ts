import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { SearchOptions } from '../utils/line-search';
import { compileSearch, matchRows } from '../utils/line-search';
import { plainText } from '../utils/ansi';
import type { DisplayRow } from '../utils/log-window';
import { segmentsOf } from '../utils/line-segments';

/**
 * Searching the loaded lines of a pane: the query, its matches (on the text as shown, escapes interpreted),
 * the match in focus, and the filter that shows only matching lines (positions in the list map to rows).
 */
export function useLineSearch(rows: readonly DisplayRow[]) {
  const [search, setSearch] = useState<SearchOptions>({ query: '', regex: false, caseSensitive: false });
  const [filter, setFilter] = useState(false);
  /** The match in focus, for the query it was chosen in (a new query starts at its first match). */
  const [cursor, setCursor] = useState<{ query: SearchOptions | null; index: number }>({
    query: null,
    index: 0,
  });
  const deferredSearch = useDeferredValue(search);
  const compiled = useMemo(() => compileSearch(deferredSearch), [deferredSearch]);
  const searchError = compiled && !compiled.ok ? compiled.error : null;

  // The rows' text as shown (escapes interpreted), only while there is something to search for.
  const searching = compiled?.ok === true;
  const texts = useMemo(
    () => (searching ? rows.map((row) => (row.kind === 'line' ? plainText(segmentsOf(row.line)) : '')) : []),
    [rows, searching],
  );
  const found = useMemo(
    () => (compiled?.ok ? matchRows(texts, compiled.re) : { matches: [], limited: false }),
    [compiled, texts],
  );
  const matchesByRow = useMemo(() => {
    const byRow = new Map<number, number[]>();
    found.matches.forEach((match, index) => {
      const list = byRow.get(match.row);
      if (list) list.push(index);
      else byRow.set(match.row, [index]);
    });
    return byRow;
  }, [found]);

  /** The rows shown (by index into `rows`) when the filter is on; null shows them all. */
  const filtered = useMemo(() => {
    if (!filter || !compiled?.ok) return null;
    return rows.flatMap((row, index) => (row.kind === 'marker' || matchesByRow.has(index) ? [index] : []));
  }, [rows, filter, compiled, matchesByRow]);
  const keys = useMemo(
    () =>
      filtered ? filtered.map((index) => rows[index]?.key ?? String(index)) : rows.map((row) => row.key),
    [filtered, rows],
  );
  const rowAt = (position: number) => (filtered ? (filtered[position] ?? 0) : position);
  const positionOfRow = useCallback(
    (row: number): number | undefined => {
      if (!filtered) return row < rows.length ? row : undefined;
      const position = filtered.indexOf(row);
      return position === -1 ? undefined : position;
    },
    [filtered, rows.length],
  );

  const total = found.matches.length;
  const current = cursor.query === deferredSearch ? cursor.index : 0;
  const currentIndex = total === 0 ? -1 : Math.min(current, total - 1);

  const setCurrent = useCallback(
    (index: number) => setCursor({ query: deferredSearch, index }),
    [deferredSearch],
  );

  return {
    search,
    setSearch,
    filter,
    setFilter,
    searchError,
    compiled,
    found,
    matchesByRow,
    filtered,
    keys,
    rowAt,
    positionOfRow,
    total,
    currentIndex,
    setCurrent,
  };
}
