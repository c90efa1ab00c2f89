import { toResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { OffersView } from '../schemas/detail-views';

/** Outstanding offers (the Mesos offers page): role, framework, agent and resources of each. */
export function offersView(snapshot: ClusterSnapshot): OffersView {
  return {
    snapshotAt: snapshot.fetchedAt,
    offers: snapshot.state.frameworks.flatMap((framework) =>
      framework.offers.map((offer) => ({
        id: offer.id,
        role: offer.allocation_info?.role ?? framework.role ?? null,
        frameworkId: offer.framework_id || framework.id,
        frameworkName: framework.name,
        agentId: offer.slave_id,
        agentHostname: snapshot.agentsById.get(offer.slave_id)?.hostname ?? null,
        resources: toResources(offer.resources),
      })),
    ),
  };
}
