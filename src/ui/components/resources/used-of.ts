import type { ResourceKind } from './format';
import { formatResource } from './format';

/** "Used / Allocated": `used` null is unknown ("-"; GPUs are never measured, "N/A", as in the Mesos UI). */
export function formatUsedOf(kind: ResourceKind, used: number | null, of: number): string {
  const left = used === null ? (kind === 'gpus' ? 'N/A' : '-') : formatResource(kind, used);
  return `${left} / ${formatResource(kind, of)}`;
}
