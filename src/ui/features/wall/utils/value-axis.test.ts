import { describe, expect, it } from 'vitest';
import { axisWidthPx, niceStep, valueAxis } from './value-axis';

const TB_IN_MB = 1024 ** 2;

describe('niceStep', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1.3)).toBe(2);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7.5)).toBe(10);
    expect(niceStep(2_460)).toBe(2_500);
    expect(niceStep(0.031)).toBeCloseTo(0.05);
  });
});

describe('valueAxis', () => {
  it('ends CPU ticks on the first round value above the data', () => {
    const axis = valueAxis('cpus', 37_841);
    expect(axis.ticks).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(axis.ticks.map(axis.label)).toEqual(['0', '10K', '20K', '30K', '40K']);
  });

  it('steps memory in whole units of the size a person reads', () => {
    const axis = valueAxis('mem', 58.3 * TB_IN_MB);
    expect(axis.ticks.map(axis.label)).toEqual(['0', '20 TB', '40 TB', '60 TB']);
    expect(axis.ticks.at(-1)).toBe(60 * TB_IN_MB);
  });

  it('reads petabytes as petabytes', () => {
    const axis = valueAxis('disk', 1.1 * 1024 * TB_IN_MB);
    expect(axis.ticks.map(axis.label)).toEqual(['0', '0.5 PB', '1 PB', '1.5 PB']);
  });

  it('counts in whole numbers, even for a handful', () => {
    const axis = valueAxis('count', 3);
    expect(axis.ticks).toEqual([0, 1, 2, 3]);
    expect(valueAxis('gpus', 0.4).ticks).toEqual([0, 1]);
  });

  it('steps small CPU amounts in tenths without float noise', () => {
    const axis = valueAxis('cpus', 0.3);
    expect(axis.ticks).toEqual([0, 0.1, 0.2, 0.3]);
    expect(axis.ticks.map(axis.label)).toEqual(['0', '0.1', '0.2', '0.3']);
  });

  it('has an axis up to one step when there is no data', () => {
    expect(valueAxis('count', 0).ticks).toEqual([0, 1]);
    expect(valueAxis('mem', Number.NaN).ticks.length).toBe(2);
  });
});

describe('axisWidthPx', () => {
  it('grows with the longest label and the text size, and leaves room for the tick line', () => {
    const short = axisWidthPx(['0', '5', '10'], 10);
    expect(short).toBeGreaterThan(2 * 10 * 0.68 + 8);
    expect(axisWidthPx(['0', '500 GB', '1 TB'], 10)).toBeGreaterThan(short);
    expect(axisWidthPx(['0', '5', '10'], 20)).toBeGreaterThan(short);
    expect(axisWidthPx([], 10)).toBeGreaterThan(8);
  });
});
