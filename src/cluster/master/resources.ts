/**
 * Resource arithmetic and the two v0 JSON renderings Mesos uses:
 * the flat "Resources object" (`{cpus, gpus, mem, disk, ports: "[a-b, c-d]"}`, mem/disk in MB)
 * and the full protobuf `Resource[]` form used by the `*_full` fields.
 */
import {
  addResources as addScalarResources,
  clampResources,
  roundResources,
  subtractResources as subtractScalarResources,
} from '../../mesos/resources';

/** Inclusive port range `[begin, end]`. */
export type PortRange = readonly [number, number];

/** Resources of an agent, task, offer or framework. `mem` and `disk` are MB. */
export interface ClusterResources {
  cpus: number;
  gpus: number;
  mem: number;
  disk: number;
  ports: PortRange[];
}

/** What a local agent offers unless told otherwise. */
export const DEFAULT_AGENT_RESOURCES: Readonly<ClusterResources> = Object.freeze({
  cpus: 4,
  gpus: 0,
  mem: 8192,
  disk: 20000,
  ports: [[31000, 32000] as const],
});

const LOCAL_PORT_BLOCK = 100;
const LOCAL_PORT_BLOCKS = 10;

/**
 * The ports local agent `index` offers unless told otherwise: its own block of 100 from 31000 (agent 0
 * 31000-31099, agent 1 31100-31199, ... agent 10 again 31000-31099). Every local agent runs its tasks on this
 * one machine, so agents offering the same range would hand two tasks the same port and the second could not
 * bind it.
 */
export function defaultLocalAgentPorts(index: number): PortRange[] {
  const begin = DEFAULT_AGENT_RESOURCES.ports[0]![0] + (index % LOCAL_PORT_BLOCKS) * LOCAL_PORT_BLOCK;
  return [[begin, begin + LOCAL_PORT_BLOCK - 1]];
}

/** Resources with nothing in them. */
export function emptyResources(): ClusterResources {
  return { cpus: 0, gpus: 0, mem: 0, disk: 0, ports: [] };
}

/** Normalizes ranges: sorted, merged where they touch or overlap. */
export function normalizeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = [...ranges].filter(([b, e]) => e >= b).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [b, e] of sorted) {
    const last = out[out.length - 1];
    if (last && b <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([b, e]);
  }
  return out;
}

/** Ranges in `a` that are not in `b`. */
export function subtractRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  let current = normalizeRanges(a);
  for (const [rb, re] of normalizeRanges(b)) {
    const next: PortRange[] = [];
    for (const [b0, e0] of current) {
      if (re < b0 || rb > e0) next.push([b0, e0]);
      else {
        if (rb > b0) next.push([b0, rb - 1]);
        if (re < e0) next.push([re + 1, e0]);
      }
    }
    current = next;
  }
  return current;
}

function rangesContain(outer: readonly PortRange[], inner: readonly PortRange[]): boolean {
  return subtractRanges(inner, outer).length === 0;
}

/** Sum of two resource bundles. */
export function addResources(a: ClusterResources, b: ClusterResources): ClusterResources {
  return {
    ...roundResources(addScalarResources(a, b)),
    ports: normalizeRanges([...a.ports, ...b.ports]),
  };
}

/** `a - b`, clamped at zero. */
export function subtractResources(a: ClusterResources, b: ClusterResources): ClusterResources {
  return {
    ...clampResources(roundResources(subtractScalarResources(a, b))),
    ports: subtractRanges(a.ports, b.ports),
  };
}

/** True when `wanted` fits into `available`. */
export function fits(wanted: ClusterResources, available: ClusterResources): boolean {
  const eps = 1e-9;
  return (
    wanted.cpus <= available.cpus + eps &&
    wanted.gpus <= available.gpus + eps &&
    wanted.mem <= available.mem + eps &&
    wanted.disk <= available.disk + eps &&
    rangesContain(available.ports, wanted.ports)
  );
}

/** Sums many bundles. */
export function sumResources(list: Iterable<ClusterResources>): ClusterResources {
  let total = emptyResources();
  for (const r of list) total = addResources(total, r);
  return total;
}

/** Picks the `count` lowest free ports from `available`. */
export function pickPorts(available: readonly PortRange[], count: number): PortRange[] | undefined {
  const picked: PortRange[] = [];
  let remaining = count;
  for (const [b, e] of normalizeRanges(available)) {
    if (remaining <= 0) break;
    const take = Math.min(remaining, e - b + 1);
    picked.push([b, b + take - 1]);
    remaining -= take;
  }
  return remaining > 0 ? undefined : normalizeRanges(picked);
}

/** Renders ranges as Mesos does: `"[31000-31000, 31005-32000]"`. */
export function formatRanges(ranges: readonly PortRange[]): string {
  return `[${normalizeRanges(ranges)
    .map(([b, e]) => `${b}-${e}`)
    .join(', ')}]`;
}

/** The v0 "Resources object": cpus/gpus/mem/disk always present, `ports` only when non-empty. */
export function resourcesJson(r: ClusterResources): Record<string, number | string> {
  const out: Record<string, number | string> = { cpus: r.cpus, gpus: r.gpus, mem: r.mem, disk: r.disk };
  if (r.ports.length > 0) out.ports = formatRanges(r.ports);
  return out;
}

/** Only the non-zero scalars, as `/master/roles` writes `allocated`/`offered`/`reserved`. */
export function scalarMapJson(r: ClusterResources): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) if (r[key] > 0) out[key] = r[key];
  return out;
}

/** The protobuf `Resource[]` rendering ("endpoint" format) used by `*_full` fields. */
export function resourcesFullJson(r: ClusterResources, role = '*'): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    if (r[key] > 0) out.push({ name: key, type: 'SCALAR', scalar: { value: r[key] }, role });
  }
  if (r.ports.length > 0) {
    out.push({
      name: 'ports',
      type: 'RANGES',
      ranges: { range: normalizeRanges(r.ports).map(([begin, end]) => ({ begin, end })) },
      role,
    });
  }
  return out;
}
