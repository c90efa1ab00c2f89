import { describe, expect, it } from 'vitest';
import { SharedValues } from './shared-values';

describe('shared values', () => {
  it('hands out one frozen copy of equal JSON values', () => {
    const table = new SharedValues();
    const first = table.json({ cpus: 1, ports: [80] });
    expect(table.json({ cpus: 1, ports: [80] })).toBe(first);
    expect(Object.isFrozen(first.ports)).toBe(true);
    expect(table.keyed('a', { n: 2 })).toBe(table.keyed('a', { n: 3 }));
  });

  it('starts again when full: copies handed out stay as they were, later ones are new', () => {
    const table = new SharedValues(2);
    const one = table.json({ n: 1 });
    table.json({ n: 2 });
    table.json({ n: 3 });
    const again = table.json({ n: 1 });
    expect(again).not.toBe(one);
    expect(again).toEqual(one);
    expect(table.json({ n: 1 })).toBe(again);
  });
});
