import { describe, expect, it } from 'vitest';
import { SampleRing } from './sample-ring';
import { sampleAt } from './test-samples';

describe('SampleRing', () => {
  it('keeps samples oldest first until full', () => {
    const ring = new SampleRing(5);
    [0, 1, 2].forEach((i) => ring.push(sampleAt(i)));
    expect(ring.size).toBe(3);
    expect(ring.toArray().map((s) => s.t)).toEqual([0, 1, 2].map((i) => sampleAt(i).t));
    expect(ring.latest()).toEqual(sampleAt(2));
  });

  it('never holds more than its capacity and drops the oldest when it wraps', () => {
    const ring = new SampleRing(4);
    for (let i = 0; i < 11; i += 1) ring.push(sampleAt(i));
    expect(ring.size).toBe(4);
    expect(ring.toArray()).toEqual([7, 8, 9, 10].map((i) => sampleAt(i)));
    expect(ring.timeAt(0)).toBe(sampleAt(7).t);
    expect(ring.failuresAt(3)).toBe(10);
  });

  it('stores resources as 32-bit floats and counters as unsigned integers', () => {
    const ring = new SampleRing(2);
    ring.push({
      ...sampleAt(1),
      allocated: { cpus: 0.1, gpus: 0, mem: 1.5, disk: 0 },
      running: -3,
      failures: 2.6,
    });
    const back = ring.at(0);
    expect(back.allocated.cpus).toBe(Math.fround(0.1));
    expect(back.allocated.mem).toBe(1.5);
    expect(back.running).toBe(0);
    expect(back.failures).toBe(3);
  });

  it('states its memory: 48 bytes a sample, allocated up front', () => {
    expect(SampleRing.BYTES_PER_SAMPLE).toBe(48);
    expect(new SampleRing(8_640).byteLength).toBe(8_640 * 48);
  });

  it('refuses indexes outside what it holds and capacities below one', () => {
    const ring = new SampleRing(3);
    ring.push(sampleAt(0));
    expect(() => ring.at(1)).toThrow(RangeError);
    expect(() => ring.at(-1)).toThrow(RangeError);
    expect(() => new SampleRing(0)).toThrow(RangeError);
    expect(new SampleRing(1).latest()).toBeNull();
  });
});
