import type { Row } from './schema';
import {
  packStatuses,
  readStatusList,
  resourcesText,
  seconds,
  storableMs,
  unzigzag,
  writeVarint,
  zigzag,
} from './task-row';
import type { PackedStatus, StatusLayout, TaskRow } from './task-row';
import type { StoredStatus } from './types';

/** Every interned text id the statuses refer to. */
export function statusTextIds(statuses: Iterable<PackedStatus>): Set<number> {
  const ids = new Set<number>();
  for (const s of statuses) {
    ids.add(s.state);
    if (s.source !== null) ids.add(s.source);
    if (s.reason !== null) ids.add(s.reason);
    if (s.message !== null) ids.add(s.message);
  }
  return ids;
}

/** Packed statuses as the API gives them, their texts from `texts` (id to text). */
export function storedStatuses(
  statuses: readonly PackedStatus[],
  texts: ReadonlyMap<number, string>,
): StoredStatus[] {
  const text = (id: number | null) => (id === null ? null : (texts.get(id) ?? null));
  return statuses.map((s) => ({
    state: texts.get(s.state) ?? '',
    t: s.t,
    source: text(s.source),
    reason: text(s.reason),
    message: text(s.message),
    healthy: s.healthy,
  }));
}

/** The number of statuses in a row, read from its first byte (exact below 255 statuses a task). */
export function statusCountSql(dialect: 'sqlite' | 'postgres'): string {
  return dialect === 'postgres'
    ? 'SELECT COALESCE(SUM(get_byte(statuses, 0)), 0) AS n FROM tasks'
    : `SELECT COALESCE(SUM((instr('0123456789ABCDEF', substr(hex(statuses), 1, 1)) - 1) * 16
        + instr('0123456789ABCDEF', substr(hex(statuses), 2, 1)) - 1), 0) AS n FROM tasks`;
}

/** The text of the first layout's resource columns, to intern. */
export function firstLayoutResources(old: Row): string | null {
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return resourcesText({
    cpus: num(old['cpus']),
    mem: num(old['mem']),
    disk: num(old['disk']),
    gpus: num(old['gpus']),
  });
}

/** A task of the first layout (a row, its status rows, times in ms) as a row of this one. */
export function firstLayoutRow(old: Row, statuses: readonly Row[], res: number | null): TaskRow {
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  const packed = statuses.map((s) => ({
    state: Number(s['state']),
    t: storableMs(Number(s['t'])),
    source: num(s['source']),
    reason: num(s['reason']),
    message: num(s['message']),
    healthy: s['healthy'] === null || s['healthy'] === undefined ? null : Number(s['healthy']) === 1,
  }));
  const ended = num(old['ended']);
  return {
    id: Number(old['id']),
    cluster: Number(old['cluster']),
    framework: Number(old['framework']),
    task: String(old['task']),
    app: num(old['app']),
    agent: num(old['agent']),
    role: num(old['role']),
    state: Number(old['state']),
    started: seconds(storableMs(num(old['started']) ?? packed[0]?.t ?? Number(old['updated']))),
    ended: ended === null ? null : seconds(storableMs(ended)),
    failed: Number(old['failed']) === 1,
    reason: num(old['reason']),
    message: num(old['message']),
    norm: num(old['norm']),
    res,
    detail: (old['detail'] as string | null) ?? null,
    statuses: packed,
    updated: storableMs(Number(old['updated'])),
  };
}

const plusOne = (id: number | null) => (id === null ? 0 : id + 1);
const minusOne = (value: number) => (value === 0 ? null : value - 1);

/**
 * Statuses packed as the second layout did (every field a varint: state, time, source, reason and message
 * ids plus one, then a byte of health; the summary's time right after the count): what a store of that
 * layout holds until it is rewritten when opened, and what the tests make such a store with.
 */
export function packSecondLayout(
  statuses: readonly PackedStatus[],
  startedSeconds: number,
  updated: number,
): Buffer {
  const out: number[] = [];
  if (statuses.length < 255) out.push(statuses.length);
  else {
    out.push(255);
    writeVarint(out, statuses.length - 255);
  }
  writeVarint(out, zigzag(updated - startedSeconds * 1000));
  let previous = startedSeconds * 1000;
  for (const s of statuses) {
    writeVarint(out, s.state);
    writeVarint(out, zigzag(s.t - previous));
    previous = s.t;
    writeVarint(out, plusOne(s.source));
    writeVarint(out, plusOne(s.reason));
    writeVarint(out, plusOne(s.message));
    out.push(s.healthy === null ? 0 : s.healthy ? 2 : 1);
  }
  return Buffer.from(out);
}

/** The second layout's status: every field a varint (ids plus one, 0 for none), then a byte of health. */
const SECOND_LAYOUT: StatusLayout = {
  updatedFirst: true,
  status({ read, byte }, previous) {
    const state = read();
    const t = previous + unzigzag(read());
    const source = minusOne(read());
    const reason = minusOne(read());
    const message = minusOne(read());
    const healthy = byte();
    return { state, t, source, reason, message, healthy: healthy === 0 ? null : healthy === 2 };
  },
};

export function unpackSecondLayout(
  bytes: Uint8Array | null,
  startedSeconds: number,
): { statuses: PackedStatus[]; updated: number } {
  return readStatusList(bytes, startedSeconds, SECOND_LAYOUT);
}

/** A row's statuses as the second layout packed them, packed as this one does. */
export function repackSecondLayout(bytes: Uint8Array | null, startedSeconds: number): Buffer {
  const { statuses, updated } = unpackSecondLayout(bytes, startedSeconds);
  return packStatuses(statuses, startedSeconds, updated);
}
