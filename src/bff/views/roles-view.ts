import type { RolesResponse } from '../../mesos';
import { quotaAmounts, toResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { Freshness, RolesView } from '../schemas/detail-views';

/** The Mesos roles page from `/master/roles`; framework ids are named from the latest snapshot. */
export function rolesView(
  roles: RolesResponse,
  snapshot: ClusterSnapshot | null,
  freshness: Freshness,
): RolesView {
  const allocatedIncludesOffered = roles.roles.some((role) => !role.allocated && role.resources);
  return {
    ...freshness,
    supported: true,
    allocatedIncludesOffered,
    roles: roles.roles.map((role) => ({
      name: role.name,
      weight: role.weight,
      frameworks: role.frameworks.map((id) => ({
        id,
        name: snapshot?.frameworksById.get(id)?.name ?? null,
      })),
      allocated: toResources(role.allocated ?? role.resources),
      offered: toResources(role.offered),
      reserved: toResources(role.reserved),
      quota: {
        guarantee: quotaAmounts(role.quota?.guarantee),
        limit: quotaAmounts(role.quota?.limit),
        consumed: quotaAmounts(role.quota?.consumed),
      },
    })),
  };
}
