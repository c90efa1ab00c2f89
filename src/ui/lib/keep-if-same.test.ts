import { describe, expect, it } from 'vitest';
import { keepIfSame } from './keep-if-same';

describe('keepIfSame', () => {
  it('keeps the previous answer when the new one is equal, else takes the new one whole', () => {
    const previous = { rows: [{ id: 't1' }, { id: 't2' }], total: 2 };
    expect(keepIfSame(previous, { total: 2, rows: [{ id: 't1' }, { id: 't2' }] })).toBe(previous);
    const next = { rows: [{ id: 't0' }, { id: 't1' }], total: 2 };
    expect(keepIfSame(previous, next)).toBe(next);
    expect(keepIfSame(undefined, next)).toBe(next);
  });
});
