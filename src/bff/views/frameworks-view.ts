import type { Framework, Resources } from '../../mesos';
import { clusterResources, frameworkRoles, maxShare, toResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { FrameworkGroup, FrameworkRow, FrameworksPage, FrameworksView } from '../schemas/views';
import type { ListQuery } from './list-page';
import { listPage } from './list-page';

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

/** One page of one frameworks table, filtered and sorted by the column ids of the Frameworks tables. */
export function frameworksPageView(
  snapshot: ClusterSnapshot,
  group: FrameworkGroup,
  query: ListQuery,
): FrameworksPage {
  const { total } = clusterResources(snapshot.state);
  const { frameworks, completed_frameworks: completed } = snapshot.state;
  const list =
    group === 'completed'
      ? completed
      : frameworks.filter((framework) => (framework.active !== false) === (group === 'active'));
  const page = listPage(
    list.map((framework) => frameworkRow(framework, total)),
    query,
    {
      text: (row) =>
        [row.id, row.name, row.hostname ?? '', row.user ?? '', row.roles.join(' '), row.principal ?? ''].join(
          '\n',
        ),
      sortBy: {
        id: (row) => row.id,
        host: (row) => row.hostname ?? '',
        user: (row) => row.user ?? '',
        name: (row) => row.name,
        roles: (row) => row.roles.join(', '),
        principal: (row) => row.principal ?? '',
        activeTasks: (row) => row.activeTasks,
        cpus: (row) => row.resources.cpus,
        gpus: (row) => row.resources.gpus,
        mem: (row) => row.resources.mem,
        disk: (row) => row.resources.disk,
        maxShare: (row) => row.maxShare,
        registeredTime: (row) => row.registeredTime,
        reregisteredTime: (row) => row.reregisteredTime,
        unregisteredTime: (row) => row.unregisteredTime,
      },
      id: (row) => row.id,
    },
    snapshot.fetchedAt,
  );
  return { ...page, group };
}
