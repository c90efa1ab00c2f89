/**
 * The largest square cells that fit `count` cells in a `width` × `height` box with `gap` between them:
 * tries every column count and keeps the one with the biggest cell. Returns whole pixels.
 */
export function agentGridLayout(
  count: number,
  width: number,
  height: number,
  gap: number,
): { columns: number; rows: number; cell: number } {
  if (count <= 0 || width <= 0 || height <= 0) return { columns: 1, rows: 0, cell: 0 };
  let best = { columns: 1, rows: count, cell: 0 };
  for (let columns = 1; columns <= count; columns += 1) {
    const rows = Math.ceil(count / columns);
    const cell = Math.floor(
      Math.min((width - gap * (columns - 1)) / columns, (height - gap * (rows - 1)) / rows),
    );
    if (cell > best.cell) best = { columns, rows, cell };
    // Wider rows only shrink cells once the width is the limit.
    if ((width - gap * (columns - 1)) / columns < best.cell) break;
  }
  return best;
}

/**
 * The colour of an agent's cell by its allocated share: a ramp from a dim to a bright blue, so that a full
 * agent stands out and an idle one recedes. The same ramp is the legend's gradient.
 */
export function allocationColor(share: number): string {
  const s = Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0));
  const hue = 212 - 22 * s;
  const saturation = 45 + 45 * s;
  const lightness = 24 + 40 * s;
  return `hsl(${hue.toFixed(0)} ${saturation.toFixed(0)}% ${lightness.toFixed(0)}%)`;
}
