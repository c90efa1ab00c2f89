import vm from 'node:vm';
import type { SearchEvent } from '../schemas/files';

type MatchEvent = Extract<SearchEvent, { type: 'match' }>;

interface SearchQuery {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
}

/** A pattern that does not compile, or is empty. */
export class SearchPatternError extends Error {
  override readonly name = 'SearchPatternError';
}

/** A regular expression that took too long on one piece of the file (catastrophic backtracking). */
export class PatternTooSlowError extends Error {
  override readonly name = 'PatternTooSlowError';
}

/** Longest a user's regular expression may run on one batch before the search is stopped. */
const REGEX_BATCH_TIMEOUT_MS = 250;

/** Characters of a matching line sent back (a window around the first match for longer lines). */
const PREVIEW_CHARS = 240;

const NEWLINE = 0x0a;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The query as a global, multi-line regular expression (plain text is escaped). Unicode-aware when the
 * pattern allows it. The same rules as the viewer's in-page search.
 */
export function compileQuery(query: SearchQuery): RegExp {
  if (query.pattern === '') throw new SearchPatternError('Empty search');
  const source = query.regex ? query.pattern : escapeRegExp(query.pattern);
  const flags = `gm${query.caseSensitive ? '' : 'i'}`;
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch (error) {
      throw new SearchPatternError(`Not a valid regular expression: ${(error as Error).message}`);
    }
  }
}

/** Finds every match in `text` as [index, length] pairs; user patterns run under a time limit. */
type MatchFinder = (text: string, limit: number) => number[];

const FIND_ALL = `
  'use strict';
  {
    const found = [];
    re.lastIndex = 0;
    let match;
    while ((match = re.exec(text)) !== null) {
      found.push(match.index, match[0].length);
      if (match[0].length === 0) re.lastIndex += 1;
      if (found.length >= limit * 2) break;
    }
    result = found;
  }
`;

function findAll(re: RegExp, text: string, limit: number): number[] {
  const found: number[] = [];
  re.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    found.push(match.index, match[0].length);
    if (match[0].length === 0) re.lastIndex += 1;
    if (found.length >= limit * 2) break;
  }
  return found;
}

function matchFinder(query: SearchQuery, re: RegExp): MatchFinder {
  // An escaped literal cannot backtrack badly; a user's regular expression can, so it runs in a vm context
  // whose timeout interrupts it instead of freezing the server.
  if (!query.regex) return (text, limit) => findAll(re, text, limit);
  const script = new vm.Script(FIND_ALL);
  const context = vm.createContext({ re, text: '', limit: 0, result: [] as number[] });
  return (text, limit) => {
    context['text'] = text;
    context['limit'] = limit;
    try {
      script.runInContext(context, { timeout: REGEX_BATCH_TIMEOUT_MS });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw new PatternTooSlowError(
          `The regular expression took more than ${REGEX_BATCH_TIMEOUT_MS} ms on one part of the file; simplify it`,
        );
      }
      throw error;
    } finally {
      context['text'] = '';
    }
    return context['result'] as number[];
  };
}

function preview(
  text: string,
  lineStart: number,
  lineEnd: number,
  index: number,
): { text: string; at: number } {
  let end = lineEnd;
  if (end > lineStart && text.charCodeAt(end - 1) === 13) end -= 1;
  if (end - lineStart <= PREVIEW_CHARS) return { text: text.slice(lineStart, end), at: index - lineStart };
  const from = Math.max(lineStart, Math.min(index - PREVIEW_CHARS / 3, end - PREVIEW_CHARS));
  const start = Math.floor(from);
  return { text: text.slice(start, start + PREVIEW_CHARS), at: index - start };
}

/**
 * Line-oriented search over bytes fed in file order. Only complete lines are searched (like grep), so a
 * match never straddles two reads; a line longer than `maxLineBytes` is searched in pieces.
 * Line starts and line numbers are exact whatever the bytes; a match's offset inside its line is exact for
 * valid UTF-8.
 */
