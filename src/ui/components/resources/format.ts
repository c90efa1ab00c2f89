import type { ResourceKind, Resources } from '../../../mesos/resources';
import { formatBytes, formatResource } from '../../../mesos/resources';

export { formatBytes, formatResource };
export type { ResourceKind, Resources };

export const RESOURCE_COLUMNS: ReadonlyArray<{ kind: ResourceKind; label: string }> = [
  { kind: 'cpus', label: 'CPUs' },
  { kind: 'gpus', label: 'GPUs' },
  { kind: 'mem', label: 'Mem' },
  { kind: 'disk', label: 'Disk' },
];

/** "Allocated / Total", e.g. "1.5 / 4" or "512 MB / 15 GB". */
export function formatUsage(kind: ResourceKind, used: number, total: number): string {
  return `${formatResource(kind, used)} / ${formatResource(kind, total)}`;
}

/** A 0..1 share as a percentage, e.g. 0.1234 → "12.3%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '-';
  return `${(share * 100).toFixed(1)}%`;
}
