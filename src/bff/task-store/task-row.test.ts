import { describe, expect, it } from 'vitest';
import {
  bindRow,
  changedRows,
  incomingTask,
  KNOWN_TEXTS,
  MAX_SECONDS,
  mergeRow,
  mergeStatuses,
  packExtra,
  packStatuses,
  parseResources,
  pgBindRow,
  PG_ROW_COLUMNS,
  ROW_COLUMNS,
  resourcesText,
  storableMs,
  taskHash,
  unpackExtra,
  unpackRow,
  unpackStatuses,
  writeVarint,
  zigzag,
} from './task-row';
import type { PackedStatus, TaskRow } from './task-row';
import type { StatusWrite, TaskWrite } from './types';

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

  it('are FNV-1a of the framework and task ids joined by a NUL, cut to 24 bits, as stores hold them', () => {
    const byTheBook = (text: string) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
      return (hash >>> 8) - 0x800000;
    };
    const random = seeded(7);
    const id = () =>
      Array.from({ length: Math.floor(random() * 40) }, () =>
        String.fromCharCode(Math.floor(random() * 0x3000)),
      ).join('');
    for (let i = 0; i < 200; i += 1) {
      const [frameworkId, taskId] = [id(), id()];
      expect(taskHash(frameworkId, taskId)).toBe(byTheBook(`${frameworkId}\u0000${taskId}`));
    }
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

/** A deterministic stream of numbers in [0, 1), so that a failure repeats. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

/** The packed form as the top of task-row.ts describes it, byte by byte into an array. */
function packedByTheBook(
  statuses: readonly PackedStatus[],
  startedSeconds: number,
  updated: number,
): number[] {
  const out: number[] = [];
  if (statuses.length < 255) out.push(statuses.length);
  else {
    out.push(255);
    writeVarint(out, statuses.length - 255);
  }
  let previous = startedSeconds * 1000;
  for (const s of statuses) {
    const health = s.healthy === null ? 0 : s.healthy ? 2 : 1;
    out.push(
      health | (s.source === null ? 0 : 4) | (s.reason === null ? 0 : 8) | (s.message === null ? 0 : 16),
    );
    writeVarint(out, s.state);
    writeVarint(out, zigzag(s.t - previous));
    previous = s.t;
    for (const id of [s.source, s.reason, s.message]) if (id !== null) writeVarint(out, id);
  }
  writeVarint(out, zigzag(updated - previous));
  return out;
}

describe('packing statuses without a list of bytes', () => {
  it('writes the same bytes as the described form, for short, long and huge-id lists', () => {
    const random = seeded(7);
    const id = (most: number) => (random() < 0.3 ? null : Math.floor(random() * most));
    const packed: Array<{ bytes: Buffer; expected: number[] }> = [];
    for (const length of [0, 1, 2, 5, 254, 255, 256, 3_000]) {
      for (const most of [60, 2 ** 20, 2 ** 40]) {
        let t = T0;
        const statuses: PackedStatus[] = Array.from({ length }, () => {
          t += Math.floor((random() - 0.2) * 2 ** 31);
          return {
            state: Math.floor(random() * most),
            t,
            source: id(most),
            reason: id(most),
            message: id(most),
            healthy: random() < 0.3 ? null : random() < 0.5,
          };
        });
        const started = Math.floor(T0 / 1000) - 5;
        const updated = t + Math.floor(random() * 10_000);
        packed.push({
          bytes: packStatuses(statuses, started, updated),
          expected: packedByTheBook(statuses, started, updated),
        });
      }
    }
    // Compared after every list is packed: a later list must not change the bytes of an earlier one.
    for (const { bytes, expected } of packed) expect([...bytes]).toEqual(expected);
  });
});

describe('the rows of a batch', () => {
  const task = (taskId: string, updated: number): TaskWrite => ({
    frameworkId: 'fw-1',
    taskId,
    name: 'app',
    agentId: 'agent-1',
    host: 'host-1',
    role: null,
    state: 'TASK_FAILED',
    updated,
    started: T0,
    ended: updated,
    failed: true,
    reason: 'REASON_COMMAND_EXECUTOR_FAILED',
    message: 'exit 1',
    cpus: 0.5,
    mem: 128,
    disk: null,
    gpus: null,
    detail: null,
  });
  const status = (taskId: string, state: string, t: number): StatusWrite => ({
    frameworkId: 'fw-1',
    taskId,
    state,
    t,
    source: 'SOURCE_EXECUTOR',
    reason: null,
    message: null,
    healthy: null,
  });
  const texts = new Map<string, number>();
  const id = (text: string | null) => {
    if (text === null) return null;
    if (!texts.has(text)) texts.set(text, texts.size + 1);
    return texts.get(text)!;
  };

  it('give a task not stored yet the row a merge into nothing gives, its statuses in order once', () => {
    const tasks = [task('a', T0 + 3_000), task('b', T0 + 2_000), task('c', T0 + 1_000)];
    const statuses = [
      status('a', 'TASK_STARTING', T0),
      status('a', 'TASK_RUNNING', T0 + 1_000),
      status('a', 'TASK_FAILED', T0 + 3_000),
      // Out of order and repeated: kept once, in time order.
      status('b', 'TASK_FAILED', T0 + 2_000),
      status('b', 'TASK_RUNNING', T0 + 1_000),
      status('b', 'TASK_FAILED', T0 + 2_000),
      // One of a's again after b's: still a's, in its place.
      status('a', 'TASK_KILLING', T0 + 2_500),
    ];
    const rows = changedRows(1, { tasks, statuses }, id, () => null, null);
    const expected = tasks.map((t) =>
      mergeRow(
        null,
        incomingTask(1, t, id),
        statuses.filter((s) => s.taskId === t.taskId).map((s) => ({ ...packedOf(s) })),
        null,
      ),
    );
    expect(rows).toEqual(expected);
    expect(rows.map((row) => row.statuses.map((s) => s.t - T0))).toEqual([
      [0, 1_000, 2_500, 3_000],
      [1_000, 2_000],
      [],
    ]);
  });

  const packedOf = (s: StatusWrite): PackedStatus => ({
    state: id(s.state)!,
    t: s.t,
    source: id(s.source),
    reason: id(s.reason),
    message: id(s.message),
    healthy: s.healthy,
  });
});

describe('binding a row', () => {
  // Every column a value of its own, so that a column bound from another's field shows.
  const row = (seed: number, detail: string | null): TaskRow => ({
    id: null,
    cluster: seed + 1,
    framework: seed + 2,
    task: `task-${seed}`,
    app: seed + 3,
    agent: null,
    role: seed + 4,
    state: seed + 5,
    started: seed + 6,
    ended: seed % 2 === 0 ? null : seed + 7,
    failed: seed % 2 === 1,
    reason: seed + 8,
    message: seed + 9,
    norm: seed + 10,
    res: seed % 2 === 0 ? seed + 11 : null,
    detail,
    statuses: [
      { state: seed + 5, t: (seed + 6) * 1000 + 250, source: 1, reason: null, message: null, healthy: true },
    ],
    updated: (seed + 6) * 1000 + 900,
  });
  const statusesOf = (r: TaskRow) => packStatuses(r.statuses, r.started, r.updated);

  it("gives SQLite each column's field, in `ROW_COLUMNS`' order, into the array it is given", () => {
    const values: unknown[] = [];
    for (const r of [row(100, '{"labels":[["a","b"]]}'), row(201, null)]) {
      expect(bindRow(r, values)).toBe(values);
      expect(values).toEqual(
        ROW_COLUMNS.map((column) =>
          column === 'failed' ? (r.failed ? 1 : 0) : column === 'statuses' ? statusesOf(r) : r[column],
        ),
      );
    }
  });

  it("gives PostgreSQL each column's field, what views only read packed in `extra`", () => {
    const values: unknown[] = [];
    for (const r of [row(100, 'détail'), row(201, null)]) {
      expect(pgBindRow(r, values)).toBe(values);
      expect(values).toEqual(
        PG_ROW_COLUMNS.map((column) =>
          column === 'statuses' ? statusesOf(r) : column === 'extra' ? packExtra(r) : r[column],
        ),
      );
    }
  });
});
