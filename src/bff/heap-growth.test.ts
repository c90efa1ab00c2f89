import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from './heap-growth';

describe('the heap growth', () => {
  it('is left to node when node was given its own', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=50'], '')).toBe(false);
    expect(limitHeapGrowth([], '--max-old-space-size=512 --heap_growing_percent=50')).toBe(false);
  });
});
