import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMasterState } from '../../mesos/master-state';
import type { V1Json } from './launch-contract';
import type { FrameworkRecord } from '../master/model';
import { alive, eventually, getJson } from '../test-helpers';
import { startExecutorTestCluster } from './executor-test-cluster';
import type { ExecutorTestCluster } from './executor-test-cluster';
import { NODE_EXECUTOR, mesosFrameworkExecutor, writeScript } from './test-executor-scripts';

interface ExecutorStateJson {
  id: string;
  directory: string;
  container: string;
  type?: string;
  labels?: unknown;
  resources: Record<string, unknown>;
  tasks: { id: string; state: string; executor_id: string }[];
  queued_tasks: { id: string }[];
  completed_tasks: { id: string; state: string }[];
}
interface AgentStateJson {
  frameworks: { id: string; executors: ExecutorStateJson[]; completed_executors: ExecutorStateJson[] }[];
  completed_frameworks: {
    id: string;
    executors: ExecutorStateJson[];
    completed_executors: ExecutorStateJson[];
  }[];
}

let cluster: ExecutorTestCluster;
let nodeExecutor: string;
let agentId: string;
let agentUrl: string;

beforeAll(async () => {
  cluster = await startExecutorTestCluster({
    // Long enough for a Node executor to start on a busy machine; the timeout test waits this out once.
    executors: { registrationTimeoutMs: 5000, shutdownGraceMs: 1000 },
  });
  nodeExecutor = writeScript(cluster.workDir, 'executor.mjs', NODE_EXECUTOR);
  agentId = cluster.agents[0]!.id;
  agentUrl = cluster.agentUrls[0]!;
});
afterAll(async () => {
  await cluster?.close();
});

function resources(cpus: number, mem: number): V1Json[] {
  return [
    { name: 'cpus', type: 'SCALAR', scalar: { value: cpus }, allocation_info: { role: '*' } },
    { name: 'mem', type: 'SCALAR', scalar: { value: mem }, allocation_info: { role: '*' } },
  ];
}

function executorInfo(id: string, command: V1Json, extra: V1Json = {}): V1Json {
  return {
    executor_id: { value: id },
    type: 'CUSTOM',
    name: `${id} executor`,
    command,
    resources: resources(0.1, 32),
    ...extra,
  };
}

