import { clusterResources, sumResources, taskCountsFromTasks, toResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { Framework, Task } from '../../mesos';
import type { FrameworkApp, FrameworkDetailView } from '../schemas/detail-views';
import { MAX_APPS } from '../schemas/detail-views';
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
    ...frameworkApps(framework),
  };
}

/** Task states that say an instance did not end well. */
const FAILED = new Set([
  'TASK_FAILED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_DROPPED',
]);

const natural = new Intl.Collator('en', { numeric: true }).compare;

/** The framework's tasks grouped by name, the most active apps first when there are too many to list. */
export function frameworkApps(
  framework: Pick<Framework, 'tasks' | 'unreachable_tasks' | 'completed_tasks'>,
): { apps: FrameworkApp[]; appsOmitted: number } {
  const apps = new Map<string, FrameworkApp>();
  const app = (task: Task) => {
    let entry = apps.get(task.name);
    if (!entry) {
      entry = { name: task.name, active: 0, running: 0, completed: 0, failed: 0, unreachable: 0 };
      apps.set(task.name, entry);
    }
    return entry;
  };
  for (const task of framework.tasks) {
    const entry = app(task);
    entry.active += 1;
    if (task.state === 'TASK_RUNNING') entry.running += 1;
  }
  for (const task of framework.unreachable_tasks) app(task).unreachable += 1;
  for (const task of framework.completed_tasks) {
    const entry = app(task);
    entry.completed += 1;
    if (FAILED.has(task.state)) entry.failed += 1;
  }
  let list = [...apps.values()];
  const omitted = Math.max(0, list.length - MAX_APPS);
  if (omitted > 0) list = list.sort((a, b) => b.active - a.active || b.failed - a.failed).slice(0, MAX_APPS);
  return { apps: list.sort((a, b) => natural(a.name, b.name)), appsOmitted: omitted };
}
