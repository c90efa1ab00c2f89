import { describe, expect, it } from 'vitest';
import type { SearchEvent } from '../schemas/files';
import { LineIndex } from './line-index';
import { compileQuery, LineSearcher, PatternTooSlowError, SearchPatternError } from './search';

type Match = Extract<SearchEvent, { type: 'match' }>;

/** Feeds the file in pieces of `piece` bytes, as the scan does. */
function searchAll(file: Buffer, searcher: LineSearcher, piece = 7): Match[] {
  const found: Match[] = [];
  for (let at = 0; at < file.length; at += piece) found.push(...searcher.push(file.subarray(at, at + piece)));
  found.push(...searcher.finish());
  return found;
}

const options = { maxMatches: 100, batchBytes: 16, maxLineBytes: 1024 };

describe('LineSearcher', () => {
  const file = Buffer.from('alpha\nbeta ERROR one\ngamma\nError two, ERROR three\nünï ERROR\nlast error');

  it('finds matching lines with exact line numbers, line offsets and match offsets', () => {
    const matches = searchAll(
      file,
      new LineSearcher({ pattern: 'ERROR', regex: false, caseSensitive: true }, options),
    );
    expect(matches.map((m) => [m.line, m.count])).toEqual([
      [2, 1],
      [4, 1],
      [5, 1],
    ]);
    for (const match of matches) {
      expect(file.subarray(match.offset, match.offset + 5).toString()).toBe('ERROR');
      expect(file[match.lineOffset - 1]).toBe(0x0a);
      expect(match.text.slice(match.at, match.at + match.length)).toBe('ERROR');
    }
  });

  it('ignores case when asked, counts several matches in a line, and searches an unterminated last line', () => {
    const searcher = new LineSearcher({ pattern: 'error', regex: false, caseSensitive: false }, options);
    const matches = searchAll(file, searcher);
    expect(matches.map((m) => [m.line, m.count])).toEqual([
      [2, 1],
      [4, 2],
      [5, 1],
      [6, 1],
    ]);
    expect(searcher.lines).toBe(5);
  });

  it('takes regular expressions, and refuses broken ones', () => {
    const matches = searchAll(
      file,
      new LineSearcher({ pattern: '^(alpha|gamma)$', regex: true, caseSensitive: true }, options),
    );
    expect(matches.map((m) => m.text)).toEqual(['alpha', 'gamma']);
    expect(() => compileQuery({ pattern: '(', regex: true, caseSensitive: true })).toThrow(
      SearchPatternError,
    );
    expect(() => compileQuery({ pattern: '', regex: false, caseSensitive: true })).toThrow(
      SearchPatternError,
    );
    // Plain text is literal.
    expect(compileQuery({ pattern: 'a.b(', regex: false, caseSensitive: true }).test('xa.b(')).toBe(true);
  });

  it('keeps line offsets exact across invalid UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x0a, 0x78, 0xc3, 0x0a]), Buffer.from('needle\n')]);
    const [match] = searchAll(
      bytes,
      new LineSearcher({ pattern: 'needle', regex: false, caseSensitive: true }, options),
    );
    expect(match).toMatchObject({
      line: 3,
      lineOffset: bytes.indexOf('needle'),
      offset: bytes.indexOf('needle'),
    });
  });

  it('stops at the match limit', () => {
    const many = Buffer.from('hit\n'.repeat(50));
    const searcher = new LineSearcher(
      { pattern: 'hit', regex: false, caseSensitive: true },
      { ...options, maxMatches: 10 },
    );
    expect(searchAll(many, searcher)).toHaveLength(10);
    expect(searcher.limited).toBe(true);
  });

  it('stops a catastrophic regular expression instead of hanging the server', () => {
    const evil = Buffer.from(`${'a'.repeat(40)}!\n`);
    const searcher = new LineSearcher({ pattern: '^(a+)+$', regex: true, caseSensitive: true }, options);
    expect(() => searchAll(evil, searcher, 64)).toThrow(PatternTooSlowError);
  });
});

describe('LineIndex', () => {
  const file = Buffer.from(Array.from({ length: 3000 }, (_, i) => `row ${i + 1}\n`).join(''));
  const source = {
    size: async () => file.length,
    read: async (offset: number, length: number) => file.subarray(offset, offset + length),
  };

  it('gives the line number of an offset and the offset of a line number', async () => {
    const index = new LineIndex();
    const offset = file.indexOf('row 2500\n');
    expect(await index.lineOf('f', source, offset + 2)).toEqual({ line: 2500, offset, size: file.length });
    expect(await index.offsetOf('f', source, 2500)).toEqual({ line: 2500, offset, size: file.length });
    expect(await index.offsetOf('f', source, 1)).toEqual({ line: 1, offset: 0, size: file.length });
    // Past the end: the last line.
    expect((await index.offsetOf('f', source, 999_999)).line).toBe(3000);
  });
});
