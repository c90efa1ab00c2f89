/**
 * How a Mesos master reads the bodies of its write endpoints: form-encoded fields (libprocess
 * `http::query::decode`), JSON (stout's `JSON::parse`) and protobuf messages in JSON (stout's `protobuf::parse`),
 * each failing with the text Mesos puts in its 400.
 */
import type { ClusterResources, PortRange } from '../master/resources';
import { emptyResources, normalizeRanges } from '../master/resources';

/** libprocess `http::decode`: `+` is a space, `%XX` a byte; a bad escape is an error naming it. */
function percentDecode(text: string): string | { error: string } {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char !== '%') {
      for (const byte of Buffer.from(char === '+' ? ' ' : char, 'utf8')) bytes.push(byte);
      continue;
    }
    const hex = text.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex))
      return { error: `Malformed % escape in '${text}': '${text.slice(i, i + 3)}'` };
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `http::query::decode` of a form body (`a=1&b=2`, `;` also separates); the last value of a key wins. */
export function decodeForm(body: string): Map<string, string> | { error: string } {
  const out = new Map<string, string>();
  for (const token of body.split(/[;&]/)) {
    if (token === '') continue;
    const equals = token.indexOf('=');
    const key = percentDecode(equals < 0 ? token : token.slice(0, equals));
    if (typeof key !== 'string') return key;
    const value = equals < 0 ? '' : percentDecode(token.slice(equals + 1));
    if (typeof value !== 'string') return value;
    out.set(key, value);
  }
  return out;
}

/** stout `JSON::parse`: the value, or picojson's kind of message. */
export function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    const trimmed = text.trim();
    if (trimmed === '') return { error: 'syntax error at line 1 near: ' };
    return { error: `syntax error at line 1 near: ${trimmed.slice(0, 80)}` };
  }
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** stout `protobuf::parse`'s error for a value of the wrong JSON type in a field. */
export function protobufError(value: unknown, field: string): string {
  return `Not expecting a JSON ${jsonKind(value)} for field '${field}'`;
}

/** A dynamic reservation as the request states it. */
export interface RequestedReservation {
  role: string;
  principal?: string;
  type: string;
}

/** One role's part of a RESERVE or UNRESERVE request. */
export interface RequestedResources {
  role: string | undefined;
  principal: string | undefined;
  dynamic: boolean;
  /** Set when the resource names something the local agents do not have (e.g. a custom resource). */
  unknownName?: string;
  resources: ClusterResources;
  /** How Mesos logs the resource, for errors. */
  text: string;
}

const SCALAR_NAMES = new Set(['cpus', 'gpus', 'mem', 'disk']);

/**
 * Parses a JSON `Resource` (refinement format with `reservations`, or the pre-1.4 `role` + `reservation`
 * format that `validateAndUpgradeResources` upgrades).
 */
export function parseResource(value: unknown): RequestedResources | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Expecting a JSON object';
  const resource = value as Record<string, unknown>;
  const { name, type } = resource;
  const missing = ['name', 'type'].filter((key) => resource[key] === undefined);
  if (missing.length > 0) return `Missing required fields: ${missing.join(', ')}`;
  if (typeof name !== 'string') return protobufError(name, 'name');
  if (typeof type !== 'string') return protobufError(type, 'type');
  if (!['SCALAR', 'RANGES', 'SET', 'TEXT'].includes(type)) return `Failed to find enum for '${type}'`;

  const out = emptyResources();
  let text: string;
  if (type === 'SCALAR') {
    const scalar = resource.scalar as { value?: unknown } | undefined;
    const amount = scalar?.value;
    if (typeof amount !== 'number' || !Number.isFinite(amount))
      return `Invalid resource '${name}': a SCALAR needs 'scalar.value'`;
    if (amount < 0) return `Invalid resources: Resource '${name}:${amount}' is invalid: negative value`;
    if (SCALAR_NAMES.has(name)) out[name as 'cpus'] = amount;
    text = `${name}:${amount}`;
  } else if (type === 'RANGES') {
    const ranges = (resource.ranges as { range?: unknown } | undefined)?.range;
    if (!Array.isArray(ranges)) return `Invalid resource '${name}': a RANGES needs 'ranges.range'`;
    const parsed: PortRange[] = [];
    for (const range of ranges) {
      const { begin, end } = (range ?? {}) as { begin?: unknown; end?: unknown };
      if (!Number.isInteger(begin) || !Number.isInteger(end) || (begin as number) > (end as number))
        return `Invalid resource '${name}': each range needs integer 'begin' <= 'end'`;
      parsed.push([begin as number, end as number]);
    }
    if (name === 'ports') out.ports = normalizeRanges(parsed);
    text = `${name}:[${parsed.map(([b, e]) => `${b}-${e}`).join(', ')}]`;
  } else {
    text = name;
  }

  let reservation: RequestedReservation | undefined;
  const reservations = resource.reservations;
  if (reservations !== undefined) {
    if (!Array.isArray(reservations)) return protobufError(reservations, 'reservations');
    const last = reservations.at(-1) as Record<string, unknown> | undefined;
    if (last !== undefined) {
      if (typeof last !== 'object' || last === null) return protobufError(last, 'reservations');
      if (typeof last.role !== 'string') return 'Invalid reservation: a reservation needs a role';
      reservation = {
        role: last.role,
        type: typeof last.type === 'string' ? last.type : 'DYNAMIC',
        ...(typeof last.principal === 'string' && { principal: last.principal }),
      };
    }
  } else if (typeof resource.role === 'string' && resource.role !== '*') {
    const legacy = resource.reservation as { principal?: unknown } | undefined;
    reservation = {
      role: resource.role,
      // Without `reservation`, a pre-refinement role is a static reservation.
      type: legacy ? 'DYNAMIC' : 'STATIC',
      ...(typeof legacy?.principal === 'string' && { principal: legacy.principal }),
    };
  }
  if (reservation?.role === '*') return 'Invalid reservation: role "*" cannot be dynamically reserved';
  if (reservation) text += `(reservations: [(${reservation.type},${reservation.role})])`;
  return {
    role: reservation?.role,
    principal: reservation?.principal,
    dynamic: reservation?.type === 'DYNAMIC',
    ...((SCALAR_NAMES.has(name) || name === 'ports') && type === (name === 'ports' ? 'RANGES' : 'SCALAR')
      ? {}
      : { unknownName: name }),
    resources: out,
    text,
  };
}

/** Parses a JSON array of `Resource`s. */
export function parseResourceList(value: unknown): RequestedResources[] | string {
  if (!Array.isArray(value)) return 'Expecting a JSON array';
  const out: RequestedResources[] = [];
  for (const entry of value) {
    const parsed = parseResource(entry);
    if (typeof parsed === 'string') return parsed;
    out.push(parsed);
  }
  return out;
}
