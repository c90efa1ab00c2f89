import { describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import { alive, eventually, getJson, runningPids } from '../test-helpers';
import type { MasterStateJson, TaskJson } from '../test-helpers';

const findTask = (state: MasterStateJson, id: string): TaskJson | undefined =>
  [...state.frameworks, ...state.completed_frameworks]
    .flatMap((f) => [...f.tasks, ...f.completed_tasks])
    .find((t) => t.id === id);

describe('task lifecycle', () => {
  it('rejects unknown scenarios, listing the valid ones', async () => {
    await expect(startCluster({ scenario: 'nope' as 'demo' })).rejects.toThrow(/demo, empty/);
  });

  it('runs, fails, kills and accounts tasks; close() leaves no process behind', async () => {
    const cluster = await startCluster({ scenario: 'empty', agents: 1, seed: 7 });
    try {
      const ok = await cluster.control.launchTask({ name: 'ok', cmd: 'echo fine', cpus: 0.5, mem: 64 });
      const bad = await cluster.control.launchTask({ name: 'bad', cmd: 'echo oops >&2; exit 3' });
      const sleeper = await cluster.control.launchTask({
        name: 'sleeper',
        cmd: 'sleep 600',
        cpus: 1,
        mem: 256,
      });
      expect(ok.executorId).toBe(ok.taskId);
      expect(ok.frameworkId).toBe(bad.frameworkId);

      expect(await cluster.control.waitForTerminal(ok.taskId)).toBe('TASK_FINISHED');
      expect(await cluster.control.waitForTerminal(bad.taskId)).toBe('TASK_FAILED');
      const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      const failed = findTask(state, bad.taskId);
      expect(failed?.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
      expect(failed?.statuses[2]).toMatchObject({ message: 'Command exited with status 3' });
      expect(state.slaves[0]?.used_resources).toMatchObject({ cpus: 1, mem: 256 });
      expect(cluster.control.taskIds()).toEqual([sleeper.taskId]);

      // Resources are enforced per agent.
      await expect(cluster.control.launchTask({ name: 'huge', cmd: 'true', cpus: 64 })).rejects.toThrow(
        /No agent/,
      );

      // The agent moves finished executors to completed_executors.
      const agentState = await getJson<{ frameworks: { completed_executors: { id: string }[] }[] }>(
        `${cluster.agents[0]!.url}/state`,
      );
      expect(agentState.frameworks[0]?.completed_executors.map((e) => e.id)).toEqual(
        expect.arrayContaining([ok.executorId, bad.executorId]),
      );

      const pid = runningPids(state)[0]!;
      expect(alive(pid)).toBe(true);
      await cluster.control.killTask(sleeper.taskId);
      const afterKill = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      expect(findTask(afterKill, sleeper.taskId)?.state).toBe('TASK_KILLED');
      await eventually(async () => (alive(pid, true) ? undefined : true), 3000);

      const metrics = await getJson<Record<string, number>>(`${cluster.masterUrl}/metrics/snapshot`);
      expect(metrics).toMatchObject({
        'master/tasks_finished': 1,
        'master/tasks_failed': 1,
        'master/tasks_killed': 1,
        'master/tasks_running': 0,
      });
    } finally {
      await cluster.close();
    }
  });

  it('close() kills every task process group of a demo cluster', async () => {
    const cluster = await startCluster();
    const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
    // A short demo job may end between reading the state and looking at its process: keep the live ones.
    const pids = runningPids(state).filter((pid) => alive(pid));
    expect(pids.length).toBeGreaterThanOrEqual(4);
    await cluster.close();
    await cluster.close(); // idempotent
    expect(pids.filter((pid) => alive(pid) || alive(pid, true))).toEqual([]);
  });

  it('marathon relaunches an app instance that was killed', async () => {
    const cluster = await startCluster({ agents: 2 });
    try {
      const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      const marathon = state.frameworks.find((f) => f.name === 'marathon')!;
      const victim = marathon.tasks.find((t) => t.name === 'hello')!;
      await cluster.control.killTask(victim.id);
      await eventually(async () => {
        const s = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
        const hellos = s.frameworks
          .find((f) => f.name === 'marathon')!
          .tasks.filter((t) => t.name === 'hello' && t.state === 'TASK_RUNNING');
        return hellos.length === 2 && !hellos.some((t) => t.id === victim.id) ? true : undefined;
      }, 5000);
      const killed = await getJson<{ tasks: TaskJson[] }>(
        `${cluster.masterUrl}/master/tasks?task_id=${victim.id}`,
      );
      expect(killed.tasks[0]?.statuses.map((s) => s.state)).toEqual([
        'TASK_STARTING',
        'TASK_RUNNING',
        'TASK_KILLING',
        'TASK_KILLED',
      ]);
    } finally {
      await cluster.close();
    }
  });
});
