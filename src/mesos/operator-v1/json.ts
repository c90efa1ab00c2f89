/**
 * Small, allocation-free readers for v1 operator API JSON. The v1 API is protobuf rendered as JSON: ids are
 * `{value}`, times `{nanoseconds}`, empty repeated fields are omitted. Readers never throw; the converters
 * decide what is required.
 */
import { MesosParseError } from '../parse';

export type JsonObject = Readonly<Record<string, unknown>>;

const EMPTY_OBJECT: JsonObject = Object.freeze({});
const EMPTY_ARRAY: readonly unknown[] = Object.freeze([]);

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value if it is an object, else an empty object. */
export function obj(value: unknown): JsonObject {
  return isObject(value) ? value : EMPTY_OBJECT;
}

/** The value if it is an array, else an empty array (protobuf omits empty repeated fields). */
export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY_ARRAY;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A protobuf id message `{value: "..."}`; a bare string is accepted too (some writers flatten ids). */
export function idValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isObject(value) ? str(value['value']) : undefined;
}

/** `TimeInfo` `{nanoseconds}` as float seconds (the v0 unit); a bare number is taken as seconds already. */
export function timeSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const nanos = isObject(value) ? num(value['nanoseconds']) : undefined;
  return nanos === undefined ? undefined : nanos / 1e9;
}

/** A required id: throws a `MesosParseError` naming where it is missing. */
export function requireId(value: unknown, path: string): string {
  const id = idValue(value);
  if (id === undefined || id === '') {
    throw new MesosParseError(`Invalid v1 operator JSON at ${path}: expected an id {value}`, path, []);
  }
  return id;
}

/** `[{type: "X"}, ...]` capability messages as the v0 list of names. */
export function capabilityNames(value: unknown): string[] {
  const out: string[] = [];
  for (const entry of arr(value)) {
    const type = typeof entry === 'string' ? entry : str(obj(entry)['type']);
    if (type) out.push(type);
  }
  return out;
}

/** v1 `Labels` (`{labels: [...]}`) or a bare label array, as the v0 `[{key, value}]`. */
export function labelList(value: unknown): { key: string; value?: string }[] | undefined {
  const list = Array.isArray(value) ? value : isObject(value) ? arr(value['labels']) : undefined;
  if (!list) return undefined;
  const out: { key: string; value?: string }[] = [];
  for (const entry of list) {
    const key = str(obj(entry)['key']);
    if (key === undefined) continue;
    const text = str(obj(entry)['value']);
    out.push(text === undefined ? { key } : { key, value: text });
  }
  return out;
}
