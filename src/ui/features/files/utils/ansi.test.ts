import { describe, expect, it } from 'vitest';
import { ansiSegments, highlightSegments, plainText } from './ansi';
import { compileSearch, findMatches, matchRows } from './line-search';

describe('ansiSegments', () => {
  it('turns colours and styles into classes and CSS properties, never HTML', () => {
    const segments = ansiSegments(
      '\u001b[1;31mERROR\u001b[0m <b>&amp;</b> \u001b[38;2;80;160;255mblue\u001b[0m',
    );
    expect(plainText(segments)).toBe('ERROR <b>&amp;</b> blue');
    expect(segments[0]).toEqual({ text: 'ERROR', className: 'ansi-red-fg', style: { fontWeight: 'bold' } });
    expect(segments[1]).toEqual({ text: ' <b>&amp;</b> ' });
    expect(segments[2]).toEqual({ text: 'blue', style: { color: 'rgb(80,160,255)' } });
  });

  it('keeps a plain line as one segment, with control characters made visible and CRLF dropped', () => {
    expect(ansiSegments('plain\ttext\r')).toEqual([{ text: 'plain\ttext' }]);
    expect(ansiSegments('nul\u0000bell\u0007')).toEqual([
      { text: 'nul' },
      { text: '\\x00', className: 'log-ctrl' },
      { text: 'bell' },
      { text: '\\x07', className: 'log-ctrl' },
    ]);
    expect(plainText(ansiSegments('a\u007f\u001b[31mred\u0001\u001b[0m'))).toBe('a\\x7fred\\x01');
    expect(plainText(ansiSegments('\ufffd\ufffd binary'))).toBe('\ufffd\ufffd binary');
  });

  it('never lets a line carry its colour into the next one', () => {
    expect(ansiSegments('\u001b[32mgreen without reset')[0]?.className).toBe('ansi-green-fg');
    expect(ansiSegments('next line')).toEqual([{ text: 'next line' }]);
  });

  it('splits segments at highlights', () => {
    const segments = ansiSegments('\u001b[32mINFO\u001b[0m hello world');
    const pieces = highlightSegments(segments, [
      { start: 2, end: 7, current: false },
      { start: 11, end: 16, current: true },
    ]);
    expect(pieces.map((piece) => [piece.text, piece.mark ?? '', piece.className ?? ''])).toEqual([
      ['IN', '', 'ansi-green-fg'],
      ['FO', 'match', 'ansi-green-fg'],
      [' he', 'match', ''],
      ['llo ', '', ''],
      ['world', 'current', ''],
    ]);
  });
});

describe('line search', () => {
  it('matches plain text literally and regular expressions as such', () => {
    const plain = compileSearch({ query: 'a.b', regex: false, caseSensitive: true });
    expect(plain?.ok && findMatches('a.b axb A.B', plain.re)).toEqual([[0, 3]]);
    const insensitive = compileSearch({ query: 'a.b', regex: false, caseSensitive: false });
    expect(insensitive?.ok && findMatches('a.b axb A.B', insensitive.re)).toEqual([
      [0, 3],
      [8, 11],
    ]);
    const regex = compileSearch({ query: '^\\w+$', regex: true, caseSensitive: true });
    expect(regex?.ok && findMatches('word', regex.re)).toEqual([[0, 4]]);
    expect(compileSearch({ query: '(', regex: true, caseSensitive: true })).toMatchObject({ ok: false });
    expect(compileSearch({ query: '', regex: false, caseSensitive: true })).toBeNull();
  });

  it('finds every match across rows and skips empty matches', () => {
    const search = compileSearch({ query: 'o*', regex: true, caseSensitive: true });
    if (!search?.ok) throw new Error('compile');
    expect(matchRows(['foo', 'bar', 'oo'], search.re).matches).toEqual([
      { row: 0, start: 1, end: 3 },
      { row: 2, start: 0, end: 2 },
    ]);
  });
});
