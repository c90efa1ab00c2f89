import type { TaskStatus } from '../../mesos';
import {
  containerSummary,
  discoverySummary,
  frameworkRoles,
  healthCheckSummary,
  mesosDnsRecords,
  mesosDnsTaskOf,
  taskHostPorts,
  taskIpAddresses,
} from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { taskIndex } from '../model/task-index';
import type { TaskDetailView, TaskStatusView } from '../schemas/views';

function statusView(status: TaskStatus): TaskStatusView {
  return {
    state: status.state,
    timestamp: Number.isFinite(status.timestamp) ? status.timestamp : null,
    reason: status.reason ?? null,
    message: status.message ?? null,
    source: status.source ?? null,
    healthy: typeof status.healthy === 'boolean' ? status.healthy : null,
    labels: status.labels ?? [],
  };
}

function scalarRecord(value: unknown): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'number' || typeof item === 'string') out[key] = item;
  }
  return out;
}

/** Everything about one task, or null when the snapshot has no such task in that framework. */
export function taskDetailView(
  snapshot: ClusterSnapshot,
  frameworkId: string,
  taskId: string,
): TaskDetailView | null {
  const entry = taskIndex(snapshot).find(frameworkId, taskId);
  if (!entry) return null;
  const { task, row } = entry;
  const statuses = [...task.statuses];
  // The framework that lists it; an orphan task's framework may be a completed one, or unknown.
  const framework = snapshot.frameworksById.get(task.framework_id);
  const discovery = discoverySummary(task.discovery);
  const hostPorts = taskHostPorts(task.resources);
  const frameworkName = framework?.name || row.frameworkName || '';
  return {
    snapshotAt: snapshot.fetchedAt,
    group: entry.group,
    row,
    frameworkRoles: framework ? frameworkRoles(framework) : [],
    user: task.user ?? framework?.user ?? null,
    statuses: statuses.map(statusView),
    labels: task.labels ?? [],
    resources: scalarRecord(task.resources),
    limits: task.limits ? scalarRecord(task.limits) : null,
    container: containerSummary(task.container),
    healthCheck: healthCheckSummary(task.health_check),
    discovery,
    ipAddresses: taskIpAddresses(statuses),
    hostPorts,
    dns: mesosDnsRecords(mesosDnsTaskOf(task.name, discovery, hostPorts), frameworkName),
    raw: task as Record<string, unknown>,
  };
}
