import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, tuneHeap } from './heap-growth';

describe('the heap tuning', () => {
  it('is left to node for each flag node was given its own of', () => {
    expect(tuneHeap(['--heap-growing-percent=50', '--no-memory-reducer'])).toEqual([]);
    expect(tuneHeap(['--max-old-space-size=512', '--heap_growing_percent=50'])).toEqual([
      '--memory-reducer-single-gc',
    ]);
    expect(tuneHeap(['--memory-reducer-single-gc'])).toEqual([
      `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
    ]);
  });
});
