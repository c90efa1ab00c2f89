import { describe, expect, it } from 'vitest';
import { parseMasterState, parseMetricsSnapshot } from '../../mesos';
import { rawFixture } from '../../mesos/test-fixtures';
import type { Raw } from '../../mesos/test-fixtures';
import { buildSnapshot } from '../model/cluster-snapshot';
import { sampleFromSnapshot } from './history-sample';

const STATE = 'v0.27.1-capgemini/master-state.json';
const METRICS = 'v0.27.1-capgemini/metrics-snapshot.json';

function snapshotOf(withMetrics: boolean) {
  return buildSnapshot({
    version: 1,
    fetchedAt: 1_700_000_000_000,
    leaderUrl: 'http://10.66.1.158:5050',
    state: parseMasterState(rawFixture(STATE)),
    metrics: withMetrics ? parseMetricsSnapshot(rawFixture(METRICS)) : null,
  });
}

describe('sampleFromSnapshot on a real Mesos 0.27 master', () => {
  const raw = rawFixture(STATE);
  const sum = (list: Raw[], key: string) =>
    list.reduce((acc: number, item: Raw) => acc + (item[key] ?? 0), 0);

  it('totals the agents and allocates what the frameworks use', () => {
    const sample = sampleFromSnapshot(snapshotOf(true));
    const agentResources = raw.slaves.map((agent: Raw) => agent.resources);
    expect(sample.t).toBe(1_700_000_000_000);
    expect(sample.total.cpus).toBeCloseTo(sum(agentResources, 'cpus'), 6);
    expect(sample.total.mem).toBe(sum(agentResources, 'mem'));
    const used = raw.frameworks.map((framework: Raw) => framework.used_resources);
    expect(sample.allocated.cpus).toBeCloseTo(sum(used, 'cpus'), 6);
    expect(sample.allocated.mem).toBe(sum(used, 'mem'));
  });

  it('reads running tasks and the failure counter from the metrics when there are metrics', () => {
    const metrics = rawFixture(METRICS);
    const sample = sampleFromSnapshot(snapshotOf(true));
    expect(sample.running).toBe(metrics['master/tasks_running']);
    expect(sample.failures).toBe(
      metrics['master/tasks_failed'] + metrics['master/tasks_lost'] + metrics['master/tasks_error'],
    );
  });

  it('counts them from the listed tasks without metrics', () => {
    const sample = sampleFromSnapshot(snapshotOf(false));
    const tasks = raw.frameworks.flatMap((framework: Raw) => framework.tasks);
    const completed = raw.frameworks.flatMap((framework: Raw) => framework.completed_tasks);
    expect(sample.running).toBe(tasks.filter((task: Raw) => task.state === 'TASK_RUNNING').length);
    expect(sample.failures).toBe(
      completed.filter((task: Raw) => ['TASK_FAILED', 'TASK_LOST', 'TASK_ERROR'].includes(task.state)).length,
    );
    expect(sample.failures).toBeGreaterThan(0);
  });
});
