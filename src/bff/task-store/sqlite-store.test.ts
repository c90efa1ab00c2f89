import { describe, expect, it } from 'vitest';
import type { SqliteTaskStore } from './sqlite-store';
import { ROW_COLUMNS } from './task-row';
import { TaskRecorder } from './task-recorder';
import { snapshotWith } from './test-cluster-state';
import type { TestTask } from './test-cluster-state';
import { openTestStore } from './test-stores';

const T0 = 1_700_000_000;
async function record(store: SqliteTaskStore, tasks: TestTask[]): Promise<void> {
  const recorder = new TaskRecorder({ store });
  recorder.observe('c1', snapshotWith(tasks));
  await recorder.close();
  expect(recorder.status.paused).toBe(false);
}

/** Logs, from now on, every column an UPDATE of a task sets (whether or not its value changes). */
function columnsSet(store: SqliteTaskStore): () => string[] {
  const db = store.database;
  db.exec('CREATE TEMP TABLE columns_set (name TEXT NOT NULL)');
  for (const column of ROW_COLUMNS)
    db.exec(`CREATE TEMP TRIGGER set_${column} AFTER UPDATE OF ${column} ON main.tasks
      BEGIN INSERT INTO columns_set (name) VALUES ('${column}'); END`);
  return () => {
    const names = db.prepare('SELECT name FROM columns_set ORDER BY name').pluck().all() as string[];
    db.exec('DELETE FROM columns_set');
    return names;
  };
}

describe('the SQLite task store updating a task', () => {
  const running: TestTask = {
    id: 'web.1',
    agent: 'agent-1',
    statuses: [
      ['TASK_STAGING', T0],
      ['TASK_RUNNING', T0 + 1],
    ],
  };

  it('sets only the columns that changed, so the indexes on the others are left alone', async () => {
    const store = await openTestStore('SQLite');
    await record(store, [running]);
    const updated = columnsSet(store);

    const failed: TestTask = {
      ...running,
      statuses: [...running.statuses, ['TASK_FAILED', T0 + 60, 'REASON_COMMAND_EXECUTOR_FAILED', 'exit 1']],
    };
    await record(store, [failed]);
    expect(updated()).toEqual(['ended', 'failed', 'message', 'norm', 'reason', 'state', 'statuses']);
    const task = await store.getTask('c1', 'fw-1', 'web.1');
    expect(task).toMatchObject({
      name: 'web',
      agentId: 'agent-1',
      host: 'host-1',
      state: 'TASK_FAILED',
      started: T0 * 1000,
      ended: (T0 + 60) * 1000,
      failed: true,
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      message: 'exit 1',
      cpus: 0.5,
      mem: 128,
    });
    expect(task?.statuses.map((s) => [s.state, s.t])).toEqual([
      ['TASK_STAGING', T0 * 1000],
      ['TASK_RUNNING', (T0 + 1) * 1000],
      ['TASK_FAILED', (T0 + 60) * 1000],
    ]);

    // The same change again sets nothing.
    await record(store, [failed]);
    expect(updated()).toEqual([]);
    await store.close();
  });

  it('sets the agent when a task is seen on another one', async () => {
    const store = await openTestStore('SQLite');
    await record(store, [running]);
    const updated = columnsSet(store);
    await record(store, [
      { ...running, agent: 'agent-2', statuses: [...running.statuses, ['TASK_RUNNING', T0 + 5]] },
    ]);
    expect(updated()).toEqual(['agent', 'statuses']);
    expect(await store.getTask('c1', 'fw-1', 'web.1')).toMatchObject({ agentId: 'agent-2', host: 'host-2' });
    await store.close();
  });
});
