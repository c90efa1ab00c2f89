import { describe, expect, it } from 'vitest';
import { parseMasterState, parseMetricsSnapshot } from '../../mesos';
import { rawFixture } from '../../mesos/test-fixtures';
import type { Raw } from '../../mesos/test-fixtures';
import { buildSnapshot } from '../model/cluster-snapshot';
import { FAILED_TASKS, wallView } from './wall-view';

function snapshotOf(state: unknown, metrics: unknown = null) {
  return buildSnapshot({
    version: 1,
    fetchedAt: 1_700_000_000_000,
    leaderUrl: 'http://10.66.1.158:5050',
    state: parseMasterState(state),
    metrics: metrics === null ? null : parseMetricsSnapshot(metrics),
  });
}

describe('wallView on a real Mesos 0.27 master', () => {
  const raw = rawFixture('v0.27.1-capgemini/master-state.json');
  const view = wallView(snapshotOf(raw, rawFixture('v0.27.1-capgemini/metrics-snapshot.json')));

  it('has one cell per agent, by hostname, coloured by its dominant allocated share', () => {
    const hostnames = raw.slaves.map((agent: Raw) => agent.hostname as string).sort();
    expect(view.agentCells.map((cell) => cell.hostname)).toEqual(hostnames);
    for (const cell of view.agentCells) {
      const agent = raw.slaves.find((a: Raw) => a.id === cell.id);
      const shares = ['cpus', 'mem', 'disk'].map((k) =>
        agent.resources[k] > 0 ? (agent.used_resources[k] ?? 0) / agent.resources[k] : 0,
      );
      expect(Math.abs(cell.share - Math.max(...shares))).toBeLessThan(0.001);
      expect(cell.status).toBe('active');
    }
    expect(view.agents).toMatchObject({ total: 3, active: 3, unreachable: 0, draining: 0, unlisted: 0 });
  });

  it('ranks frameworks by dominant share and says which resource dominates', () => {
    expect(view.topFrameworks.map((f) => f.name)).toEqual(['marathon', 'chronos']);
    const marathon = raw.frameworks.find((f: Raw) => f.name === 'marathon');
    const totalCpus = raw.slaves.reduce((sum: number, agent: Raw) => sum + agent.resources.cpus, 0);
    expect(view.topFrameworks[0]).toMatchObject({ dominant: 'cpus', activeTasks: marathon.tasks.length });
    expect(view.topFrameworks[0]?.share).toBeCloseTo(marathon.used_resources.cpus / totalCpus, 3);
  });

  it('lists the failed tasks with their framework and last status', () => {
    const failed = raw.frameworks.flatMap((f: Raw) =>
      f.completed_tasks.filter((t: Raw) => t.state === 'TASK_FAILED').map((t: Raw) => ({ f, t })),
    );
    expect(view.failedTasks).toHaveLength(Math.min(FAILED_TASKS, failed.length));
    const [first] = view.failedTasks;
    const expected = failed[0];
    expect(first).toMatchObject({ id: expected.t.id, frameworkName: expected.f.name, state: 'TASK_FAILED' });
    expect(first?.finishTime).toBe(expected.t.statuses.at(-1).timestamp);
  });

  it('reports the cluster, leader and allocation', () => {
    expect(view.cluster.name).toBe(raw.cluster);
    expect(view.cluster.leader).toMatch(/:5050$/);
    expect(view.resources.total.cpus).toBe(20);
    expect(view.tasks.running).toBe(
      rawFixture('v0.27.1-capgemini/metrics-snapshot.json')['master/tasks_running'],
    );
  });
});

describe('wallView agent states', () => {
  it('marks draining, drained and unreachable agents, and counts those the master no longer lists', () => {
    const summary = rawFixture('summaries/state-summary-marathon-1-task.json');
    const slaves = summary.slaves.map((agent: Raw, i: number) =>
      i === 3 ? { ...agent, active: false } : agent,
    );
    const view = wallView(
      snapshotOf({
        version: '1.10.0',
        id: 'm',
        pid: 'master@10.0.0.1:5050',
        hostname: 'm1',
        slaves,
        unreachable_slaves: 2,
      }),
    );
    // (This real summary lists one agent id twice, draining then drained.)
    expect(view.agentCells.map((cell) => cell.status).sort()).toEqual([
      'active',
      'drained',
      'draining',
      'unreachable',
    ]);
    expect(view.agents).toMatchObject({
      total: 4,
      active: 1,
      draining: 1,
      drained: 1,
      unreachable: 1,
      unlisted: 2,
    });
  });

  it('stays readable at 1,000 agents: one cell each, sorted naturally', () => {
    const slaves = Array.from({ length: 1_000 }, (_, i) => ({
      id: `S${i}`,
      hostname: `agent-${i + 1}`,
      resources: { cpus: 8, mem: 32_768, disk: 100_000 },
      used_resources: { cpus: i % 9, mem: 0, disk: 0 },
    }));
    const view = wallView(
      snapshotOf({ version: '1.12.0', id: 'm', pid: 'master@10.0.0.1:5050', hostname: 'm1', slaves }),
    );
    expect(view.agentCells).toHaveLength(1_000);
    expect(view.agentCells.slice(0, 3).map((c) => c.hostname)).toEqual(['agent-1', 'agent-2', 'agent-3']);
    expect(view.agentCells.every((cell) => cell.share >= 0 && cell.share <= 1)).toBe(true);
  });

  it('groups a failure repeated by one app into one line with a count, and counts the recent ones', () => {
    const now = 1_700_000_000; // seconds, as Mesos stamps statuses; the snapshot is taken at this time
    const failed = (id: string, name: string, agoSecs: number, message: string) => ({
      id,
      name,
      framework_id: 'F1',
      slave_id: 'S0',
      state: 'TASK_FAILED',
      statuses: [
        { state: 'TASK_RUNNING', timestamp: now - agoSecs - 5 },
        { state: 'TASK_FAILED', timestamp: now - agoSecs, message },
      ],
    });
    const crashes = Array.from({ length: 6 }, (_, i) => failed(`web.${i}`, 'web', 60 * i + 30, 'exit 1'));
    const state = {
      version: '1.12.0',
      id: 'm',
      pid: 'master@10.0.0.1:5050',
      hostname: 'm1',
      slaves: [{ id: 'S0', hostname: 'a1', resources: { cpus: 1 } }],
      frameworks: [
        {
          id: 'F1',
          name: 'marathon',
          completed_tasks: [
            ...crashes,
            failed('db.1', 'db', 45, 'oom'),
            failed('old.1', 'old', 3_600, 'exit 2'),
          ],
        },
      ],
    };
    const view = wallView(snapshotOf(state));
    expect(view.failedTasks.map((line) => [line.name, line.count, line.id])).toEqual([
      ['web', 6, 'web.0'],
      ['db', 1, 'db.1'],
      ['old', 1, 'old.1'],
    ]);
    // web.0 … web.5 failed 0.5 to 5.5 minutes ago, db.1 under a minute ago; old.1 an hour ago.
    expect(view.recentFailures).toEqual({ count: 7, minutes: 15 });
  });
});