function nodeCommand(mode: 'finish' | 'hold' | 'crash'): V1Json {
  return {
    value: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(nodeExecutor)}`,
    environment: { variables: [{ name: 'EXECUTOR_MODE', value: mode }] },
  };
}

function taskInfo(id: string, extra: V1Json = {}): V1Json {
  return {
    name: id,
    task_id: { value: id },
    agent_id: { value: 'ignored' },
    resources: resources(0.2, 64),
    ...extra,
  };
}

/** What the test executor printed on stdout: its events and environment. */
function executorOutput(directory: string): {
  events: V1Json[];
  env: Record<string, string>;
  updates: string[];
} {
  const lines = readFileSync(join(directory, 'stdout'), 'utf8').split('\n');
  return {
    events: lines.filter((l) => l.startsWith('EVENT ')).map((l) => JSON.parse(l.slice(6)) as V1Json),
    env: JSON.parse(lines.find((l) => l.startsWith('ENV '))?.slice(4) ?? '{}') as Record<string, string>,
    updates: lines.filter((l) => l.startsWith('UPDATE ')),
  };
}

const agentState = () => getJson<AgentStateJson>(`${agentUrl}/state`);

function launch(framework: FrameworkRecord, executor: V1Json, tasks: V1Json[], group = false): void {
  cluster.core.executorLauncher?.({ frameworkId: framework.id, agentId, executor, tasks, group });
}

describe('a custom executor', () => {
  it('runs in its own sandbox with the Mesos environment, subscribes and runs two tasks to FINISHED', async () => {
    const framework = cluster.registerFramework({ checkpoint: true });
    launch(framework, executorInfo('node-executor', nodeCommand('finish')), [taskInfo('first')]);
    const first = await cluster.waitForTask('first', ['TASK_FINISHED']);
    launch(framework, executorInfo('node-executor', nodeCommand('finish')), [taskInfo('second')]);
    const second = await cluster.waitForTask('second', ['TASK_FINISHED']);

    const executor = cluster.executor('node-executor')!;
    const runs = join(
      cluster.agents[0]!.workDir,
      'slaves',
      agentId,
      'frameworks',
      framework.id,
      'executors',
      'node-executor',
      'runs',
    );
    expect(executor.directory).toBe(join(runs, executor.containerId));
    expect(readlinkSync(join(runs, 'latest'))).toBe(executor.containerId);
    expect(first.directory).toBe(executor.directory);

    const { events, env } = executorOutput(executor.directory);
    expect(env).toMatchObject({
      MESOS_FRAMEWORK_ID: framework.id,
      MESOS_EXECUTOR_ID: 'node-executor',
      MESOS_DIRECTORY: executor.directory,
      MESOS_SANDBOX: executor.directory,
      MESOS_AGENT_ENDPOINT: `127.0.0.1:${cluster.agents[0]!.port}`,
      MESOS_SLAVE_ID: agentId,
      MESOS_CHECKPOINT: '1',
      MESOS_HTTP_COMMAND_EXECUTOR: '0',
      MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '1secs',
      MESOS_RECOVERY_TIMEOUT: '15mins',
      MESOS_SUBSCRIPTION_BACKOFF_MAX: '2secs',
      MESOS_CONTAINER_ID: executor.containerId,
      LIBPROCESS_PORT: '0',
    });
    const subscribed = events[0] as { type: string; subscribed: Record<string, V1Json> };
    expect(subscribed.type).toBe('SUBSCRIBED');
    expect(subscribed.subscribed.executor_info).toMatchObject({
      executor_id: { value: 'node-executor' },
      framework_id: { value: framework.id },
      type: 'CUSTOM',
    });
    expect(subscribed.subscribed.framework_info).toMatchObject({
      id: { value: framework.id },
      name: framework.name,
    });
    expect(subscribed.subscribed.agent_info).toMatchObject({ id: { value: agentId }, hostname: '127.0.0.1' });
    expect(subscribed.subscribed.container_id).toEqual({ value: executor.containerId });
    const launches = events.filter((e) => e.type === 'LAUNCH') as { launch: { task: V1Json } }[];
    expect(launches.map((e) => e.launch.task.task_id)).toEqual([{ value: 'first' }, { value: 'second' }]);
    expect(launches[0]?.launch.task.agent_id).toEqual({ value: agentId });
    // Every UPDATE was accepted (202) and acknowledged with its own uuid. The executor logs an acknowledgement
    // when it arrives, which can be after the master has the task's last state.
    await eventually(() => {
      const output = executorOutput(executor.directory);
      expect(output.updates).toHaveLength(6);
      const acknowledged = output.events.filter((e) => e.type === 'ACKNOWLEDGED') as {
        acknowledged: { uuid: string };
      }[];
      for (const line of output.updates) {
        const [, , uuid, status] = line.split(' ');
        expect(status).toBe('202');
        expect(acknowledged.map((e) => e.acknowledged.uuid)).toContain(uuid);
      }
      return true;
    });

    for (const task of [first, second]) {
      expect(task.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
      for (const status of task.statuses) {
        expect(status.source).toBe('SOURCE_EXECUTOR');
        expect(status.container_status).toEqual({
          container_id: { value: executor.containerId },
          executor_pid: executor.pid,
          network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '127.0.0.1' }] }],
        });
      }
    }
    expect(first.statuses.at(-1)?.message).toBe('done');

    // The executor outlives its tasks, and the agent shows both under it.
    const state = await agentState();
    const json = state.frameworks
      .find((f) => f.id === framework.id)
      ?.executors.find((e) => e.id === 'node-executor');
    expect(json?.type).toBe('CUSTOM');
    expect(json?.tasks).toEqual([]);
    expect(json?.completed_tasks.map((t) => [t.id, t.state])).toEqual([
      ['first', 'TASK_FINISHED'],
      ['second', 'TASK_FINISHED'],
    ]);

    // The master lists the executor with its agent, in v0 state and in the v1 operator API.
    const master = await getJson<{ frameworks: { id: string; executors: Record<string, unknown>[] }[] }>(
      `${cluster.masterUrl}/master/state`,
    );
    expect(master.frameworks.find((f) => f.id === framework.id)?.executors).toEqual([
      {
        executor_id: 'node-executor',
        name: 'node-executor executor',
        framework_id: framework.id,
        command: {
          value: nodeCommand('finish').value,
          argv: [],
          environment: { variables: [{ name: 'EXECUTOR_MODE', value: 'finish' }] },
          uris: [],
        },
        resources: { cpus: 0.1, mem: 32, disk: 0, gpus: 0 },
        role: '*',
        type: 'CUSTOM',
        slave_id: agentId,
      },
    ]);
    // ... in a shape the dashboard reads.
    const parsed = parseMasterState(master).frameworks.find((f) => f.id === framework.id);
    expect(parsed?.executors.map((e) => [e.executor_id, e.slave_id, e.type])).toEqual([
      ['node-executor', agentId, 'CUSTOM'],
    ]);
    const v1 = (await (
      await fetch(`${cluster.masterUrl}/api/v1`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'GET_EXECUTORS' }),
      })
    ).json()) as { get_executors: { executors: { executor_info: V1Json; agent_id: { value: string } }[] } };
    expect(v1.get_executors.executors.map((e) => [e.executor_info.executor_id, e.agent_id.value])).toEqual([
      [{ value: 'node-executor' }, agentId],
    ]);

    // Its framework goes away: the executor is shut down, and the agent lists the framework as completed.
    await cluster.core.teardownFramework(framework.id);
    expect(alive(executor.pid!)).toBe(false);
    expect(framework.executors?.size).toBe(0);
    const after = await agentState();
    expect(after.frameworks.map((f) => f.id)).not.toContain(framework.id);
    const completed = after.completed_frameworks.find((f) => f.id === framework.id);
    expect(completed?.executors).toEqual([]);
    expect(completed?.completed_executors.map((e) => e.id)).toEqual(['node-executor']);
  });

  it('lists several running tasks, and KILL reaches the executor', async () => {
    const framework = cluster.registerFramework();
    const executor = executorInfo('holder', nodeCommand('hold'), {
      labels: { labels: [{ key: 'team', value: 'infra' }] },
    });
    launch(framework, executor, [taskInfo('hold-1')]);
    launch(framework, executor, [taskInfo('hold-2')]);
    await cluster.waitForTask('hold-1', ['TASK_RUNNING']);
    await cluster.waitForTask('hold-2', ['TASK_RUNNING']);
    const state = await agentState();
    const json = state.frameworks.find((f) => f.id === framework.id)?.executors[0];
    expect(json?.tasks.map((t) => [t.id, t.state, t.executor_id])).toEqual([
      ['hold-1', 'TASK_RUNNING', 'holder'],
      ['hold-2', 'TASK_RUNNING', 'holder'],
    ]);
    expect(json?.labels).toEqual([{ key: 'team', value: 'infra' }]);
    // Executor resources plus both tasks'.
    expect(json?.resources).toMatchObject({ cpus: 0.5, mem: 160 });

    await cluster.core.killTask('hold-1');
    const killed = cluster.core.findTask('hold-1')!;
    expect(killed.state).toBe('TASK_KILLED');
    expect(killed.statuses.at(-1)?.message).toBe('killed by the executor');
    const { events } = executorOutput(cluster.executor('holder')!.directory);
    expect(events.filter((e) => e.type === 'KILL')).toEqual([
      { type: 'KILL', kill: { task_id: { value: 'hold-1' } } },
    ]);
    expect(cluster.core.findTask('hold-2')?.state).toBe('TASK_RUNNING');
  });

  it('keeps apart two frameworks whose executors have the same id', async () => {
    const one = cluster.registerFramework();
    const two = cluster.registerFramework();
    launch(one, executorInfo('same-name', nodeCommand('hold')), [taskInfo('of-one')]);
    launch(two, executorInfo('same-name', nodeCommand('hold')), [taskInfo('of-two')]);
    await cluster.waitForTask('of-one', ['TASK_RUNNING']);
    await cluster.waitForTask('of-two', ['TASK_RUNNING']);
    const state = await agentState();
    const tasksOf = (framework: FrameworkRecord) =>
      state.frameworks
        .find((f) => f.id === framework.id)
        ?.executors.map((e) => [e.id, e.tasks.map((t) => t.id)]);
    expect(tasksOf(one)).toEqual([['same-name', ['of-one']]]);
    expect(tasksOf(two)).toEqual([['same-name', ['of-two']]]);
    await cluster.core.teardownFramework(one.id);
    expect(cluster.core.findTask('of-two')?.state).toBe('TASK_RUNNING');
    await cluster.core.teardownFramework(two.id);
  });

  it("shuts down on its scheduler's SHUTDOWN, failing what it still ran", async () => {
    const framework = cluster.registerFramework();
    launch(framework, executorInfo('stopped', nodeCommand('hold')), [taskInfo('interrupted')]);
    await cluster.waitForTask('interrupted', ['TASK_RUNNING']);
    const directory = cluster.executor('stopped')!.directory;
    const runtime = cluster.core.executorRuntime!;
    expect(await runtime.shutdownFrameworkExecutor(agentId, framework.id, 'stopped')).toBe(true);
    expect(executorOutput(directory).events.at(-1)).toEqual({ type: 'SHUTDOWN' });
    const task = cluster.core.findTask('interrupted')!;
    expect(task.state).toBe('TASK_FAILED');
    expect(task.statuses.at(-1)).toMatchObject({
      reason: 'REASON_EXECUTOR_TERMINATED',
      source: 'SOURCE_AGENT',
    });
    expect(await runtime.shutdownFrameworkExecutor(agentId, framework.id, 'stopped')).toBe(false);
  });

  it('takes its unfinished tasks with it when it is killed', async () => {
    const framework = cluster.registerFramework();
    launch(framework, executorInfo('doomed', nodeCommand('hold')), [taskInfo('doomed-task')]);
    await cluster.waitForTask('doomed-task', ['TASK_RUNNING']);
    const record = cluster.executor('doomed')!;
    process.kill(-record.pid!, 'SIGKILL');
    const task = await cluster.waitForTask('doomed-task');
    expect(task.state).toBe('TASK_FAILED');
    expect(task.statuses.at(-1)).toMatchObject({
      source: 'SOURCE_AGENT',
      reason: 'REASON_EXECUTOR_TERMINATED',
      message: 'Executor terminated',
      container_status: { container_id: { value: record.containerId }, executor_pid: record.pid },
    });
    await eventually(async () => (cluster.executor('doomed') !== undefined ? undefined : true));
    const state = await agentState();
    const completed = state.completed_frameworks.find((f) => f.id === framework.id);
    expect(completed?.completed_executors.map((e) => [e.id, e.completed_tasks.map((t) => t.state)])).toEqual([
      ['doomed', ['TASK_FAILED']],
    ]);
  });

  it('fails its tasks when its process exits on its own', async () => {
    const framework = cluster.registerFramework();
    launch(framework, executorInfo('crasher', nodeCommand('crash')), [taskInfo('crash-task')]);
    const task = await cluster.waitForTask('crash-task');
    expect(task.state).toBe('TASK_FAILED');
    expect(task.statuses.at(-1)?.reason).toBe('REASON_EXECUTOR_TERMINATED');
  });

  it('queues tasks until the executor subscribes, and gives up after the registration timeout', async () => {
    const framework = cluster.registerFramework();
    launch(framework, executorInfo('silent', { value: 'sleep 30' }), [taskInfo('never-delivered')]);
    const state = await agentState();
    const json = state.frameworks.find((f) => f.id === framework.id)?.executors[0];
    expect(json?.queued_tasks.map((t) => t.id)).toEqual(['never-delivered']);
    expect(json?.tasks).toEqual([]);
    const pid = await eventually(async () => cluster.executor('silent')?.pid);
    const task = await cluster.waitForTask('never-delivered');
    expect(task.state).toBe('TASK_FAILED');
    expect(task.statuses.at(-1)).toMatchObject({
      reason: 'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
      message: 'Executor did not register within 5secs',
    });
    await eventually(async () => (alive(pid, true) ? undefined : true));
  });

  it('kills a queued task without bothering the executor', async () => {
    const framework = cluster.registerFramework();
    launch(framework, executorInfo('slow', { value: 'sleep 30' }), [taskInfo('queued')]);
    await cluster.core.killTask('queued');
    const task = cluster.core.findTask('queued')!;
    expect(task.state).toBe('TASK_KILLED');
    expect(task.statuses.at(-1)).toMatchObject({
      reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
      source: 'SOURCE_AGENT',
    });
    await cluster.core.teardownFramework(framework.id);
  });

  it('runs an executor built with the mesos-framework package to TASK_FINISHED', async () => {
    const framework = cluster.registerFramework();
    const script = writeScript(cluster.workDir, 'mesos-framework-executor.cjs', mesosFrameworkExecutor());
    launch(
      framework,
      executorInfo('library', {
        value: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`,
      }),
      [taskInfo('library-task')],
    );
    const task = await cluster.waitForTask('library-task', ['TASK_FINISHED', 'TASK_FAILED']);
    expect(task.statuses.map((s) => s.state)).toEqual(['TASK_RUNNING', 'TASK_FINISHED']);
    const directory = cluster.executor('library')!.directory;
    const stdout = readFileSync(directory + '/stdout', 'utf8');
    expect(stdout).toContain(`SUBSCRIBED to ${agentId}`);
    expect(stdout).toContain('ACKNOWLEDGED library-task');
    await cluster.core.teardownFramework(framework.id);
  });
});

