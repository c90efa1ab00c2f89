/**
 * Search in the lines the viewer holds, with the same rules as the BFF's whole-file search: plain text or a
 * regular expression (Unicode-aware when the pattern allows), case-sensitive or not, `^`/`$` at line ends.
 */
export interface SearchOptions {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
}

type CompiledSearch = { ok: true; re: RegExp } | { ok: false; error: string } | null;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The search as a global regular expression; null for an empty query, an error for a broken pattern. */
export function compileSearch(options: SearchOptions): CompiledSearch {
  if (options.query === '') return null;
  const source = options.regex ? options.query : escapeRegExp(options.query);
  const flags = `gm${options.caseSensitive ? '' : 'i'}`;
  try {
    return { ok: true, re: new RegExp(source, `${flags}u`) };
  } catch {
    try {
      return { ok: true, re: new RegExp(source, flags) };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
}

/** Non-empty matches of `re` in `text` as [start, end) pairs; at most `limit`. */
export function findMatches(text: string, re: RegExp, limit = 1_000): [number, number][] {
  const found: [number, number][] = [];
  re.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    if (match[0].length === 0) {
      re.lastIndex += 1;
      continue;
    }
    found.push([match.index, match.index + match[0].length]);
    if (found.length >= limit) break;
  }
  return found;
}

/** One match in the window: the row (by index among the searched rows) and where in its text. */
interface RowMatch {
  row: number;
  start: number;
  end: number;
}

/** Every match in the rows' texts, in order; stops at `limit` (the UI says so). */
export function matchRows(
  texts: readonly string[],
  re: RegExp,
  limit = 100_000,
): { matches: RowMatch[]; limited: boolean } {
  const matches: RowMatch[] = [];
  for (let row = 0; row < texts.length; row += 1) {
    for (const [start, end] of findMatches(texts[row] ?? '', re)) {
      matches.push({ row, start, end });
      if (matches.length >= limit) return { matches, limited: true };
    }
  }
  return { matches, limited: false };
}
