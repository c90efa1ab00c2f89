import type { WallTileId } from './wall-options';

/** How many grid cells a tile takes: the agent grid and the gauges need more room than one chart. */
const TILE_SPAN: Partial<Record<WallTileId, { w: number; h: number }>> = {
  gauges: { w: 2, h: 1 },
  agents: { w: 2, h: 2 },
};

interface PlacedTile {
  id: WallTileId;
  /** 1-based grid lines, as CSS grid-column / grid-row take them. */
  column: number;
  row: number;
  w: number;
  h: number;
}

interface TileLayout {
  columns: number;
  rows: number;
  tiles: PlacedTile[];
}

/** Tiles look best a little wider than tall (charts, lists). */
const IDEAL_CELL_ASPECT = 1.5;
const MAX_COLUMNS = 6;

/**
 * Lays the tiles out on a grid that fills the screen exactly: tries every column count, places the tiles
 * first-fit in order, and keeps the layout with the fewest empty cells and cells closest to the ideal shape
 * for this screen's aspect ratio. Rows are then 1fr each, so nothing ever scrolls.
 */
export function layoutTiles(ids: readonly WallTileId[], screenAspect: number): TileLayout {
  let best: (TileLayout & { score: number }) | null = null;
  for (let columns = 1; columns <= MAX_COLUMNS; columns += 1) {
    const tiles = place(ids, columns);
    const rows = Math.max(1, ...tiles.map((tile) => tile.row + tile.h - 1));
    const used = tiles.reduce((sum, tile) => sum + tile.w * tile.h, 0);
    const empty = columns * rows - used;
    const cellAspect = (screenAspect * rows) / columns;
    const score = empty * 2 + Math.abs(Math.log(cellAspect / IDEAL_CELL_ASPECT)) * 3;
    if (!best || score < best.score) best = { columns, rows, tiles, score };
  }
  const { columns, rows, tiles } = best ?? { columns: 1, rows: 1, tiles: [] };
  return { columns, rows, tiles: widenIntoGaps(tiles, columns) };
}

/**
 * A cell left empty (a tile left out, say the GPU tile of a cluster without GPUs) goes to the tile on its left,
 * which grows into it: a wall has no holes, and the tile gets the room.
 */
function widenIntoGaps(tiles: PlacedTile[], columns: number): PlacedTile[] {
  const taken = new Set<string>();
  for (const tile of tiles) {
    for (let r = tile.row; r < tile.row + tile.h; r += 1) {
      for (let c = tile.column; c < tile.column + tile.w; c += 1) taken.add(`${r}:${c}`);
    }
  }
  return tiles.map((tile) => {
    let w = tile.w;
    const column = tile.column + w;
    for (let c = column; c <= columns; c += 1) {
      let free = true;
      for (let r = tile.row; r < tile.row + tile.h; r += 1) if (taken.has(`${r}:${c}`)) free = false;
      if (!free) break;
      for (let r = tile.row; r < tile.row + tile.h; r += 1) taken.add(`${r}:${c}`);
      w += 1;
    }
    return w === tile.w ? tile : { ...tile, w };
  });
}

function place(ids: readonly WallTileId[], columns: number): PlacedTile[] {
  const taken: boolean[][] = [];
  const free = (row: number, column: number, w: number, h: number) => {
    for (let r = row; r < row + h; r += 1) {
      for (let c = column; c < column + w; c += 1) if (taken[r]?.[c]) return false;
    }
    return true;
  };
  return ids.map((id) => {
    const span = TILE_SPAN[id] ?? { w: 1, h: 1 };
    const w = Math.min(span.w, columns);
    const h = span.h;
    for (let row = 0; ; row += 1) {
      for (let column = 0; column + w <= columns; column += 1) {
        if (!free(row, column, w, h)) continue;
        for (let r = row; r < row + h; r += 1) {
          taken[r] ??= [];
          for (let c = column; c < column + w; c += 1) (taken[r] as boolean[])[c] = true;
        }
        return { id, column: column + 1, row: row + 1, w, h };
      }
    }
  });
}
