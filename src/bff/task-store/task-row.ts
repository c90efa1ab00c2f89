import { normalizeMessage } from './failures';
import { taskKey } from './task-changes';
import type { StatusWrite, TaskWrite, WriteBatch } from './types';

/**
 * A task's row as the store keeps it: small integer ids of interned texts, times in whole seconds for the
 * indexes, and every status packed into one byte string (`statuses`) instead of a row each. A status costs
 * about five bytes that way, where a row of its own cost more than its header.
 *
 * The packed form: the status count (one byte, or 255 then a varint of the rest), then per status a byte of
 * flags (bits 0-1 healthy: 0 unknown, 1 false, 2 true; bit 2 a source follows, bit 3 a reason, bit 4 a
 * message), then as varints the state's id, the time in ms since the previous status (the first: since
 * `started` * 1000; zigzag, so an earlier time is still exact), and the source, reason and message ids the
 * flags announce; last, the time of the row's summary in ms since the last status (zigzag). States, sources
 * and reasons are interned first in a new store (`KNOWN_TEXTS`), so their ids take one byte each.
 */

/**
 * Mesos's task states, status sources and reasons (v1 names and the v0 names the master's JSON still uses):
 * a new store interns these first, in this order, so that a packed status refers to each in one byte.
 */
export const KNOWN_TEXTS: readonly string[] = [
  ...['STAGING', 'STARTING', 'RUNNING', 'KILLING', 'FINISHED', 'FAILED', 'KILLED', 'ERROR', 'LOST']
    .concat(['DROPPED', 'UNREACHABLE', 'GONE', 'GONE_BY_OPERATOR', 'UNKNOWN'])
    .map((state) => `TASK_${state}`),
  ...['MASTER', 'AGENT', 'SLAVE', 'EXECUTOR'].map((source) => `SOURCE_${source}`),
  ...[
    'COMMAND_EXECUTOR_FAILED',
    'CONTAINER_LAUNCH_FAILED',
    'CONTAINER_LIMITATION',
    'CONTAINER_LIMITATION_DISK',
    'CONTAINER_LIMITATION_MEMORY',
    'CONTAINER_PREEMPTED',
    'CONTAINER_UPDATE_FAILED',
    'MAX_COMPLETION_TIME_REACHED',
    'EXECUTOR_REGISTRATION_TIMEOUT',
    'EXECUTOR_REREGISTRATION_TIMEOUT',
    'EXECUTOR_TERMINATED',
    'EXECUTOR_UNREGISTERED',
    'FRAMEWORK_REMOVED',
    'GC_ERROR',
    'INVALID_FRAMEWORKID',
    'INVALID_OFFERS',
    'IO_SWITCHBOARD_EXITED',
    'MASTER_DISCONNECTED',
    'RECONCILIATION',
    'RESOURCES_UNKNOWN',
    'AGENT_DISCONNECTED',
    'AGENT_DRAINING',
    'AGENT_REMOVED',
    'AGENT_REMOVED_BY_OPERATOR',
    'AGENT_REREGISTERED',
    'AGENT_RESTARTED',
    'AGENT_UNKNOWN',
    'SLAVE_DISCONNECTED',
    'SLAVE_DRAINING',
    'SLAVE_REMOVED',
    'SLAVE_REMOVED_BY_OPERATOR',
    'SLAVE_REREGISTERED',
    'SLAVE_RESTARTED',
    'SLAVE_UNKNOWN',
    'TASK_CHECK_STATUS_UPDATED',
    'TASK_HEALTH_CHECK_STATUS_UPDATED',
    'TASK_GROUP_INVALID',
    'TASK_GROUP_UNAUTHORIZED',
    'TASK_INVALID',
    'TASK_UNAUTHORIZED',
    'TASK_KILLED_DURING_LAUNCH',
    'TASK_UNKNOWN',
  ].map((reason) => `REASON_${reason}`),
];

export interface PackedStatus {
  state: number;
  /** ms since the epoch. */
  t: number;
  source: number | null;
  reason: number | null;
  message: number | null;
  healthy: boolean | null;
}

