/**
 * Dominant Resource Fairness as Mesos's hierarchical allocator sorts with it (src/master/allocator/sorter/drf):
 * a client's share is the largest fraction it holds of any scalar resource of the cluster, divided by its
 * weight; clients are visited smallest share first, ties by name.
 */
import type { Resources } from '../../../mesos/resources';

const SCALARS = ['cpus', 'gpus', 'mem', 'disk'] as const;

/** The dominant share of `allocated` in `total`, weighted. */
export function dominantShare(allocated: Resources, total: Resources, weight = 1): number {
  let share = 0;
  for (const key of SCALARS) {
    if (total[key] > 0) share = Math.max(share, allocated[key] / total[key]);
  }
  return share / (weight > 0 ? weight : 1);
}

/** Clients sorted as the DRF sorter visits them. */
export function drfOrder<T>(
  clients: readonly T[],
  name: (client: T) => string,
  share: (client: T) => number,
): T[] {
  return clients
    .map((client) => ({ client, share: share(client), name: name(client) }))
    .sort((a, b) => a.share - b.share || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => entry.client);
}