describe('the default executor', () => {
  const groupTask = (id: string, cmd: string) => taskInfo(id, { command: { value: cmd } });
  const defaultExecutor = (id: string) => ({
    executor_id: { value: id },
    type: 'DEFAULT',
    resources: resources(0.1, 32),
  });

  it('runs each task of a group in tasks/<task_id>/ of its sandbox, in a nested container', async () => {
    const framework = cluster.registerFramework();
    launch(
      framework,
      defaultExecutor('group'),
      [groupTask('web', 'echo web > out; sleep 0.3'), groupTask('sidecar', 'echo sidecar')],
      true,
    );
    const web = await cluster.waitForTask('web', ['TASK_FINISHED']);
    const sidecar = await cluster.waitForTask('sidecar', ['TASK_FINISHED']);
    const executor = await eventually(async () =>
      cluster.agents[0]!.completedExecutors.find((e) => e.id === 'group'),
    );
    expect(executor.type).toBe('DEFAULT');
    for (const task of [web, sidecar]) {
      expect(task.directory).toBe(join(executor.directory, 'tasks', task.id));
      expect(task.executorType).toBe('DEFAULT');
      expect(task.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
      for (const status of task.statuses) {
        expect(status.container_status?.container_id).toEqual({
          value: task.containerId,
          parent: { value: executor.containerId },
        });
        expect(status.container_status?.executor_pid).toEqual(expect.any(Number));
      }
    }
    expect(readFileSync(join(web.directory, 'out'), 'utf8')).toBe('web\n');
    expect(readFileSync(join(sidecar.directory, 'stdout'), 'utf8')).toBe('sidecar\n');
    expect(existsSync(join(executor.directory, 'stdout'))).toBe(true);
  });

  it('kills the rest of the group when one of its tasks is killed', async () => {
    const framework = cluster.registerFramework();
    launch(
      framework,
      defaultExecutor('killed-group'),
      [groupTask('main', 'sleep 30'), groupTask('helper', 'sleep 30')],
      true,
    );
    await cluster.waitForTask('main', ['TASK_RUNNING']);
    await cluster.waitForTask('helper', ['TASK_RUNNING']);
    await cluster.core.killTask('main');
    expect(cluster.core.findTask('main')?.state).toBe('TASK_KILLED');
    const helper = await cluster.waitForTask('helper');
    expect(helper.state).toBe('TASK_KILLED');
    const executor = await eventually(async () =>
      cluster.agents[0]!.completedExecutors.find((e) => e.id === 'killed-group'),
    );
    expect(readFileSync(join(executor.directory, 'stdout'), 'utf8')).toContain(
      'Killing task group containing tasks [ main, helper ]',
    );
  });

  it('kills the rest of the group when one task fails', async () => {
    const framework = cluster.registerFramework();
    launch(
      framework,
      defaultExecutor('failing-group'),
      [groupTask('server', 'sleep 30'), groupTask('broken', 'sleep 0.3; exit 2')],
      true,
    );
    const broken = await cluster.waitForTask('broken');
    const server = await cluster.waitForTask('server');
    expect(broken.state).toBe('TASK_FAILED');
    expect(broken.statuses.at(-1)?.message).toBe('Command exited with status 2');
    expect(server.state).toBe('TASK_KILLED');
    const pid = server.statuses.find((s) => s.state === 'TASK_RUNNING')?.container_status?.executor_pid;
    expect(pid).toEqual(expect.any(Number));
    await eventually(async () => (alive(pid!, true) ? undefined : true));
  });
});

describe('an agent that drops off the network', () => {
  it('takes its executors with it, unseen by the master until it marks the agent unreachable', async () => {
    const { makeAgentUnreachable } = await import('../master/agent-lifecycle');
    const own = await startExecutorTestCluster();
    try {
      const script = writeScript(own.workDir, 'executor.mjs', NODE_EXECUTOR);
      const framework = own.registerFramework({ capabilities: ['MULTI_ROLE', 'PARTITION_AWARE'] });
      own.core.executorLauncher?.({
        frameworkId: framework.id,
        agentId: own.agents[0]!.id,
        executor: executorInfo('partitioned', {
          value: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`,
          environment: { variables: [{ name: 'EXECUTOR_MODE', value: 'hold' }] },
        }),
        tasks: [taskInfo('cut-off')],
        group: false,
      });
      await own.waitForTask('cut-off', ['TASK_RUNNING']);
      const pid = own.executor('partitioned')!.pid!;
      await makeAgentUnreachable(own.core, own.agents[0]!.id, 300);
      await eventually(async () => (alive(pid, true) ? undefined : true));
      const task = framework.unreachableTasks.find((t) => t.id === 'cut-off');
      expect(task?.state).toBe('TASK_UNREACHABLE');
      expect(task?.statuses.map((s) => s.state)).toEqual([
        'TASK_STARTING',
        'TASK_RUNNING',
        'TASK_UNREACHABLE',
      ]);
    } finally {
      await own.close();
    }
  });
});
