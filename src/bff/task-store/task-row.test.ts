import { describe, expect, it } from 'vitest';
import {
  KNOWN_TEXTS,
  MAX_SECONDS,
  mergeStatuses,
  packExtra,
  packStatuses,
  parseResources,
  resourcesText,
  storableMs,
  taskHash,
  unpackExtra,
  unpackRow,
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

  it('take about five bytes a status when states, sources and reasons have the ids a new store gives them', () => {
    const id = (text: string) => KNOWN_TEXTS.indexOf(text) + 1;
    const statuses: PackedStatus[] = [
      {
        state: id('TASK_STARTING'),
        t: T0,
        source: id('SOURCE_EXECUTOR'),
        reason: null,
        message: null,
        healthy: null,
      },
      {
        state: id('TASK_RUNNING'),
        t: T0 + 1_250,
        source: id('SOURCE_EXECUTOR'),
        reason: null,
        message: null,
        healthy: true,
      },
      {
        state: id('TASK_FAILED'),
        t: T0 + 3_601_250,
        source: id('SOURCE_AGENT'),
        reason: id('REASON_CONTAINER_LIMITATION_MEMORY'),
        message: 20_000,
        healthy: null,
      },
    ];
    // The count; per status its flags, state, time (two bytes, two, then four for an hour) and source, then
    // the reason (one byte) and the message (three); the summary's time.
    expect(packStatuses(statuses, Math.floor(T0 / 1000)).length).toBe(1 + 5 + 5 + (7 + 1 + 3) + 1);
  });

  it('give every known state, source and reason an id of one byte in a new store', () => {
    expect(new Set(KNOWN_TEXTS).size).toBe(KNOWN_TEXTS.length);
    expect(KNOWN_TEXTS.length).toBeLessThan(128);
    expect(KNOWN_TEXTS).toEqual(
      expect.arrayContaining([
        'TASK_GONE_BY_OPERATOR',
        'SOURCE_SLAVE',
        'REASON_AGENT_DRAINING',
        'REASON_SLAVE_REMOVED',
      ]),
    );
  });

  it('keep the time of a summary that is not its last status', () => {
    const statuses: PackedStatus[] = [
      { state: 1, t: T0, source: null, reason: null, message: null, healthy: null },
    ];
    const started = Math.floor(T0 / 1000);
    for (const updated of [T0, T0 + 90_000, T0 - 5_000])
      expect(unpackRow(packStatuses(statuses, started, updated), started)).toEqual({ statuses, updated });
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

describe("PostgreSQL's packed extra", () => {
  it('gives back every field, ids of any size and a detail in any script', () => {
    const full = {
      res: 0,
      role: 2 ** 31 - 1,
      reason: 255,
      message: 65_536,
      norm: 16_777_217,
      detail: '{"labels":[["owner","Ο έλεγχος 🚒"]]}',
      failed: true,
    };
    expect(unpackExtra(packExtra(full))).toEqual(full);
    const none = {
      res: null,
      role: null,
      reason: null,
      message: null,
      norm: null,
      detail: null,
      failed: false,
    };
    expect(packExtra(none)).toHaveLength(1);
    expect(unpackExtra(packExtra(none))).toEqual(none);
    const some = { ...none, message: 7, detail: '' };
    expect(unpackExtra(packExtra(some))).toEqual(some);
  });

  it('says so when it ends early', () => {
    const packed = packExtra({
      res: 1,
      role: null,
      reason: 3,
      message: null,
      norm: null,
      detail: null,
      failed: false,
    });
    expect(() => unpackExtra(packed.subarray(0, 6))).toThrow('a task row ends early');
  });
});
