import { describe, expect, it } from 'vitest';
import { layoutTiles } from './tile-layout';
import { WALL_TILES } from './wall-options';

/** Every cell of the grid is covered by at most one tile, and no tile leaves the grid. */
function expectNoOverlap(layout: ReturnType<typeof layoutTiles>) {
  const covered = new Set<string>();
  for (const tile of layout.tiles) {
    expect(tile.column + tile.w - 1).toBeLessThanOrEqual(layout.columns);
    expect(tile.row + tile.h - 1).toBeLessThanOrEqual(layout.rows);
    for (let r = tile.row; r < tile.row + tile.h; r += 1) {
      for (let c = tile.column; c < tile.column + tile.w; c += 1) {
        expect(covered.has(`${r}:${c}`)).toBe(false);
        covered.add(`${r}:${c}`);
      }
    }
  }
  return covered.size;
}

describe('layoutTiles', () => {
  it('fills a 16:9 screen with every tile and no empty cell: 5 columns × 3 rows', () => {
    const layout = layoutTiles(WALL_TILES, 16 / 9);
    expect(layout).toMatchObject({ columns: 5, rows: 3 });
    expect(expectNoOverlap(layout)).toBe(15);
    expect(layout.tiles.find((tile) => tile.id === 'agents')).toMatchObject({ w: 2, h: 2 });
  });

  it('leaves no hole when a tile is left out: the tile before it grows into the gap', () => {
    const layout = layoutTiles(
      WALL_TILES.filter((id) => id !== 'gpu'),
      16 / 9,
    );
    expect(layout.columns * layout.rows).toBe(expectNoOverlap(layout));
    expect(layout.tiles.filter((tile) => tile.w === 2 && tile.h === 1).length).toBeGreaterThan(1);
  });

  it('keeps the order asked for and fills small selections sensibly', () => {
    const one = layoutTiles(['agents'], 16 / 9);
    expect(one.tiles).toEqual([{ id: 'agents', column: 1, row: 1, w: 2, h: 2 }]);
    const four = layoutTiles(['cpu', 'mem', 'disk', 'gpu'], 16 / 9);
    expect(expectNoOverlap(four)).toBe(4);
    expect(four.columns * four.rows).toBe(4);
    expect(four.tiles.map((tile) => tile.id)).toEqual(['cpu', 'mem', 'disk', 'gpu']);
  });

  it('goes taller on a portrait screen', () => {
    const portrait = layoutTiles(WALL_TILES, 9 / 16);
    expect(portrait.rows).toBeGreaterThan(portrait.columns);
    expectNoOverlap(portrait);
  });
});
