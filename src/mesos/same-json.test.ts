import { describe, expect, it } from 'vitest';
import { sameJson } from './same-json';

describe('sameJson', () => {
  it('is true for equal values, whatever the order of the keys', () => {
    expect(
      sameJson(
        { id: 't1', ports: [80, 443], agent: { host: 'a' } },
        { agent: { host: 'a' }, ports: [80, 443], id: 't1' },
      ),
    ).toBe(true);
    expect(sameJson([], [])).toBe(true);
    expect(sameJson(null, null)).toBe(true);
    expect(sameJson('x', 'x')).toBe(true);
  });

  it('is false when a value, a key or a length differs', () => {
    expect(sameJson({ id: 't1', state: 'TASK_RUNNING' }, { id: 't1', state: 'TASK_FAILED' })).toBe(false);
    expect(sameJson({ id: 't1' }, { id: 't1', state: 'TASK_RUNNING' })).toBe(false);
    expect(sameJson({ id: 't1', state: 'TASK_RUNNING' }, { id: 't1' })).toBe(false);
    expect(sameJson({ id: 't1', a: 1 }, { id: 't1', b: 1 })).toBe(false);
    expect(sameJson({ ports: [80, 443] }, { ports: [80] })).toBe(false);
    expect(sameJson({ ports: [80, 443] }, { ports: [443, 80] })).toBe(false);
  });

  it('tells null, arrays, objects and numbers apart', () => {
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ 0: 'a' }, ['a'])).toBe(false);
    expect(sameJson(1, '1')).toBe(false);
    expect(sameJson({ n: 0 }, { n: null })).toBe(false);
  });
});
