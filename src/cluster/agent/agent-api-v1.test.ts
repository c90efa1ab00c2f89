import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgentState } from '../../mesos/agent-state';
import type { V1Json } from './launch-contract';
import type { FrameworkRecord } from '../master/model';
import { eventually } from '../test-helpers';
import { startExecutorTestCluster } from './executor-test-cluster';
import type { ExecutorTestCluster } from './executor-test-cluster';

let cluster: ExecutorTestCluster;
let url: string;
let running: FrameworkRecord;
let finished: FrameworkRecord;
let commandTaskPid: number;

async function call(type: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ type }),
  });
  expect(res.status, type).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.type).toBe(type);
  return body[type.toLowerCase()] as Record<string, unknown>;
}

const ids = (list: unknown, key: string) =>
  (list as Record<string, { value: string }>[]).map((item) => item[key]?.value);

beforeAll(async () => {
  cluster = await startExecutorTestCluster({ executors: { registrationTimeoutMs: 60_000 } });
  url = `${cluster.agentUrls[0]}/api/v1`;
  const agentId = cluster.agents[0]!.id;
  running = cluster.registerFramework({ name: 'running' });
  finished = cluster.registerFramework({ name: 'finished' });
  // A command task that keeps running, a custom executor whose task is still queued, and a task group that
  // ran to the end (its framework has nothing left on the agent).
  const command = await cluster.core.launchTask({
    frameworkId: running.id,
    name: 'sleeper',
    cmd: 'sleep 30',
    agentId,
  });
  commandTaskPid = command.pid!;
  const executor: V1Json = {
    executor_id: { value: 'waiting' },
    type: 'CUSTOM',
    command: { value: 'sleep 30' },
  };
  cluster.core.executorLauncher?.({
    frameworkId: running.id,
    agentId,
    executor,
    tasks: [{ name: 'queued', task_id: { value: 'queued' }, resources: [] }],
    group: false,
  });
  cluster.core.executorLauncher?.({
    frameworkId: finished.id,
    agentId,
    executor: { executor_id: { value: 'group' }, type: 'DEFAULT' },
    tasks: [{ name: 'one', task_id: { value: 'one' }, command: { value: 'true' } }],
    group: true,
  });
  await cluster.waitForTask('one', ['TASK_FINISHED']);
  await eventually(async () => cluster.agents[0]!.completedExecutors.find((e) => e.id === 'group'));
});
afterAll(async () => {
  await cluster?.close();
});

