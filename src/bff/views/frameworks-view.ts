import type { Framework, Resources } from '../../mesos';
import { clusterResources, frameworkRoles, maxShare, toResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { FrameworkRow, FrameworksView } from '../schemas/views';

/** One row of the frameworks tables; `clusterTotal` is what Max Share is measured against. */
export function frameworkRow(framework: Framework, clusterTotal: Resources): FrameworkRow {
  const resources = toResources(framework.used_resources ?? framework.resources);
  return {
    id: framework.id,
    name: framework.name ?? '',
    hostname: framework.hostname ?? null,
    webuiUrl: framework.webui_url || null,
    user: framework.user ?? null,
    roles: frameworkRoles(framework),
    principal: framework.principal ?? null,
    active: framework.active !== false,
    connected: framework.connected ?? null,
    activeTasks: framework.tasks.length,
    resources,
    maxShare: maxShare(resources, clusterTotal),
    registeredTime: framework.registered_time ?? null,
    reregisteredTime: framework.reregistered_time ?? null,
    unregisteredTime: framework.unregistered_time || null,
  };
}

export function frameworksView(snapshot: ClusterSnapshot): FrameworksView {
  const { total } = clusterResources(snapshot.state);
  const registered = snapshot.state.frameworks.map((framework) => frameworkRow(framework, total));
  return {
    snapshotAt: snapshot.fetchedAt,
    active: registered.filter((row) => row.active),
    inactive: registered.filter((row) => !row.active),
    completed: snapshot.state.completed_frameworks.map((framework) => frameworkRow(framework, total)),
  };
}
