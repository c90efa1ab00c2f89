import { describe, expect, it } from 'vitest';
import { agentGridLayout, allocationColor } from './agent-grid-layout';

describe('agentGridLayout', () => {
  it('fits 1,000 agents in a wall tile with cells still big enough to see (≥ 16 px)', () => {
    // The agent grid of the default 1920×1080 wall has about 740 × 560 px.
    const { columns, rows, cell } = agentGridLayout(1_000, 740, 560, 2);
    expect(columns * rows).toBeGreaterThanOrEqual(1_000);
    expect(columns * cell + (columns - 1) * 2).toBeLessThanOrEqual(740);
    expect(rows * cell + (rows - 1) * 2).toBeLessThanOrEqual(560);
    expect(cell).toBeGreaterThanOrEqual(16);
  });

  it('uses the largest square that fits', () => {
    expect(agentGridLayout(4, 100, 100, 0)).toEqual({ columns: 2, rows: 2, cell: 50 });
    expect(agentGridLayout(3, 300, 100, 0)).toEqual({ columns: 3, rows: 1, cell: 100 });
    expect(agentGridLayout(0, 300, 100, 0).cell).toBe(0);
  });
});

describe('allocationColor', () => {
  it('gets brighter with allocation and clamps out-of-range shares', () => {
    const lightness = (color: string) => Number(/(\d+)%\)$/.exec(color)?.[1]);
    expect(lightness(allocationColor(1))).toBeGreaterThan(lightness(allocationColor(0.5)));
    expect(lightness(allocationColor(0.5))).toBeGreaterThan(lightness(allocationColor(0)));
    expect(allocationColor(7)).toBe(allocationColor(1));
    expect(allocationColor(Number.NaN)).toBe(allocationColor(0));
  });
});
