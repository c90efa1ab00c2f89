import { clusterResources, sumResources, taskCountsFromTasks, toResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { FrameworkDetailView } from '../schemas/detail-views';
import { frameworkRow } from './frameworks-view';

/**
 * One framework (the Mesos framework page), or null when the master knows no framework with that id. Like the
 * Mesos UI, completed frameworks are looked up first.
 */
export function frameworkDetailView(
  snapshot: ClusterSnapshot,
  frameworkId: string,
): FrameworkDetailView | null {
  const { state } = snapshot;
  const completed = state.completed_frameworks.find((framework) => framework.id === frameworkId);
  const framework = completed ?? state.frameworks.find((candidate) => candidate.id === frameworkId);
  if (!framework) return null;
  const { total } = clusterResources(state);
  const offered =
    framework.offers.length > 0
      ? sumResources(framework.offers.map((offer) => toResources(offer.resources)))
      : toResources(framework.offered_resources);
  return {
    snapshotAt: snapshot.fetchedAt,
    framework: frameworkRow(framework, total),
    terminated: completed !== undefined,
    tasks: taskCountsFromTasks([
      ...framework.tasks,
      ...framework.unreachable_tasks,
      ...framework.completed_tasks,
    ]),
    allocated: toResources(framework.used_resources ?? framework.resources),
    offered,
    capabilities: framework.capabilities ?? [],
    failoverTimeout: framework.failover_timeout ?? null,
    checkpoint: framework.checkpoint ?? null,
    offers: framework.offers.length,
  };
}
