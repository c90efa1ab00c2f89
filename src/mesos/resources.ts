import type { MasterState } from './master-state';

export interface Resources {
  cpus: number;
  gpus: number;
  /** MB, as Mesos reports it. */
  mem: number;
  /** MB, as Mesos reports it. */
  disk: number;
}

export type ResourceKind = keyof Resources;

export const RESOURCE_KINDS: readonly ResourceKind[] = ['cpus', 'gpus', 'mem', 'disk'];

export const ZERO_RESOURCES: Resources = Object.freeze({ cpus: 0, gpus: 0, mem: 0, disk: 0 });

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Reads cpus/gpus/mem/disk from a v0 resources object; anything missing or non-numeric is 0. */
export function toResources(value: unknown): Resources {
  if (typeof value !== 'object' || value === null) return { ...ZERO_RESOURCES };
  const record = value as Record<string, unknown>;
  return {
    cpus: numberOr0(record['cpus']),
    gpus: numberOr0(record['gpus']),
    mem: numberOr0(record['mem']),
    disk: numberOr0(record['disk']),
  };
}

/** Sets `into` to what {@link toResources} reads of `value`, without making an object for it. */
function setResourcesOf(into: Resources, value: unknown): void {
  into.cpus = into.gpus = into.mem = into.disk = 0;
  addResourcesOf(into, value);
}

/** Adds what {@link toResources} reads of `value` to `into`, without making an object for it. */
function addResourcesOf(into: Resources, value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  into.cpus += numberOr0(record['cpus']);
  into.gpus += numberOr0(record['gpus']);
  into.mem += numberOr0(record['mem']);
  into.disk += numberOr0(record['disk']);
}

/** a + b, per resource. */
export function addResources(a: Resources, b: Resources): Resources {
  return { cpus: a.cpus + b.cpus, gpus: a.gpus + b.gpus, mem: a.mem + b.mem, disk: a.disk + b.disk };
}

/** a − b, per resource (not clamped). */
export function subtractResources(a: Resources, b: Resources): Resources {
  return { cpus: a.cpus - b.cpus, gpus: a.gpus - b.gpus, mem: a.mem - b.mem, disk: a.disk - b.disk };
}

/**
 * A scalar as Mesos keeps it: fixed point with three decimals, so sums and differences never show float noise
 * such as 0.30000000000000004 (and never -0).
 */
export function roundScalar(value: number): number {
  const rounded = Math.round(value * 1000) / 1000;
  return rounded === 0 ? 0 : rounded;
}

/** Each resource rounded as {@link roundScalar} rounds. */
export function roundResources<T extends Resources>(r: T): T {
  return {
    ...r,
    cpus: roundScalar(r.cpus),
    gpus: roundScalar(r.gpus),
    mem: roundScalar(r.mem),
    disk: roundScalar(r.disk),
  };
}

/** Each resource at least 0: a difference of sums can come out as −1e-15, or a reading race behind another. */
export function clampResources<T extends Resources>(r: T): T {
  return {
    ...r,
    cpus: Math.max(0, r.cpus),
    gpus: Math.max(0, r.gpus),
    mem: Math.max(0, r.mem),
    disk: Math.max(0, r.disk),
  };
}

/** `into += sign × r` per resource, rounded as Mesos rounds: totals kept up to date as things come and go. */
export function accumulateResources(into: Resources, r: Resources, sign: 1 | -1 = 1): void {
  into.cpus = roundScalar(into.cpus + sign * r.cpus);
  into.gpus = roundScalar(into.gpus + sign * r.gpus);
  into.mem = roundScalar(into.mem + sign * r.mem);
  into.disk = roundScalar(into.disk + sign * r.disk);
}

/** Σ of the SCALAR entries named `name` in a protobuf-JSON `Resource[]` (an offer's, a task's); else 0. */
export function sumScalar(resources: unknown, name: string): number {
  if (!Array.isArray(resources)) return 0;
  let sum = 0;
  for (const entry of resources as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const resource = entry as { name?: unknown; type?: unknown; scalar?: { value?: unknown } };
    if (resource.name !== name || (resource.type !== undefined && resource.type !== 'SCALAR')) continue;
    sum += numberOr0(resource.scalar?.value);
  }
  return roundScalar(sum);
}

