import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type {
  MarathonAppStatus,
  MarathonAppView,
  MarathonAppsView,
  MarathonDeploymentView,
  MarathonFreshness,
  MarathonInstances,
  MarathonTaskRow,
  MarathonTreeRow,
} from '../schemas/marathon';
import { MARATHON_APP_STATUSES } from '../schemas/marathon';
import type { MarathonApp, MarathonDeployment, MarathonGroup } from './marathon-json';
import type { MarathonSnapshot, MarathonSource } from './marathon-source';

type AppRow = Extract<MarathonTreeRow, { kind: 'app' }>;
type GroupRow = Extract<MarathonTreeRow, { kind: 'group' }>;
type QueueEntry = MarathonSnapshot['queue'][number];

export function freshness(source: MarathonSource, snapshot: MarathonSnapshot | null): MarathonFreshness {
  return {
    key: source.key,
    url: source.url,
    fetchedAt: source.status.connected ? (snapshot?.fetchedAt ?? null) : source.status.lastSuccessAt,
    connected: source.status.connected,
    lastError: source.status.lastError,
  };
}

/**
 * An app's status as Marathon's UI derives it: in the launch queue with a delay still running (Delayed), or
 * overdue and not yet placed (Waiting), else in a deployment (Deploying), else scaled to nothing (Suspended).
 */
function appStatus(app: MarathonApp, queued: QueueEntry | undefined): MarathonAppStatus {
  if (queued?.delay && !queued.delay.overdue && queued.delay.timeLeftSeconds > 0) return 'Delayed';
  if (queued && queued.count > 0) return 'Waiting';
  if (app.deployments.length > 0) return 'Deploying';
  if (app.instances === 0 && app.tasksRunning === 0) return 'Suspended';
  return 'Running';
}

function instancesOf(app: MarathonApp): MarathonInstances {
  return {
    wanted: app.instances,
    running: app.tasksRunning,
    healthy: app.tasksHealthy,
    unhealthy: app.tasksUnhealthy,
    staged: app.tasksStaged,
  };
}

function queueByApp(snapshot: MarathonSnapshot): Map<string, QueueEntry> {
  const byApp = new Map<string, QueueEntry>();
  for (const entry of snapshot.queue) if (entry.app) byApp.set(entry.app.id, entry);
  return byApp;
}

export function appRow(app: MarathonApp, queued: QueueEntry | undefined): AppRow {
  const parent = parentOf(app.id);
  return {
    kind: 'app',
    id: app.id,
    parent,
    depth: depthOf(parent),
    status: appStatus(app, queued),
    instances: instancesOf(app),
    cpus: app.cpus,
    mem: app.mem,
    disk: app.disk,
    constraints: app.constraints.map((constraint) => constraint.filter((part) => part !== '').join(':')),
    cmd: app.cmd ?? null,
    image: app.container?.docker?.image ?? null,
    version: app.version ?? null,
    delaySeconds:
      queued?.delay && !queued.delay.overdue && queued.delay.timeLeftSeconds > 0
        ? queued.delay.timeLeftSeconds
        : null,
    lastFailure: app.lastTaskFailure
      ? `${app.lastTaskFailure.state}: ${app.lastTaskFailure.message}`.slice(0, 300)
      : null,
  };
}

/** `/a/b/c` → `/a/b`; an app or group at the top → `/`. */
function parentOf(id: string): string {
  const cut = id.replace(/\/+$/, '').lastIndexOf('/');
  return cut <= 0 ? '/' : id.slice(0, cut);
}

/** Depth of a row whose parent is `parent`: 0 under the root. */
function depthOf(parent: string): number {
  return parent === '/' ? 0 : parent.split('/').length - 1;
}

const emptyCounts = (): Record<MarathonAppStatus, number> =>
  Object.fromEntries(MARATHON_APP_STATUSES.map((status) => [status, 0])) as Record<MarathonAppStatus, number>;

/** Apps by status. */
export function statusCounts(snapshot: MarathonSnapshot): Record<MarathonAppStatus, number> {
  const queue = queueByApp(snapshot);
  const counts = emptyCounts();
  for (const app of snapshot.apps) counts[appStatus(app, queue.get(app.id))] += 1;
  return counts;
}