/** The columns of a task's row, texts as their interned ids. */
export interface TaskRow {
  /** Null until inserted. */
  id: number | null;
  cluster: number;
  framework: number;
  task: string;
  app: number | null;
  agent: number | null;
  role: number | null;
  state: number;
  /** Seconds: the first status, else when first seen; the task counts as alive from then. */
  started: number;
  /** Seconds, null while it runs. */
  ended: number | null;
  failed: boolean;
  reason: number | null;
  message: number | null;
  norm: number | null;
  /** The interned text of its resources (see `resourcesText`). */
  res: number | null;
  detail: string | null;
  statuses: PackedStatus[];
  /** The time (ms) of the change its summary is from: a later one replaces it, an earlier one does not. */
  updated: number;
}

/** The columns in the order the stores write them (also PostgreSQL's order, fixed-width ones first). */
export const ROW_COLUMNS = [
  'cluster',
  'framework',
  'app',
  'agent',
  'role',
  'state',
  'started',
  'ended',
  'reason',
  'message',
  'norm',
  'res',
  'failed',
  'task',
  'statuses',
  'detail',
] as const;

/**
 * A row's values in `ROW_COLUMNS`' order, as SQLite binds them (an insert all of them, an update those that
 * changed), written into `values` and returned: a store passes one array for all the rows it writes.
 */
export function bindRow(row: TaskRow, values: unknown[] = []): unknown[] {
  values[0] = row.cluster;
  values[1] = row.framework;
  values[2] = row.app;
  values[3] = row.agent;
  values[4] = row.role;
  values[5] = row.state;
  values[6] = row.started;
  values[7] = row.ended;
  values[8] = row.reason;
  values[9] = row.message;
  values[10] = row.norm;
  values[11] = row.res;
  values[12] = row.failed ? 1 : 0;
  values[13] = row.task;
  values[14] = packStatuses(row.statuses, row.started, row.updated);
  values[15] = row.detail;
  values.length = ROW_COLUMNS.length;
  return values;
}

export const seconds = (ms: number): number => Math.floor(ms / 1000);

/** The last second a 32-bit time column holds (2038-01-19): a store's times stay within [0, this]. */
export const MAX_SECONDS = 2 ** 31 - 1;

/**
 * A time as the store can keep it: a status time a framework got wrong (negative, past 2038, not a
 * number) is held at the nearest bound instead of failing the batch that carries it with every other task.
 */
export function storableMs(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(Math.round(ms), MAX_SECONDS * 1000 + 999);
}

export function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

export const zigzag = (value: number) => (value < 0 ? -2 * value - 1 : 2 * value);
export const unzigzag = (value: number) => (value % 2 === 1 ? -(value + 1) / 2 : value / 2);

const HEALTH_BITS = 0b11;
const HAS_SOURCE = 1 << 2;
const HAS_REASON = 1 << 3;
const HAS_MESSAGE = 1 << 4;

/** Where `packStatuses` encodes, grown when a list needs more: a row's bytes are copied out of it once. */
let scratch = Buffer.allocUnsafe(1024);

