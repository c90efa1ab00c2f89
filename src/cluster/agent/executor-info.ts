/**
 * Reading what schedulers send (v1 `TaskInfo`, `ExecutorInfo`, `CommandInfo`, `Resource` as JSON) into the
 * local cluster's records, and what Mesos writes back about an executor's environment.
 */
import type { CommandUri, V1Json } from './launch-contract';
import { emptyResources, normalizeRanges } from '../master/resources';
import type { ClusterResources, PortRange } from '../master/resources';
import { roundScalar } from '../../mesos/resources';

/** `{value}` of an id message, or '' when absent. */
export function idValue(id: unknown): string {
  if (typeof id === 'object' && id !== null) {
    const value = (id as { value?: unknown }).value;
    if (typeof value === 'string') return value;
  }
  return '';
}

export function asObject(value: unknown): V1Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as V1Json) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** v1 `Resource[]` to the local cluster's bundle (scalars and `ports` ranges; other names are ignored). */
export function resourcesFromV1(resources: unknown): ClusterResources {
  const out = emptyResources();
  const ports: PortRange[] = [];
  for (const item of asArray(resources)) {
    const resource = asObject(item);
    if (!resource) continue;
    const name = resource.name;
    if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus') {
      out[name] = roundScalar(out[name] + asNumber(asObject(resource.scalar)?.value));
    } else if (name === 'ports') {
      for (const range of asArray(asObject(resource.ranges)?.range)) {
        const r = asObject(range);
        if (r) ports.push([asNumber(r.begin), asNumber(r.end)]);
      }
    }
  }
  out.ports = normalizeRanges(ports);
  return out;
}

/** The role the resources are allocated to (`allocation_info.role`), if any says. */
export function allocationRole(resources: unknown): string | undefined {
  for (const item of asArray(resources)) {
    const role = asObject(asObject(item)?.allocation_info)?.role;
    if (typeof role === 'string') return role;
  }
  return undefined;
}

/** `Labels` as the key/value record the task extras take. */
export function labelsFromV1(labels: unknown): Record<string, string> | undefined {
  const list = asArray(asObject(labels)?.labels);
  if (list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const label = asObject(item);
    if (label && typeof label.key === 'string')
      out[label.key] = typeof label.value === 'string' ? label.value : '';
  }
  return out;
}

/** The command line a `CommandInfo` runs: `sh -c value`, or `value` with its `arguments` (argv[0] first). */
export function shellCommand(command: V1Json | undefined): string {
  const value = typeof command?.value === 'string' ? command.value : '';
  if (command?.shell !== false) return value;
  const args = asArray(command.arguments).filter((a): a is string => typeof a === 'string');
  return ['exec', quote(value), ...args.slice(1).map(quote)].join(' ');
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `CommandInfo.environment` variables of type VALUE (secrets have no store here). */
export function environmentOf(command: V1Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of asArray(asObject(command?.environment)?.variables)) {
    const variable = asObject(item);
    if (!variable || typeof variable.name !== 'string') continue;
    if (variable.type !== undefined && variable.type !== 'VALUE') continue;
    out[variable.name] = typeof variable.value === 'string' ? variable.value : '';
  }
  return out;
}

/** `CommandInfo.uris`, keeping only entries with a string `value`. */
export function urisOf(command: V1Json | undefined): CommandUri[] {
  return asArray(command?.uris).flatMap((item) => {
    const uri = asObject(item);
    if (!uri || typeof uri.value !== 'string') return [];
    return [
      {
        value: uri.value,
        ...(typeof uri.executable === 'boolean' && { executable: uri.executable }),
        ...(typeof uri.extract === 'boolean' && { extract: uri.extract }),
        ...(typeof uri.output_file === 'string' && { output_file: uri.output_file }),
      },
    ];
  });
}

/** How stout prints a Duration (`5secs`, `1mins`, `500ms`): what Mesos puts in executor environments. */
export function stringifyDuration(ms: number): string {
  const units: [number, string][] = [
    [7 * 24 * 3600_000, 'weeks'],
    [24 * 3600_000, 'days'],
    [3600_000, 'hrs'],
    [60_000, 'mins'],
    [1000, 'secs'],
    [1, 'ms'],
  ];
  for (const [size, name] of units) {
    if (ms >= size) return `${Number((ms / size).toPrecision(15))}${name}`;
  }
  return `${ms * 1_000_000}ns`;
}

/** Mesos's `validateID` (src/common/validation.cpp): ids name directories, so some are refused. */
export function invalidId(id: string): string | undefined {
  if (id === '') return 'ID must not be empty';
  if (Buffer.byteLength(id) > 255) return 'ID must not be greater than 255 characters';
  if (id === '.' || id === '..') return `'${id}' is disallowed`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\]/.test(id)) return `'${id}' contains invalid characters`;
  return undefined;
}
