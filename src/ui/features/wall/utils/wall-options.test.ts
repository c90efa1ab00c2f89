import { describe, expect, it } from 'vitest';
import { parseWallOptions, WALL_TILES } from './wall-options';

const parse = (query: string) => parseWallOptions(new URLSearchParams(query));

describe('parseWallOptions', () => {
  it('defaults to dark, every tile, 5 s refresh, 1 h window and the cluster name', () => {
    expect(parse('')).toEqual({
      theme: 'dark',
      tiles: [...WALL_TILES],
      title: null,
      refreshMs: 5_000,
      window: '1h',
      problems: [],
    });
  });

  it('reads every option', () => {
    expect(parse('theme=light&tiles=agents,health&title=Prod%20DC1&refresh=1&window=24h')).toEqual({
      theme: 'light',
      tiles: ['agents', 'health'],
      title: 'Prod DC1',
      refreshMs: 1_000,
      window: '24h',
      problems: [],
    });
  });

  it('ignores what it does not understand, says so, and keeps the rest', () => {
    const options = parse('theme=purple&tiles=agents,bogus,agents&refresh=0.1&window=7d');
    expect(options.theme).toBe('dark');
    expect(options.tiles).toEqual(['agents']);
    expect(options.refreshMs).toBe(5_000);
    expect(options.window).toBe('1h');
    expect(options.problems).toEqual([
      'theme=purple is not dark or light',
      'unknown tiles: bogus',
      'refresh=0.1 is not a number of seconds from 1 to 3600',
      'window=7d is not one of 1h, 6h, 24h',
    ]);
  });

  it('keeps every tile when none of the named ones exists, and caps the title', () => {
    expect(parse('tiles=nope').tiles).toEqual([...WALL_TILES]);
    expect(parse(`title=${'x'.repeat(200)}`).title).toHaveLength(80);
    expect(parse('title=%20%20').title).toBeNull();
  });
});
