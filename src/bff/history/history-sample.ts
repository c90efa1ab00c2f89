import type { Resources } from '../../mesos';
import { clampResources, clusterResources } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';

/** What the history keeps of one poll. */
export interface HistorySample {
  /** When the state was fetched (ms, mesoscope's clock). */
  t: number;
  total: Resources;
  allocated: Resources;
  running: number;
  /**
   * Cumulative count of tasks that ended FAILED, LOST or ERROR. It is a counter: it only grows, except when
   * the leading master restarts or changes (then it starts again from 0).
   */
  failures: number;
}

const FAILURE_STATES = new Set(['TASK_FAILED', 'TASK_LOST', 'TASK_ERROR']);

/**
 * Reads a sample from a snapshot. Counters come from the master's metrics (exact, since the master started);
 * without metrics they are counted from the tasks the state still lists (Mesos keeps a bounded number of
 * completed tasks, so that count can shrink, which the charts read as a counter reset).
 */
export function sampleFromSnapshot(snapshot: ClusterSnapshot): HistorySample {
  const { total, allocated } = clusterResources(snapshot.state);
  const metrics = snapshot.metrics;
  let running: number;
  let failures: number;
  if (metrics && metrics['master/tasks_running'] !== undefined) {
    running = metrics['master/tasks_running'];
    failures =
      (metrics['master/tasks_failed'] ?? 0) +
      (metrics['master/tasks_lost'] ?? 0) +
      (metrics['master/tasks_error'] ?? 0);
  } else {
    running = snapshot.tasks.active.filter((task) => task.state === 'TASK_RUNNING').length;
    failures = snapshot.tasks.completed.filter((task) => FAILURE_STATES.has(task.state)).length;
  }
  return {
    t: snapshot.fetchedAt,
    total,
    // Allocation is a difference of sums (used + offered − offered) and can come out as −1e-15.
    allocated: clampResources(allocated),
    running,
    failures,
  };
}
