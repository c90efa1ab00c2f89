import { describe, expect, it } from 'vitest';
import { FilterExpiries } from './filter-expiries';

describe('refuse filter expiries', () => {
  it('gives back the filters that ran out, soonest first, and keeps the others', () => {
    const expiries = new FilterExpiries();
    const times = [50, 10, 40, 10, 90, 30, 70, 20, 60, 80];
    times.forEach((until, i) => expiries.push(until, `f${i}`, `a${i}`));
    const due = expiries.popUntil(45);
    expect(due.map((e) => e.until)).toEqual([10, 10, 20, 30, 40]);
    expect(due.map((e) => e.agentId).sort()).toEqual(['a1', 'a2', 'a3', 'a5', 'a7']);
    expect(expiries.size).toBe(5);
    expect(expiries.popUntil(45)).toEqual([]);
    expect(expiries.popUntil(1000).map((e) => e.until)).toEqual([50, 60, 70, 80, 90]);
    expect(expiries.size).toBe(0);
  });
});
