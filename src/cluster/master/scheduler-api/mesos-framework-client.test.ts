/**
 * A scheduler library nobody here wrote, `mesos-framework` (v1 HTTP API, JSON), runs command tasks on the
 * local cluster: what it sends and how it reads the stream are its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mesosFrameworkExecutor, writeScript } from '../../agent/test-executor-scripts';
import { startCluster } from '../../index';
import type { LocalCluster } from '../../index';
import { eventually, getJson } from '../../test-helpers';
import type { MasterStateJson } from '../../test-helpers';
import { mesosFrameworkScheduler } from './mesos-framework-scheduler';

interface MesosFrameworkScheduler {
  on(event: string, listener: (payload: Record<string, unknown>) => void): void;
  subscribe(): void;
  teardown(): void;
  frameworkId: string | null;
}

interface MesosFramework {
  Scheduler: new (options: Record<string, unknown>) => MesosFrameworkScheduler;
  Mesos: { getMesos(): { CommandInfo: new (...args: unknown[]) => unknown } };
}

const library = createRequire(import.meta.url)('mesos-framework') as MesosFramework;

describe('mesos-framework (npm) as a scheduler on the local cluster', () => {
  let cluster: LocalCluster;
  let logDir: string;
  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 2 });
    logDir = mkdtempSync(join(tmpdir(), 'mesos-framework-log-'));
  });
  afterAll(async () => {
    await cluster.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('launches command tasks and sees them RUNNING and FINISHED', async () => {
    const Mesos = library.Mesos.getMesos();
    const url = new URL(cluster.masterUrl);
    const scheduler = new library.Scheduler({
      masterUrl: url.hostname,
      port: Number(url.port),
      frameworkName: 'mesos-framework-test',
      masterConnectionTimeout: 60,
      logging: { path: logDir, fileName: 'scheduler.log', level: 'error' },
      tasks: {
        greeter: {
          priority: 1,
          instances: 3,
          commandInfo: new Mesos.CommandInfo(
            null,
            null,
            true,
            'echo "hello from $MESOS_TASK_ID"; sleep 1',
            null,
            null,
          ),
          resources: { cpus: 0.1, mem: 32, ports: 1, disk: 0 },
        },
      },
    });
    const states = new Map<string, string[]>();
    const errors: unknown[] = [];
    scheduler.on('update', (update) => {
      const status = update.status as { task_id: { value: string }; state: string };
      const seen = states.get(status.task_id.value) ?? [];
      seen.push(status.state);
      states.set(status.task_id.value, seen);
    });
    scheduler.on('error', (error) => errors.push(error));
    scheduler.on('ready', () => scheduler.subscribe());

    await eventually(async () => {
      const finished = [...states.values()].filter((seen) => seen.includes('TASK_FINISHED'));
      return finished.length === 3 ? true : undefined;
    }, 30_000);
    for (const seen of states.values()) {
      expect(seen).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    }
    expect(errors).toEqual([]);

    // The master saw the same: three finished tasks, acknowledged, of a framework named as the library named it.
    const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
    const framework = state.frameworks.find((f) => f.id === scheduler.frameworkId);
    expect(framework?.name).toBe('mesos-framework-test');
    expect(framework?.completed_tasks.map((t) => t.state)).toEqual([
      'TASK_FINISHED',
      'TASK_FINISHED',
      'TASK_FINISHED',
    ]);
    const sandbox = await getJson<{ data: string }>(
      `${cluster.agents.find((a) => a.id === framework?.completed_tasks[0]?.slave_id)?.url}/files/read?path=${encodeURIComponent(
        `/frameworks/${framework?.id}/executors/${framework?.completed_tasks[0]?.executor_id || framework?.completed_tasks[0]?.id}/runs/latest/stdout`,
      )}&offset=0`,
    );
    expect(sandbox.data).toContain(`hello from ${framework?.completed_tasks[0]?.id}`);

    scheduler.teardown();
    await eventually(async () => {
      const after = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      return after.completed_frameworks.some((f) => f.id === scheduler.frameworkId) ? true : undefined;
    });
  });

  it('launches tasks on its own executor, written with the library, next to command tasks', async () => {
    const script = writeScript(cluster.workDir, 'mesos-framework-executor.cjs', mesosFrameworkExecutor(300));
    const { scheduler, executorTaskIds } = mesosFrameworkScheduler({
      masterUrl: cluster.masterUrl,
      name: 'mesos-framework-executors',
      logDir,
      commandTasks: { instances: 1, command: 'echo "command task $MESOS_TASK_ID"' },
      executorTasks: {
        instances: 2,
        executorCommand: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`,
      },
    });
    const states = new Map<string, string[]>();
    const errors: unknown[] = [];
    scheduler.on('update', (update) => {
      const status = update.status as { task_id: { value: string }; state: string };
      states.set(status.task_id.value, [...(states.get(status.task_id.value) ?? []), status.state]);
    });
    scheduler.on('error', (error) => errors.push(error));

    await eventually(async () => {
      const finished = [...states.values()].filter((seen) => seen.includes('TASK_FINISHED'));
      return finished.length === 3 ? true : undefined;
    }, 30_000);
    expect(errors).toEqual([]);
    expect(executorTaskIds).toHaveLength(2);
    for (const taskId of executorTaskIds)
      expect(states.get(taskId)).toEqual(['TASK_RUNNING', 'TASK_FINISHED']);
    const commandTask = [...states.keys()].find((id) => !executorTaskIds.includes(id));
    expect(states.get(commandTask ?? '')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);

    // The master ran the executor tasks on the framework's executors, which stay until the framework ends.
    const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
    const framework = state.frameworks.find((f) => f.id === scheduler.frameworkId);
    const executed = framework?.completed_tasks.filter((t) => executorTaskIds.includes(t.id)) ?? [];
    expect(executed.map((t) => [t.executor_id, t.state]).sort()).toEqual(
      executorTaskIds.map((id) => [`${id}.executor`, 'TASK_FINISHED']),
    );
    // The executor's stdout, read through the agent's files API, has what it printed for its task.
    const task = executed[0]!;
    const stdout = await getJson<{ data: string }>(
      `${cluster.agents.find((a) => a.id === task.slave_id)?.url}/files/read?path=${encodeURIComponent(
        `/frameworks/${framework?.id}/executors/${task.executor_id}/runs/latest/stdout`,
      )}&offset=0`,
    );
    expect(stdout.data).toContain(`mesos-framework executor runs ${task.id}`);
    expect(stdout.data).toContain(`ACKNOWLEDGED ${task.id}`);

    scheduler.teardown();
    await eventually(async () => {
      const after = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
      return after.completed_frameworks.some((f) => f.id === scheduler.frameworkId) ? true : undefined;
    });
  });
});