/**
 * The Apps page: groups (from `/v2/groups`, and every parent an app id names) and apps as one flat tree in
 * order: each group, then its groups, then its apps, each level by id. Groups sum what is under them.
 */
export function appsView(source: MarathonSource, snapshot: MarathonSnapshot): MarathonAppsView {
  const queue = queueByApp(snapshot);
  const appsByParent = new Map<string, AppRow[]>();
  const groupIds = new Set<string>();
  const dependencies = new Map<string, string[]>();
  const walk = (group: MarathonGroup) => {
    if (group.id !== '/' && group.id !== '') groupIds.add(group.id.replace(/\/+$/, ''));
    dependencies.set(group.id, group.dependencies);
    group.groups.forEach(walk);
  };
  if (snapshot.groups) walk(snapshot.groups);
  for (const app of snapshot.apps) {
    const row = appRow(app, queue.get(app.id));
    const list = appsByParent.get(row.parent) ?? [];
    list.push(row);
    appsByParent.set(row.parent, list);
    for (let parent = row.parent; parent !== '/'; parent = parentOf(parent)) groupIds.add(parent);
  }
  const groupsByParent = new Map<string, string[]>();
  for (const id of groupIds) {
    const parent = parentOf(id);
    const list = groupsByParent.get(parent) ?? [];
    list.push(id);
    groupsByParent.set(parent, list);
  }

  const rows: MarathonTreeRow[] = [];
  const visit = (parent: string): GroupRow | null => {
    const sum: GroupRow = {
      kind: 'group',
      id: parent,
      parent: parentOf(parent),
      depth: depthOf(parentOf(parent)),
      apps: 0,
      instances: { wanted: 0, running: 0, healthy: 0, unhealthy: 0, staged: 0 },
      cpus: 0,
      mem: 0,
      statuses: {},
    };
    const add = (row: AppRow | GroupRow) => {
      const apps = row.kind === 'app' ? 1 : row.apps;
      sum.apps += apps;
      for (const key of Object.keys(sum.instances) as (keyof MarathonInstances)[]) {
        sum.instances[key] += row.instances[key];
      }
      const scale = row.kind === 'app' ? row.instances.wanted : 1;
      sum.cpus += row.cpus * scale;
      sum.mem += row.mem * scale;
      if (row.kind === 'app') sum.statuses[row.status] = (sum.statuses[row.status] ?? 0) + 1;
      else {
        for (const [status, n] of Object.entries(row.statuses) as [MarathonAppStatus, number][]) {
          sum.statuses[status] = (sum.statuses[status] ?? 0) + n;
        }
      }
    };
    for (const id of (groupsByParent.get(parent) ?? []).sort(byId)) {
      const at = rows.length;
      rows.push(null as unknown as MarathonTreeRow);
      const group = visit(id)!;
      rows[at] = group;
      add(group);
    }
    for (const app of (appsByParent.get(parent) ?? []).sort((a, b) => byId(a.id, b.id))) {
      rows.push(app);
      add(app);
    }
    return sum;
  };
  visit('/');
  return {
    marathon: freshness(source, snapshot),
    frameworkId: snapshot.info?.frameworkId ?? null,
    rows,
    counts: statusCounts(snapshot),
  };
}

