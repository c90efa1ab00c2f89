import { describe, expect, it } from 'vitest';
import { startCluster } from './index';
import { getJson } from './test-helpers';
import type { MasterStateJson } from './test-helpers';

describe('--max_completed_tasks_per_framework', () => {
  it('makes the master forget all but the latest ended tasks of a framework, and says so in its flags', async () => {
    const cluster = await startCluster({ scenario: 'empty', agents: 1, maxCompletedTasksPerFramework: 2 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        const task = await cluster.control.launchTask({ name: `quick-${i}`, cmd: 'true' });
        expect(await cluster.control.waitForTerminal(task.taskId)).toBe('TASK_FINISHED');
        ids.push(task.taskId);
      }
      const state = await getJson<MasterStateJson & { flags: Record<string, string> }>(
        `${cluster.masterUrl}/master/state`,
      );
      const completed = state.frameworks.flatMap((f) => f.completed_tasks.map((t) => t.id));
      expect(completed).toEqual(ids.slice(2));
      expect(state.flags['max_completed_tasks_per_framework']).toBe('2');
    } finally {
      await cluster.close();
    }
  });
});
