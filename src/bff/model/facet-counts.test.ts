import { describe, expect, it } from 'vitest';
import { Facet } from './facet-counts';

/** A seeded pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('Facet', () => {
  it('publishes the counts of its moment, whatever changes after, across many copies of its base', () => {
    const next = random(7);
    const facet = new Facet();
    const counts = new Map<string, number>();
    const published: { map: ReadonlyMap<string, number>; expected: Map<string, number> }[] = [];
    // Enough changes over few values to copy the base many times, with publishes in between.
    for (let step = 0; step < 20_000; step += 1) {
      const value = `agent-${Math.floor(next() * 50)}`;
      const count = counts.get(value) ?? 0;
      if (count > 0 && next() < 0.45) {
        facet.remove(value);
        if (count === 1) counts.delete(value);
        else counts.set(value, count - 1);
      } else {
        facet.add(value);
        counts.set(value, count + 1);
      }
      if (next() < 0.01) published.push({ map: facet.publish(), expected: new Map(counts) });
    }
    expect(published.length).toBeGreaterThan(100);
    // Read in an order other than they were published: each is its own moment.
    for (const { map, expected } of published.reverse()) {
      expect(new Map(map)).toEqual(expected);
      expect(map.size).toBe(expected.size);
      const [value, count] = [...expected][0] ?? ['', 0];
      expect(map.get(value)).toBe(count);
      expect(map.has('agent-none')).toBe(false);
    }
  });

  it('publishes the same map until something changes, and no value whose count fell to zero', () => {
    const facet = new Facet();
    facet.add('TASK_RUNNING');
    facet.add('TASK_RUNNING');
    const first = facet.publish();
    expect(facet.publish()).toBe(first);
    facet.remove('TASK_RUNNING');
    facet.remove('TASK_RUNNING');
    facet.add('TASK_FAILED');
    const second = facet.publish();
    expect(second).not.toBe(first);
    expect([...second.keys()]).toEqual(['TASK_FAILED']);
    expect(Object.fromEntries(first)).toEqual({ TASK_RUNNING: 2 });
  });
});
