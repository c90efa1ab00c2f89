import { describe, expect, it } from 'vitest';
import { dataStart, timeTicks } from './time-axis';

const MINUTE = 60_000;

describe('timeTicks', () => {
  it('puts a handful of ticks on round local times, inside the window and off its edges', () => {
    const from = new Date(2025, 0, 6, 9, 3, 20).getTime();
    const to = from + 60 * MINUTE;
    const ticks = timeTicks(from, to);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const tick of ticks) {
      expect(new Date(tick).getMinutes() % 10).toBe(0);
      expect(new Date(tick).getSeconds()).toBe(0);
      expect(tick).toBeGreaterThan(from);
      expect(tick).toBeLessThan(to);
    }
  });

  it('uses hours for a day', () => {
    const from = new Date(2025, 0, 6, 9, 0, 0).getTime() + 17 * MINUTE;
    const ticks = timeTicks(from, from + 24 * 60 * MINUTE);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks.every((tick) => new Date(tick).getMinutes() === 0)).toBe(true);
  });
});

describe('dataStart', () => {
  const to = new Date(2025, 0, 6, 10, 0, 0).getTime();
  const windowFrom = to - 60 * MINUTE;

  it('starts a young history where its data starts', () => {
    expect(dataStart(windowFrom, to, [to - 20 * MINUTE])).toBe(to - 20 * MINUTE);
  });

  it('keeps the whole window once data fills it', () => {
    expect(dataStart(windowFrom, to, [windowFrom - MINUTE])).toBe(windowFrom);
    expect(dataStart(windowFrom, to, [])).toBe(windowFrom);
  });

  it('shows at least five minutes when the first sample is seconds old', () => {
    expect(dataStart(windowFrom, to, [to - 10_000])).toBe(to - 5 * MINUTE);
  });
});
