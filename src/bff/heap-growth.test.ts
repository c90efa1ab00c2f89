import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from './heap-growth';

describe('the heap growth', () => {
  it('is left to node when node was given its own', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=50'])).toBe(false);
  });
});