describe("an agent's POST /api/v1", () => {
  it('GET_TASKS sorts tasks as agent.proto says, every list written', async () => {
    const tasks = await call('GET_TASKS');
    expect(Object.keys(tasks).sort()).toEqual([
      'completed_tasks',
      'launched_tasks',
      'pending_tasks',
      'queued_tasks',
      'terminated_tasks',
    ]);
    expect(tasks.pending_tasks).toEqual([]);
    expect(ids(tasks.queued_tasks, 'task_id')).toEqual(['queued']);
    expect(ids(tasks.launched_tasks, 'task_id')).toEqual([expect.stringMatching(/^sleeper\./)]);
    expect(ids(tasks.completed_tasks, 'task_id')).toEqual(['one']);
    const queued = (tasks.queued_tasks as V1Json[])[0];
    expect(queued).toMatchObject({
      executor_id: { value: 'waiting' },
      framework_id: { value: running.id },
      state: 'TASK_STAGING',
    });
  });

  it('GET_EXECUTORS lists command, custom and completed executors with their ExecutorInfo', async () => {
    const executors = await call('GET_EXECUTORS');
    const infos = (executors.executors as { executor_info: V1Json }[]).map((e) => e.executor_info);
    expect(infos.map((i) => (i.executor_id as { value: string }).value).sort()).toEqual([
      expect.stringMatching(/^sleeper\./),
      'waiting',
    ]);
    expect(infos.find((i) => (i.executor_id as { value: string }).value === 'waiting')).toMatchObject({
      type: 'CUSTOM',
      command: { value: 'sleep 30' },
      framework_id: { value: running.id },
    });
    expect(infos.find((i) => i.source !== undefined && i.source !== '')?.name).toMatch(
      /^Command Executor \(Task: sleeper\./,
    );
    const completed = (executors.completed_executors as { executor_info: V1Json }[]).map(
      (e) => e.executor_info,
    );
    expect(completed).toEqual([
      expect.objectContaining({ executor_id: { value: 'group' }, type: 'DEFAULT' }),
    ]);
  });

  it('GET_FRAMEWORKS puts a framework with no executors left under completed_frameworks', async () => {
    const frameworks = await call('GET_FRAMEWORKS');
    const names = (list: unknown) =>
      (list as { framework_info: { name: string } }[]).map((f) => f.framework_info.name);
    expect(names(frameworks.frameworks)).toEqual(['running']);
    expect(names(frameworks.completed_frameworks)).toEqual(['finished']);
    expect((frameworks.frameworks as { framework_info: V1Json }[])[0]?.framework_info).toMatchObject({
      id: { value: running.id },
      user: 'root',
    });
    // The v0 state agrees.
    const state = (await (await fetch(`${cluster.agentUrls[0]}/state`)).json()) as Record<
      string,
      { name: string }[]
    >;
    expect(state.frameworks?.map((f) => f.name)).toEqual(['running']);
    expect(state.completed_frameworks?.map((f) => f.name)).toEqual(['finished']);
  });

  it("writes a v0 state the dashboard's agent-state schema reads: queued, custom and default executors", async () => {
    const state = parseAgentState(await (await fetch(`${cluster.agentUrls[0]}/state`)).json());
    const executors = state.frameworks.flatMap((f) => f.executors);
    expect(executors.find((e) => e.id === 'waiting')?.queued_tasks.map((t) => t.id)).toEqual(['queued']);
    const group = state.completed_frameworks
      .flatMap((f) => f.completed_executors)
      .find((e) => e.id === 'group');
    expect(group?.type).toBe('DEFAULT');
    expect(group?.completed_tasks.map((t) => [t.id, t.state, t.executor_id])).toEqual([
      ['one', 'TASK_FINISHED', 'group'],
    ]);
  });

  it('GET_STATE holds the tasks, executors and frameworks', async () => {
    const state = await call('GET_STATE');
    expect(state.get_tasks).toEqual(await call('GET_TASKS'));
    expect(state.get_executors).toEqual(await call('GET_EXECUTORS'));
    expect(state.get_frameworks).toEqual(await call('GET_FRAMEWORKS'));
  });

  it('GET_CONTAINERS lists the live executors with container status and statistics', async () => {
    const containers = (await call('GET_CONTAINERS')).containers as V1Json[];
    const command = containers.find((c) => (c.executor_id as { value: string }).value.startsWith('sleeper.'));
    expect(command).toMatchObject({
      framework_id: { value: running.id },
      container_status: { executor_pid: commandTaskPid },
      resource_statistics: { cpus_limit: 0.1, mem_limit_bytes: 32 * 1024 * 1024 },
    });
    expect((command?.container_id as { value: string }).value).toBe(
      (command?.container_status as { container_id: { value: string } }).container_id.value,
    );
    const custom = containers.find((c) => (c.executor_id as { value: string }).value === 'waiting');
    await expect.poll(() => cluster.executor('waiting')?.pid).toEqual(expect.any(Number));
    expect(custom?.executor_name).toBe('');
    expect(containers).toHaveLength(2);
  });

  it('answers the small calls and refuses what it does not know', async () => {
    expect(await call('GET_HEALTH')).toEqual({ healthy: true });
    expect(await call('GET_VERSION')).toMatchObject({ version_info: { version: '1.11.0' } });
    expect(await call('GET_AGENT')).toMatchObject({ agent_info: { id: { value: cluster.agents[0]!.id } } });
    const post = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
      fetch(url, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        text: await r.text(),
      }));
    expect(await post(JSON.stringify({ type: 'LAUNCH_CONTAINER' }))).toEqual({
      status: 501,
      text: 'The local agent does not implement LAUNCH_CONTAINER',
    });
    expect(await post(JSON.stringify({ type: 'GET_EVERYTHING' }))).toEqual({
      status: 400,
      text: "Failed to validate agent::Call: Expecting 'type' to be present",
    });
    expect((await post('{')).status).toBe(400);
    expect((await post('{}', { 'Content-Type': 'application/x-protobuf' })).status).toBe(415);
    expect((await fetch(url)).status).toBe(405);
  });
});
