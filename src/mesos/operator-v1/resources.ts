import type { ResourcesObject } from '../schema-utils';
import { arr, isObject, num, obj, str } from './json';
import { roundScalar } from '../resources';

type Range = [number, number];

function mergeRanges(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [begin, end] of ranges) {
    const last = out[out.length - 1];
    if (last && begin <= last[1] + 1) last[1] = Math.max(last[1], end);
    else out.push([begin, end]);
  }
  return out;
}

/** `"[31000-32000, 33000-33010]"` (a v0 string, also seen inside v1 JSON from some writers) → ranges. */
function parseRangeText(text: string): Range[] {
  const out: Range[] = [];
  for (const match of text.matchAll(/(\d+)\s*-\s*(\d+)/g)) out.push([Number(match[1]), Number(match[2])]);
  return out;
}

function rangesOf(value: unknown): Range[] {
  const range = obj(value)['range'];
  if (typeof range === 'string') return parseRangeText(range);
  const out: Range[] = [];
  for (const entry of arr(range)) {
    const begin = num(obj(entry)['begin']);
    const end = num(obj(entry)['end']);
    if (begin !== undefined && end !== undefined) out.push([begin, end]);
  }
  return out;
}

/** Whether a v1 resource is revocable (v0 reports those under `<name>_revocable`). */
function isRevocable(resource: Readonly<Record<string, unknown>>): boolean {
  return isObject(resource['revocable']);
}

/** The role a resource is reserved for (the last refinement), or null when it is unreserved. */
function reservationRole(resource: unknown): string | null {
  const record = obj(resource);
  const reservations = arr(record['reservations']);
  const last = reservations[reservations.length - 1];
  const refined = last === undefined ? undefined : str(obj(last)['role']);
  if (refined) return refined;
  const legacy = str(record['role']);
  return legacy && legacy !== '*' ? legacy : null;
}

/**
 * v1 `Resource[]` → the v0 "Resources object" exactly as Mesos's `json(Resources)` writes it: `cpus`,
 * `gpus`, `mem` and `disk` always present, other scalars by name, ranges as `"[b-e, ...]"`, sets as
 * `"{a, b}"`, revocable resources with a `_revocable` suffix. A v0 object given instead is passed through.
 */
export function v1ResourcesToV0(value: unknown): ResourcesObject {
  if (isObject(value)) return { ...value, ...scalarDefaults(value) };
  const scalars: Record<string, number> = { cpus: 0, gpus: 0, mem: 0, disk: 0 };
  let ranges: Record<string, Range[]> | undefined;
  let sets: Record<string, string[]> | undefined;
  for (const entry of arr(value)) {
    const resource = obj(entry);
    const base = str(resource['name']);
    if (!base) continue;
    const name = isRevocable(resource) ? `${base}_revocable` : base;
    const type = str(resource['type']) ?? 'SCALAR';
    if (type === 'SCALAR') {
      scalars[name] = (scalars[name] ?? 0) + (num(obj(resource['scalar'])['value']) ?? 0);
    } else if (type === 'RANGES') {
      ranges ??= {};
      (ranges[name] ??= []).push(...rangesOf(resource['ranges']));
    } else if (type === 'SET') {
      sets ??= {};
      const items = arr(obj(resource['set'])['item']).filter(
        (item): item is string => typeof item === 'string',
      );
      (sets[name] ??= []).push(...items);
    }
  }
  const out: Record<string, number | string> = {};
  for (const [name, total] of Object.entries(scalars)) out[name] = roundScalar(total);
  for (const [name, list] of Object.entries(ranges ?? {})) {
    out[name] = `[${mergeRanges(list)
      .map(([b, e]) => `${b}-${e}`)
      .join(', ')}]`;
  }
  for (const [name, items] of Object.entries(sets ?? {})) out[name] = `{${[...new Set(items)].join(', ')}}`;
  return out as ResourcesObject;
}

function scalarDefaults(value: Readonly<Record<string, unknown>>) {
  return {
    cpus: num(value['cpus']) ?? 0,
    gpus: num(value['gpus']) ?? 0,
    mem: num(value['mem']) ?? 0,
    disk: num(value['disk']) ?? 0,
  };
}

/**
 * Splits an agent's total resources like the v0 `reserved_resources` (by role) and `unreserved_resources`.
 */
export function v1ReservationsToV0(value: unknown): {
  reserved: Record<string, ResourcesObject>;
  unreserved: ResourcesObject;
} {
  if (!Array.isArray(value)) return { reserved: {}, unreserved: v1ResourcesToV0(value) };
  const byRole = new Map<string, unknown[]>();
  const unreserved: unknown[] = [];
  for (const resource of value) {
    const role = reservationRole(resource);
    if (role === null) unreserved.push(resource);
    else byRole.set(role, [...(byRole.get(role) ?? []), resource]);
  }
  const reserved: Record<string, ResourcesObject> = {};
  for (const [role, list] of byRole) reserved[role] = v1ResourcesToV0(list);
  return { reserved, unreserved: v1ResourcesToV0(unreserved) };
}

/** The role a task's resources are allocated to (v0 `task.role`), from the first resource. */
export function allocationRole(value: unknown): string | undefined {
  const first = arr(value)[0];
  if (first === undefined) return undefined;
  const allocated = str(obj(obj(first)['allocation_info'])['role']);
  return allocated ?? str(obj(first)['role']);
}