/** Σ list, per resource. */
export function sumResources(list: readonly Resources[]): Resources {
  return list.reduce(addResources, { ...ZERO_RESOURCES });
}

export interface ClusterResources {
  total: Resources;
  allocated: Resources;
  offered: Resources;
  idle: Resources;
}

/**
 * The home page resources table, computed like the Mesos UI: total = Σ agents' resources,
 * offered = Σ outstanding offers, allocated = Σ frameworks' resources − offered,
 * idle = total − offered − allocated.
 */
export function clusterResources(state: MasterState): ClusterResources {
  // Summed in place, in the order sums of objects would take (the same floats): the history samples 10,000
  // agents and 1,000 frameworks every few seconds.
  const total = { ...ZERO_RESOURCES };
  for (const agent of state.slaves) addResourcesOf(total, agent.resources);
  const offered = { ...ZERO_RESOURCES };
  const allocated = { ...ZERO_RESOURCES };
  const frameworkOffered = { ...ZERO_RESOURCES };
  const frameworkTotal = { ...ZERO_RESOURCES };
  for (const framework of state.frameworks) {
    // An empty offer list falls back to offered_resources; Mesos keeps the two consistent
    // (up to float noise), and some writers omit offers altogether.
    if (framework.offers.length > 0) {
      setResourcesOf(frameworkOffered, null);
      for (const offer of framework.offers) addResourcesOf(frameworkOffered, offer.resources);
    } else setResourcesOf(frameworkOffered, framework.offered_resources);
    // Framework `resources` (= used + offered) is missing in some old versions.
    if (framework.resources) setResourcesOf(frameworkTotal, framework.resources);
    else {
      setResourcesOf(frameworkTotal, framework.used_resources);
      addResourcesOf(frameworkTotal, framework.offered_resources);
    }
    for (const kind of RESOURCE_KINDS) {
      offered[kind] += frameworkOffered[kind];
      allocated[kind] += frameworkTotal[kind] - frameworkOffered[kind];
    }
  }
  const idle = subtractResources(subtractResources(total, offered), allocated);
  return { total, allocated, offered, idle };
}

/** Dominant share: the largest used/total ratio over cpus, gpus, mem and disk, in 0..1. */
export function maxShare(used: Resources, total: Resources): number {
  let share = 0;
  for (const kind of RESOURCE_KINDS) {
    if (total[kind] > 0) share = Math.max(share, used[kind] / total[kind]);
  }
  return Math.min(1, Math.max(0, share));
}

/** Rounds to at most 4 decimals and drops trailing zeros (the Mesos UI `decimalFloat`). */
export function formatDecimal(value: number): string {
  const rounded = Number.parseFloat(value.toFixed(4));
  // Avoid "-0" from float noise such as -1e-15.
  return String(rounded === 0 ? 0 : rounded);
}

const KB = 1024;
const MB = KB * 1024;
const GB = MB * 1024;
const TB = GB * 1024;
const PB = TB * 1024;

/** Byte count as the Mesos UI `dataSize`: base 1024, B/KB/MB without decimals, GB/TB/PB with one. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '';
  const magnitude = Math.abs(bytes);
  if (magnitude < 0.5) return '0 B';
  if (magnitude < KB) return `${bytes.toFixed()} B`;
  if (magnitude < MB) return `${(bytes / KB).toFixed()} KB`;
  if (magnitude < GB) return `${(bytes / MB).toFixed()} MB`;
  if (magnitude < TB) return `${(bytes / GB).toFixed(1)} GB`;
  if (magnitude < PB) return `${(bytes / TB).toFixed(1)} TB`;
  return `${(bytes / PB).toFixed(1)} PB`;
}

const CORES = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

/** CPUs and GPUs to at most 2 decimals with thousands separators ("1,250.5"); a sliver is "<0.01", not "0". */
function formatCores(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.005 && Math.abs(value) > 1e-9) return value > 0 ? '<0.01' : '>-0.01';
  const text = CORES.format(value);
  return text === '-0' ? '0' : text;
}

/** Formats a resource amount: cpus/gpus as decimals, mem/disk (MB) as a data size. */
export function formatResource(kind: ResourceKind, value: number): string {
  return kind === 'mem' || kind === 'disk' ? formatBytes(value * MB) : formatCores(value);
}
