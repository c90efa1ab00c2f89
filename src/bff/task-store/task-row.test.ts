import { describe, expect, it } from 'vitest';
import {
  MAX_SECONDS,
  mergeStatuses,
  packStatuses,
  parseResources,
  resourcesText,
  storableMs,
  taskHash,
  unpackStatuses,
} from './task-row';
import type { PackedStatus } from './task-row';

const T0 = 1_700_000_000_123;

describe('packed statuses', () => {
  it('give back every field of every status, exactly', () => {
    const statuses: PackedStatus[] = [
      { state: 1, t: T0, source: null, reason: null, message: null, healthy: null },
      { state: 2, t: T0 + 1, source: 0, reason: 127, message: 128, healthy: true },
      {
        state: 300_000,
        t: T0 + 86_400_000 * 400,
        source: 16_383,
        reason: 16_384,
        message: 2 ** 31,
        healthy: false,
      },
    ];
    const started = Math.floor(T0 / 1000);
    expect(unpackStatuses(packStatuses(statuses, started), started)).toEqual(statuses);
  });

  it('keep a status earlier than the second they count from', () => {
    const statuses: PackedStatus[] = [
      { state: 1, t: T0 - 3_600_000, source: 1, reason: null, message: null, healthy: null },
      { state: 1, t: T0 - 7_200_000, source: 1, reason: null, message: null, healthy: null },
    ];
    const started = Math.floor(T0 / 1000);
    expect(unpackStatuses(packStatuses(statuses, started), started)).toEqual(statuses);
  });

  it('hold the first and the last time a 32-bit second column can', () => {
    const statuses: PackedStatus[] = [
      { state: 1, t: 0, source: null, reason: null, message: null, healthy: null },
      { state: 2, t: MAX_SECONDS * 1000 + 999, source: null, reason: null, message: null, healthy: null },
    ];
    expect(unpackStatuses(packStatuses(statuses, 0), 0)).toEqual(statuses);
    expect(unpackStatuses(packStatuses(statuses, MAX_SECONDS), MAX_SECONDS)).toEqual(statuses);
  });

  it('count past 255 statuses', () => {
    const statuses: PackedStatus[] = Array.from({ length: 1_000 }, (_, i) => ({
      state: i % 3,
      t: T0 + i * 1_000,
      source: null,
      reason: null,
      message: i,
      healthy: null,
    }));
    const packed = packStatuses(statuses, 1);
    expect(packed[0]).toBe(255);
    expect(unpackStatuses(packed, 1)).toEqual(statuses);
  });

  it('take about seven bytes a status', () => {
    const statuses: PackedStatus[] = [
      { state: 5, t: T0, source: 3, reason: null, message: null, healthy: null },
      { state: 6, t: T0 + 1_250, source: 3, reason: null, message: null, healthy: null },
    ];
    expect(packStatuses(statuses, Math.floor(T0 / 1000)).length).toBeLessThanOrEqual(18);
  });

  it('say so when cut short', () => {
    const packed = packStatuses([{ state: 1, t: T0, source: 1, reason: 1, message: 1, healthy: null }], 0);
    expect(() => unpackStatuses(packed.subarray(0, 3), 0)).toThrow('ends early');
  });
});

describe('merging statuses', () => {
  const s = (state: number, t: number): PackedStatus => ({
    state,
    t,
    source: null,
    reason: null,
    message: null,
    healthy: null,
  });
  it('adds new ones in time order, each (time, state) once', () => {
    expect(mergeStatuses([s(1, 10), s(2, 30)], [s(2, 30), s(3, 20), s(3, 20)])).toEqual([
      s(1, 10),
      s(3, 20),
      s(2, 30),
    ]);
  });
  it('is null when nothing is new', () => {
    expect(mergeStatuses([s(1, 10)], [s(1, 10)])).toBeNull();
  });
});

describe('storable times', () => {
  it('hold a time a framework got wrong at the nearest bound', () => {
    expect(storableMs(T0)).toBe(T0);
    expect(storableMs(-5)).toBe(0);
    expect(storableMs(Number.NaN)).toBe(0);
    expect(storableMs(Number.POSITIVE_INFINITY)).toBe(0);
    expect(storableMs(1e300)).toBe(MAX_SECONDS * 1000 + 999);
  });
});

describe('resources as one text', () => {
  it('round-trips fractions and absent values', () => {
    const r = { cpus: 0.001, mem: 2048.5, disk: null, gpus: 1 };
    expect(parseResources(resourcesText(r))).toEqual(r);
    expect(resourcesText({ cpus: null, mem: null, disk: null, gpus: null })).toBeNull();
    expect(parseResources(null)).toEqual({ cpus: null, mem: null, disk: null, gpus: null });
  });
});

describe('task hashes', () => {
  it('tell a framework apart from a task id that contains it', () => {
    expect(taskHash('fw-1', 'a.1')).not.toBe(taskHash('fw-1a', '.1'));
    expect(taskHash('fw-1', 'a.1')).toBe(taskHash('fw-1', 'a.1'));
    expect(Number.isInteger(taskHash('ω', '🚒'))).toBe(true);
  });
});