export class LineSearcher {
  private readonly find: MatchFinder;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** File offset of the first pending byte. */
  private pendingOffset: number;
  /** Where the line that the pending bytes start in begins, and its 0-based number. */
  private lineStart: number;
  private lineIndex = 0;
  private matchCount = 0;
  private limitReached = false;

  constructor(
    query: SearchQuery,
    private readonly options: {
      from?: number;
      maxMatches: number;
      batchBytes: number;
      maxLineBytes: number;
    },
  ) {
    this.find = matchFinder(query, compileQuery(query));
    this.pendingOffset = options.from ?? 0;
    this.lineStart = this.pendingOffset;
  }

  /** Complete lines seen so far. */
  get lines(): number {
    return this.lineIndex;
  }

  /** Matching lines found so far. */
  get matches(): number {
    return this.matchCount;
  }

  get limited(): boolean {
    return this.limitReached;
  }

  /** Feeds the next bytes of the file; returns the matching lines completed by them. */
  push(bytes: Buffer): MatchEvent[] {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes < this.options.batchBytes) return [];
    return this.flush(false);
  }

  /** The end of the file: searches what is left, including an unterminated last line. */
  finish(): MatchEvent[] {
    return this.flush(true);
  }

  private flush(atEnd: boolean): MatchEvent[] {
    if (this.pendingBytes === 0) return [];
    const all = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    const lastNewline = all.lastIndexOf(NEWLINE);
    let cut: number;
    if (atEnd) cut = all.length;
    else if (lastNewline !== -1) cut = lastNewline + 1;
    else if (all.length >= this.options.maxLineBytes) cut = all.length;
    else return [];
    const batch = all.subarray(0, cut);
    const rest = all.subarray(cut);
    const events = this.search(batch);
    this.pendingOffset += cut;
    this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.pendingBytes = rest.length;
    return events;
  }

  private search(batch: Buffer): MatchEvent[] {
    const base = this.pendingOffset;
    const text = batch.toString('utf8');
    // Every match of the batch (a batch cannot hold more than its length + 1 of them), grouped by line below;
    // past the limit, one more match is enough to say that there are more.
    const found = this.find(text, this.matchCount < this.options.maxMatches ? text.length + 1 : 1);
    const events: MatchEvent[] = [];
    // Walk text and bytes together: every '\n' in the text is the next 0x0a byte (decoding never eats one).
    let charPos = 0;
    let bytePos = 0;
    let lastLine = -1;
    for (let i = 0; i < found.length; i += 2) {
      const index = found[i] as number;
      const length = found[i + 1] as number;
      for (;;) {
        const newline = text.indexOf('\n', charPos);
        if (newline === -1 || newline >= index) break;
        charPos = newline + 1;
        bytePos = batch.indexOf(NEWLINE, bytePos) + 1;
        this.lineStart = base + bytePos;
        this.lineIndex += 1;
      }
      if (this.lineIndex === lastLine) {
        const last = events[events.length - 1];
        if (last) last.count += 1;
        continue;
      }
      if (this.matchCount >= this.options.maxMatches) {
        this.limitReached = true;
        break;
      }
      lastLine = this.lineIndex;
      this.matchCount += 1;
      const lineEndChar = text.indexOf('\n', index);
      const lineEnd = lineEndChar === -1 ? text.length : lineEndChar;
      const nextByteNewline = batch.indexOf(NEWLINE, bytePos);
      const lineBytes = (nextByteNewline === -1 ? batch.length : nextByteNewline) - bytePos;
      const within = Math.min(Buffer.byteLength(text.slice(charPos, index)), lineBytes);
      const shown = preview(text, charPos, lineEnd, index);
      events.push({
        type: 'match',
        line: this.lineIndex + 1,
        lineOffset: this.lineStart,
        offset: base + bytePos + within,
        count: 1,
        text: shown.text,
        at: shown.at,
        length: Math.min(length, shown.text.length - shown.at),
      });
    }
    // Count the rest of the batch's lines.
    let at = batch.indexOf(NEWLINE, bytePos);
    while (at !== -1) {
      this.lineIndex += 1;
      bytePos = at + 1;
      this.lineStart = base + bytePos;
      at = batch.indexOf(NEWLINE, bytePos);
    }
    return events;
  }
}
