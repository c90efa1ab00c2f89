import { describe, expect, it } from 'vitest';
import type { TaskStatus } from './master-state';
import { PackedStatuses, packStatuses, statusFieldsAt, statusTimeAt } from './packed-statuses';
import { v1StatusToV0 } from './operator-v1';

/** Seeded (a 32-bit LCG), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
}

const STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
];
const SOURCES = ['SOURCE_EXECUTOR', 'SOURCE_MASTER', 'SOURCE_AGENT'];
const MESSAGES = ['Command exited with status 0', 'Agent removed', 'Container\nexited  twice', ''];

/** A status as the v1 conversion makes it, some fields left out at random. */
function randomStatus(next: () => number): TaskStatus {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const v1: Record<string, unknown> = {
    state: pick(STATES),
    timestamp: 1_700_000_000 + next() * 1_000_000,
  };
  if (next() < 0.8) v1['source'] = pick(SOURCES);
  if (next() < 0.4) v1['message'] = pick(MESSAGES);
  if (next() < 0.3) v1['reason'] = pick(['REASON_COMMAND_EXECUTOR_FAILED', 'REASON_AGENT_REMOVED']);
  if (next() < 0.2) v1['healthy'] = next() < 0.5;
  if (next() < 0.1) v1['labels'] = { labels: [{ key: 'k', value: pick(['a', 'b']) }] };
  if (next() < 0.1) {
    v1['container_status'] = {
      network_infos: [{ ip_addresses: [{ ip_address: `10.0.0.${Math.floor(next() * 255)}` }] }],
    };
  }
  return v1StatusToV0(v1);
}

describe('packed statuses', () => {
  it('read back as the plain list, member by member and as JSON, for random lists', () => {
    const next = random(7);
    for (let round = 0; round < 500; round++) {
      const plain = Array.from({ length: Math.floor(next() * 6) }, () => randomStatus(next));
      const packed = PackedStatuses.of(plain);
      expect(packed.length).toBe(plain.length);
      expect(JSON.stringify(packed)).toBe(JSON.stringify(plain));
      expect([...packed]).toEqual(plain);
      expect(packed.map((status, at) => [status, at])).toEqual(plain.map((status, at) => [status, at]));
      for (let at = -plain.length - 1; at <= plain.length; at++) {
        expect(packed.at(at)).toEqual(plain.at(at));
      }
      for (let at = 0; at < plain.length; at++) {
        const { timestamp, ...fields } = plain[at]!;
        expect(statusTimeAt(packed, at)).toBe(timestamp);
        expect(statusTimeAt(plain, at)).toBe(timestamp);
        expect({ ...statusFieldsAt(packed, at) }).toEqual(fields);
      }
      expect(statusFieldsAt(packed, plain.length)).toBeUndefined();
      expect(statusTimeAt(packed, plain.length)).toBeUndefined();
    }
  });

  it('appends a status, leaving the list it was made from as it was', () => {
    const next = random(11);
    const plain = [randomStatus(next), randomStatus(next)];
    const packed = PackedStatuses.of(plain);
    const added = randomStatus(next);
    const longer = packed.with(added);
    expect(JSON.stringify(longer)).toBe(JSON.stringify([...plain, added]));
    expect(JSON.stringify(packed)).toBe(JSON.stringify(plain));
  });

  it('shares what statuses say between lists that say the same, and keeps each list its own times', () => {
    const a = PackedStatuses.of([
      { state: 'TASK_RUNNING', timestamp: 1.5, source: 'SOURCE_EXECUTOR' },
      { state: 'TASK_FINISHED', timestamp: 2.5, source: 'SOURCE_EXECUTOR', message: 'done' },
    ]);
    const b = PackedStatuses.of([
      { state: 'TASK_RUNNING', timestamp: 3.5, source: 'SOURCE_EXECUTOR' },
      { state: 'TASK_FINISHED', timestamp: 4.5, source: 'SOURCE_EXECUTOR', message: 'done' },
    ]);
    expect(statusFieldsAt(a, 1)).toBe(statusFieldsAt(b, 1));
    expect(Object.isFrozen(statusFieldsAt(a, 0))).toBe(true);
    expect([statusTimeAt(a, 1), statusTimeAt(b, 1)]).toEqual([2.5, 4.5]);
    expect(PackedStatuses.of([])).toBe(PackedStatuses.EMPTY);
  });

  it('packs a plain list once: a packed one is kept as it is', () => {
    const packed = PackedStatuses.of([{ state: 'TASK_RUNNING', timestamp: 1 }]);
    expect(packStatuses(packed)).toBe(packed);
    expect(packStatuses([{ state: 'TASK_RUNNING', timestamp: 1 }])).toEqual(packed);
  });
});