function byId(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function deploymentView(deployment: MarathonDeployment): MarathonDeploymentView {
  return {
    id: deployment.id,
    version: deployment.version,
    affectedApps: deployment.affectedApps,
    steps: deployment.steps,
    currentActions: deployment.currentActions,
    currentStep: deployment.currentStep,
    totalSteps: deployment.totalSteps || deployment.steps.length,
  };
}

/** Keys `/v2/apps` adds to an app definition at run time; the App page's JSON shows the definition without them. */
const RUNTIME_KEYS = new Set([
  'tasks',
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'lastTaskFailure',
  'tasksStats',
  'taskStats',
  'readinessCheckResults',
  'counts',
]);

type MesosTaskRef = NonNullable<MarathonTaskRow['mesos']>;
const mesosTasksCache = new WeakMap<ClusterSnapshot, Map<string, MesosTaskRef>>();

/** The cluster's live tasks by id (computed once per cluster snapshot). */
function mesosTasks(cluster: ClusterSnapshot | null): Map<string, MesosTaskRef> {
  if (!cluster) return new Map();
  let byId = mesosTasksCache.get(cluster);
  if (!byId) {
    byId = new Map();
    for (const row of [...cluster.tasks.active, ...cluster.tasks.unreachable]) {
      byId.set(row.id, {
        frameworkId: row.frameworkId,
        executorId: row.executorId,
        agentId: row.agentId,
        name: row.name,
      });
    }
    mesosTasksCache.set(cluster, byId);
  }
  return byId;
}

/** The App page; null when the app is not (or no longer) in Marathon. */
export function appView(
  source: MarathonSource,
  snapshot: MarathonSnapshot,
  cluster: ClusterSnapshot | null,
  id: string,
): MarathonAppView | null {
  const app = snapshot.apps.find((candidate) => candidate.id === id);
  if (!app) return null;
  const queued = queueByApp(snapshot).get(app.id);
  const frameworkId = snapshot.info?.frameworkId ?? null;
  const known = mesosTasks(cluster);
  const tasks: MarathonTaskRow[] = app.tasks.map((task) => {
    const results = task.healthCheckResults.map((result) => ({
      alive: result.alive,
      consecutiveFailures: result.consecutiveFailures,
      firstSuccess: result.firstSuccess ?? null,
      lastSuccess: result.lastSuccess ?? null,
      lastFailure: result.lastFailure ?? null,
      lastFailureCause: result.lastFailureCause ?? null,
    }));
    const mesos = known.get(task.id) ?? null;
    return {
      id: task.id,
      state: task.state,
      host: task.host,
      agentId: task.slaveId ?? mesos?.agentId ?? null,
      ports: task.ports,
      stagedAt: task.stagedAt ?? null,
      startedAt: task.startedAt ?? null,
      version: task.version ?? null,
      health: results.length === 0 ? null : results.every((result) => result.alive) ? 'healthy' : 'unhealthy',
      healthResults: results,
      mesos,
    };
  });
  const definition = Object.fromEntries(Object.entries(app).filter(([key]) => !RUNTIME_KEYS.has(key)));
  const deploymentIds = new Set(app.deployments.map((deployment) => deployment.id));
  const failure = app.lastTaskFailure;
  return {
    marathon: freshness(source, snapshot),
    frameworkId,
    app: appRow(app, queued),
    tasks,
    mesosTaskName: tasks.find((task) => task.mesos)?.mesos?.name ?? marathonTaskName(app.id),
    healthChecks: app.healthChecks.map((check) => {
      const protocol = typeof check['protocol'] === 'string' ? check['protocol'] : 'HTTP';
      const path = typeof check['path'] === 'string' ? check['path'] : '';
      const command = (check['command'] as { value?: unknown } | undefined)?.value;
      const port =
        typeof check['port'] === 'number'
          ? `port ${check['port']}`
          : typeof check['portIndex'] === 'number'
            ? `port index ${check['portIndex']}`
            : '';
      return {
        protocol,
        target: typeof command === 'string' ? command : [port, path].filter(Boolean).join(' '),
        grace: typeof check['gracePeriodSeconds'] === 'number' ? check['gracePeriodSeconds'] : null,
        interval: typeof check['intervalSeconds'] === 'number' ? check['intervalSeconds'] : null,
      };
    }),
    lastTaskFailure: failure
      ? {
          taskId: failure.taskId,
          state: failure.state,
          message: failure.message,
          host: failure.host,
          timestamp: failure.timestamp,
          version: failure.version ?? null,
        }
      : null,
    versionInfo: {
      lastScalingAt: app.versionInfo?.lastScalingAt ?? null,
      lastConfigChangeAt: app.versionInfo?.lastConfigChangeAt ?? null,
    },
    deployments: snapshot.deployments
      .filter((deployment) => deploymentIds.has(deployment.id) || deployment.affectedApps.includes(app.id))
      .map(deploymentView),
    queue: queued
      ? {
          count: queued.count,
          delaySeconds: queued.delay && !queued.delay.overdue ? queued.delay.timeLeftSeconds : null,
          overdue: queued.delay?.overdue ?? true,
        }
      : null,
    definition,
  };
}

/** The Mesos task name Marathon gives an app's tasks: its path, last segment first (`/prod/web` → `web.prod`). */
function marathonTaskName(appId: string): string {
  return appId.split('/').filter(Boolean).reverse().join('.');
}