/** Writes `value` as a varint at `at` of `scratch` (which has room), returning the offset past it. */
function putVarint(value: number, at: number): number {
  let v = value;
  let end = at;
  while (v >= 0x80) {
    scratch[end++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  scratch[end++] = v;
  return end;
}

/** The most bytes a varint of a number up to 2^53 takes. */
const MAX_VARINT = 8;
/** The most bytes one packed status takes: its flags, then five varints. */
const MAX_STATUS = 1 + 5 * MAX_VARINT;

export function packStatuses(
  statuses: readonly PackedStatus[],
  startedSeconds: number,
  updated: number = statuses.at(-1)?.t ?? startedSeconds * 1000,
): Buffer {
  const most = 1 + MAX_VARINT * 2 + statuses.length * MAX_STATUS;
  if (scratch.length < most) scratch = Buffer.allocUnsafe(most * 2);
  let at = 0;
  if (statuses.length < 255) scratch[at++] = statuses.length;
  else {
    scratch[at++] = 255;
    at = putVarint(statuses.length - 255, at);
  }
  let previous = startedSeconds * 1000;
  for (const s of statuses) {
    scratch[at++] =
      (s.healthy === null ? 0 : s.healthy ? 2 : 1) |
      (s.source === null ? 0 : HAS_SOURCE) |
      (s.reason === null ? 0 : HAS_REASON) |
      (s.message === null ? 0 : HAS_MESSAGE);
    at = putVarint(s.state, at);
    at = putVarint(zigzag(s.t - previous), at);
    previous = s.t;
    if (s.source !== null) at = putVarint(s.source, at);
    if (s.reason !== null) at = putVarint(s.reason, at);
    if (s.message !== null) at = putVarint(s.message, at);
  }
  at = putVarint(zigzag(updated - previous), at);
  return Buffer.from(scratch.subarray(0, at));
}

export function unpackStatuses(bytes: Uint8Array | null, startedSeconds: number): PackedStatus[] {
  return unpackRow(bytes, startedSeconds).statuses;
}

export interface VarintReader {
  read(): number;
  byte(): number;
}

/** Reads varints from `bytes`, saying so when they end early. */
export function varintReader(bytes: Uint8Array): VarintReader {
  let at = 0;
  const byte = (): number => {
    const value = bytes[at++];
    if (value === undefined) throw new Error('a packed status list ends early');
    return value;
  };
  return {
    byte,
    read(): number {
      let value = 0;
      let scale = 1;
      for (;;) {
        const b = byte();
        value += (b & 0x7f) * scale;
        if (b < 0x80) return value;
        scale *= 0x80;
      }
    },
  };
}

/** How a layout packs a status list, past the count that opens every layout's. */
export interface StatusLayout {
  /** Whether the summary's time follows the count (since the start), else the statuses (since the last). */
  updatedFirst: boolean;
  /** One status, its time counted from `previous` (ms). */
  status(reader: VarintReader, previous: number): PackedStatus;
}

/** This layout's status: flags, state, time, then the ids the flags announce (see the top of this file). */
const PACKED: StatusLayout = {
  updatedFirst: false,
  status({ read, byte }, previous) {
    const flags = byte();
    const state = read();
    const t = previous + unzigzag(read());
    const source = flags & HAS_SOURCE ? read() : null;
    const reason = flags & HAS_REASON ? read() : null;
    const message = flags & HAS_MESSAGE ? read() : null;
    const health = flags & HEALTH_BITS;
    return { state, t, source, reason, message, healthy: health === 0 ? null : health === 2 };
  },
};

/** A packed status list of `layout`, and the time of the change its row's summary is from. */
export function readStatusList(
  bytes: Uint8Array | null,
  startedSeconds: number,
  layout: StatusLayout,
): { statuses: PackedStatus[]; updated: number } {
  const start = startedSeconds * 1000;
  if (!bytes || bytes.length === 0) return { statuses: [], updated: start };
  const reader = varintReader(bytes);
  let count = reader.byte();
  if (count === 255) count += reader.read();
  const updatedFirst = layout.updatedFirst ? start + unzigzag(reader.read()) : null;
  const statuses: PackedStatus[] = [];
  let previous = start;
  for (let i = 0; i < count; i += 1) {
    const status = layout.status(reader, previous);
    previous = status.t;
    statuses.push(status);
  }
  return { statuses, updated: updatedFirst ?? previous + unzigzag(reader.read()) };
}

/** A row's packed statuses, and the time of the change its summary is from. */
export function unpackRow(
  bytes: Uint8Array | null,
  startedSeconds: number,
): { statuses: PackedStatus[]; updated: number } {
  return readStatusList(bytes, startedSeconds, PACKED);
}

/**
 * The statuses of both lists, each (time, state) once, oldest first; null when `incoming` adds nothing to
 * `known` (writing the same change twice is a no-op).
 */
export function mergeStatuses(
  known: readonly PackedStatus[],
  incoming: readonly PackedStatus[],
): PackedStatus[] | null {
  // A task seen for the first time (every task of a first backfill): its statuses are usually in order
  // already, each once, and need no set of keys.
  if (known.length === 0 && inOrder(incoming)) return incoming.length === 0 ? null : [...incoming];
  const keys = new Set(known.map((s) => `${s.t}|${s.state}`));
  const added = incoming.filter((s) => {
    const key = `${s.t}|${s.state}`;
    if (keys.has(key)) return false;
    keys.add(key);
    return true;
  });
  if (added.length === 0) return null;
  return [...known, ...added].sort((a, b) => a.t - b.t || a.state - b.state);
}

/** Whether statuses are oldest first, each (time, state) once, as `mergeStatuses` keeps them. */
function inOrder(statuses: readonly PackedStatus[]): boolean {
  for (let i = 1; i < statuses.length; i += 1) {
    const a = statuses[i - 1]!;
    const b = statuses[i]!;
    if (a.t > b.t || (a.t === b.t && a.state >= b.state)) return false;
  }
  return true;
}

/** A task's resources as one interned text: most tasks of an app ask for the same, so this is one small id. */
export function resourcesText(r: {
  cpus: number | null;
  mem: number | null;
  disk: number | null;
  gpus: number | null;
}): string | null {
  if (r.cpus === null && r.mem === null && r.disk === null && r.gpus === null) return null;
  return [r.cpus, r.mem, r.disk, r.gpus].map((v) => (v === null ? '' : String(v))).join(' ');
}

export function parseResources(text: string | null): {
  cpus: number | null;
  mem: number | null;
  disk: number | null;
  gpus: number | null;
} {
  const [cpus, mem, disk, gpus] = (text ?? '').split(' ').map((v) => (v ? Number(v) : null));
  return { cpus: cpus ?? null, mem: mem ?? null, disk: disk ?? null, gpus: gpus ?? null };
}

/**
 * A hash of a task's framework and id, which SQLite indexes to find a task's row (FNV-1a, cut to 24 bits:
 * three bytes in the row and the index; a lookup reads the few other tasks with the same hash and skips them).
 */
export function taskHash(frameworkId: string, taskId: string): number {
  // Of `${frameworkId}\u0000${taskId}`, without making that string for every task written or looked up.
  let hash = fnv1a(0x811c9dc5, frameworkId);
  hash = Math.imul(hash, 0x01000193); // the separator: x ^ 0 is x
  hash = fnv1a(hash, taskId);
  return (hash >>> 8) - 0x800000;
}

function fnv1a(start: number, text: string): number {
  let hash = start;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

/** What a write says of a task, with its texts as ids. */
export interface IncomingTask {
  row: Omit<TaskRow, 'id' | 'statuses' | 'updated'>;
  /** The time (ms) of its latest status, or when it was seen. */
  updated: number;
}

/**
 * The row after a write: the task's summary from the newer of the two (a task marked as ended unseen takes
 * the same change again, as the master's word wins over the guess), every status of both. Null when
 * nothing changes.
 */
export function mergeRow(
  existing: TaskRow | null,
  incoming: IncomingTask | null,
  statuses: readonly PackedStatus[],
  unwatchedState: number | null,
): TaskRow | null {
  if (!existing) {
    if (!incoming) return null;
    return {
      ...incoming.row,
      id: null,
      statuses: mergeStatuses([], statuses) ?? [],
      updated: incoming.updated,
    };
  }
  const merged = mergeStatuses(existing.statuses, statuses);
  const before = existing.updated;
  const newer =
    incoming !== null &&
    (incoming.updated > before || (existing.state === unwatchedState && incoming.updated >= before));
  if (!newer && merged === null) return null;
  const base: TaskRow = newer
    ? { ...incoming.row, id: existing.id, statuses: [], updated: incoming.updated }
    : { ...existing };
  // The first time it was seen stays; the detail stays when a later view of the task has none.
  base.started = Math.min(existing.started, base.started);
  base.detail = base.detail ?? existing.detail;
  base.statuses = merged ?? existing.statuses;
  return base;
}

type IdOf = (text: string | null) => number | null;

/** A task write as a row's columns, its texts as the ids `id` gives (every one interned before). */
export function incomingTask(cluster: number, t: TaskWrite, id: IdOf): IncomingTask {
  const row = taskRow(cluster, t, id);
  return { row, updated: row.updated };
}

/**
 * A task write as the row of a task not stored yet, without statuses: one object per task, which a first
 * backfill (every task new) writes as it is instead of merging a copy of it into another.
 */
export function taskRow(cluster: number, t: TaskWrite, id: IdOf): TaskRow {
  return {
    id: null,
    cluster,
    framework: id(t.frameworkId)!,
    task: t.taskId,
    app: id(t.name),
    agent: id(t.agentId),
    role: id(t.role),
    state: id(t.state)!,
    started: seconds(storableMs(t.started ?? t.updated)),
    ended: t.ended === null ? null : seconds(storableMs(t.ended)),
    failed: t.failed,
    reason: id(t.reason),
    message: id(t.message),
    norm: id(t.message === null ? null : normalizeMessage(t.message)),
    res: id(resourcesText(t)),
    detail: t.detail,
    statuses: [],
    updated: storableMs(t.updated),
  };
}

export function packedStatus(s: StatusWrite, id: IdOf): PackedStatus {
  return {
    state: id(s.state)!,
    t: storableMs(s.t),
    source: id(s.source),
    reason: id(s.reason),
    message: id(s.message),
    healthy: s.healthy,
  };
}

/** Every text a task write interns. */
export function taskTexts(t: TaskWrite): Array<string | null> {
  return [
    t.frameworkId,
    t.name,
    t.agentId,
    t.role,
    t.state,
    t.reason,
    t.message,
    t.message === null ? null : normalizeMessage(t.message),
    resourcesText(t),
  ];
}

export function statusTexts(s: StatusWrite): Array<string | null> {
  return [s.frameworkId, s.state, s.source, s.reason, s.message];
}

/** A row read back (columns by name) as a `TaskRow`. */
export function readRow(r: Record<string, unknown>): TaskRow {
  const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  const started = Number(r['started']);
  const { statuses, updated } = unpackRow(r['statuses'] as Uint8Array | null, started);
  return {
    id: Number(r['id']),
    cluster: Number(r['cluster']),
    framework: Number(r['framework']),
    task: String(r['task']),
    app: num(r['app']),
    agent: num(r['agent']),
    role: num(r['role']),
    state: Number(r['state']),
    started,
    ended: num(r['ended']),
    failed: Number(r['failed']) === 1,
    reason: num(r['reason']),
    message: num(r['message']),
    norm: num(r['norm']),
    res: num(r['res']),
    detail: (r['detail'] as string | null) ?? null,
    statuses,
    updated,
  };
}

/**
 * The rows a batch changes (`id` null for a task not stored yet), each once, given the rows stored now
 * (`stored`, by framework and task id). A status whose task is neither in the batch nor stored is dropped,
 * as before its task is recorded there is nowhere to keep it.
 */
export function changedRows(
  cluster: number,
  batch: Pick<WriteBatch, 'tasks' | 'statuses'>,
  id: IdOf,
  stored: (frameworkId: string, taskId: string) => TaskRow | null,
  unwatchedState: number | null,
): TaskRow[] {
  const statuses = new Map<string, PackedStatus[]>();
  // A task's statuses come one after another in a batch: its key is made once for all of them.
  let list: PackedStatus[] = [];
  let last: StatusWrite | null = null;
  for (const s of batch.statuses) {
    if (last === null || s.taskId !== last.taskId || s.frameworkId !== last.frameworkId) {
      const key = taskKey(s.frameworkId, s.taskId);
      const known = statuses.get(key);
      if (known) list = known;
      else statuses.set(key, (list = []));
    }
    last = s;
    list.push(packedStatus(s, id));
  }
  const rows = new Map<string, TaskRow>();
  const current = (frameworkId: string, taskId: string) =>
    rows.get(taskKey(frameworkId, taskId)) ?? stored(frameworkId, taskId);
  for (const t of batch.tasks) {
    const key = taskKey(t.frameworkId, t.taskId);
    const known = current(t.frameworkId, t.taskId);
    const list = statuses.get(key) ?? [];
    statuses.delete(key);
    if (known) {
      const merged = mergeRow(known, incomingTask(cluster, t, id), list, unwatchedState);
      if (merged) rows.set(key, merged);
      continue;
    }
    // A task seen for the first time needs no merge: its statuses (this batch's own list) in order, each once.
    const row = taskRow(cluster, t, id);
    row.statuses = list.length === 0 || inOrder(list) ? list : (mergeStatuses([], list) ?? []);
    rows.set(key, row);
  }
  for (const [key, list] of statuses) {
    const [frameworkId, taskId] = key.split('\u0000') as [string, string];
    const merged = mergeRow(current(frameworkId, taskId), null, list, unwatchedState);
    if (merged) rows.set(key, merged);
  }
  return [...rows.values()];
}

/**
 * PostgreSQL keeps what views only read or what few tasks have (resources, role, reason, message, its
 * group, detail, failing) in one byte string, `extra`, so that a row has no NULL in the usual case: a NULL
 * anywhere costs a null bitmap that pads the tuple header from 24 to 32 bytes, and a 0 in place of a NULL
 * costs 4. The form: a byte of flags (bit n: the n-th of `EXTRA_IDS` follows; `EXTRA_DETAIL`: the detail
 * ends the string; `EXTRA_FAILED`: the task failed), then each id the flags announce as 4 bytes big-endian
 * (a fixed width, so that SQL reads one with `get_byte`: see schema.ts), then the detail in UTF-8.
 */
export const EXTRA_IDS = ['res', 'role', 'reason', 'message', 'norm'] as const;
export type ExtraId = (typeof EXTRA_IDS)[number];
export const EXTRA_DETAIL = 1 << EXTRA_IDS.length;
export const EXTRA_FAILED = EXTRA_DETAIL << 1;

type Extra = Pick<TaskRow, ExtraId | 'detail' | 'failed'>;

export function packExtra(row: Extra): Buffer {
  let flags = row.failed ? EXTRA_FAILED : 0;
  let size = 1;
  EXTRA_IDS.forEach((field, bit) => {
    if (row[field] !== null) {
      flags |= 1 << bit;
      size += 4;
    }
  });
  const detail = row.detail === null ? null : Buffer.from(row.detail, 'utf8');
  if (detail) flags |= EXTRA_DETAIL;
  const out = Buffer.allocUnsafe(size + (detail?.length ?? 0));
  out[0] = flags;
  let at = 1;
  for (const field of EXTRA_IDS) {
    const value = row[field];
    if (value !== null) at = out.writeUInt32BE(value, at);
  }
  detail?.copy(out, at);
  return out;
}

export function unpackExtra(bytes: Uint8Array): Extra {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = buffer[0] ?? 0;
  const extra: Extra = {
    res: null,
    role: null,
    reason: null,
    message: null,
    norm: null,
    detail: null,
    failed: (flags & EXTRA_FAILED) !== 0,
  };
  let at = 1;
  EXTRA_IDS.forEach((field, bit) => {
    if (flags & (1 << bit)) {
      if (at + 4 > buffer.length) throw new Error('a task row ends early');
      extra[field] = buffer.readUInt32BE(at);
      at += 4;
    }
  });
  if (flags & EXTRA_DETAIL) extra.detail = buffer.toString('utf8', at);
  return extra;
}

/** PostgreSQL's task columns in the order it writes them (fixed-width ones first, none padded). */
export const PG_ROW_COLUMNS = [
  'cluster',
  'framework',
  'app',
  'agent',
  'state',
  'started',
  'ended',
  'task',
  'statuses',
  'extra',
] as const;

/** A row's values in `PG_ROW_COLUMNS`' order, as `bindRow` for PostgreSQL (its arrays and its COPY lines). */
export function pgBindRow(row: TaskRow, values: unknown[] = []): unknown[] {
  values[0] = row.cluster;
  values[1] = row.framework;
  values[2] = row.app;
  values[3] = row.agent;
  values[4] = row.state;
  values[5] = row.started;
  values[6] = row.ended;
  values[7] = row.task;
  values[8] = packStatuses(row.statuses, row.started, row.updated);
  values[9] = packExtra(row);
  values.length = PG_ROW_COLUMNS.length;
  return values;
}

/** A PostgreSQL row read back (its columns by name, `extra` packed) as a `TaskRow`. */
export function pgReadRow(r: Record<string, unknown>): TaskRow {
  return { ...readRow(r), ...unpackExtra(r['extra'] as Uint8Array) };
}
