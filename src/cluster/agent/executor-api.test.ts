import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import type { FrameworkRecord } from '../master/model';
import { startExecutorTestCluster } from './executor-test-cluster';
import type { ExecutorTestCluster } from './executor-test-cluster';
import { recordioFrame } from './executor-api';

let cluster: ExecutorTestCluster;
let url: string;
let framework: FrameworkRecord;
const ids = () => ({ framework_id: { value: framework.id }, executor_id: { value: 'waiting' } });

beforeAll(async () => {
  cluster = await startExecutorTestCluster({ executors: { heartbeatIntervalMs: 300 } });
  url = `${cluster.agentUrls[0]}/api/v1/executor`;
  framework = cluster.registerFramework();
  cluster.core.executorLauncher?.({
    frameworkId: framework.id,
    agentId: cluster.agents[0]!.id,
    executor: { executor_id: { value: 'waiting' }, type: 'CUSTOM', command: { value: 'sleep 30' } },
    tasks: [{ name: 'queued', task_id: { value: 'queued' }, resources: [] }],
    group: false,
  });
});
afterAll(async () => {
  await cluster?.close();
});

async function post(body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

interface Stream {
  chunks: string[];
  ended: Promise<void>;
  headers: Record<string, unknown>;
}

/** Subscribes as the executor would, with `Connection: close`, collecting every chunk of the stream. */
function subscribe(executorId: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json', Connection: 'close' } },
      (res) => {
        const chunks: string[] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => chunks.push(chunk));
        const ended = new Promise<void>((done) => res.on('end', done));
        resolve({ chunks, ended, headers: res.headers });
      },
    );
    req.on('error', reject);
    req.end(
      JSON.stringify({
        type: 'SUBSCRIBE',
        framework_id: { value: framework.id },
        executor_id: { value: executorId },
        subscribe: {},
      }),
    );
  });
}

/** The event types of a stream's chunks, heartbeats left out. */
const types = (chunks: string[]) =>
  chunks
    .map((c) => (JSON.parse(c.slice(c.indexOf('\n') + 1)) as { type: string }).type)
    .filter((type) => type !== 'HEARTBEAT');
const events = (chunks: string[]) =>
  chunks.map((c) => JSON.parse(c.slice(c.indexOf('\n') + 1)) as Record<string, unknown>);

const uuid = () => Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64');
const update = (status: Record<string, unknown>) => ({
  type: 'UPDATE',
  ...ids(),
  update: {
    status: {
      task_id: { value: 'queued' },
      state: 'TASK_RUNNING',
      source: 'SOURCE_EXECUTOR',
      uuid: uuid(),
      ...status,
    },
  },
});

describe('POST /api/v1/executor errors, as a Mesos agent answers them', () => {
  it('refuses other methods, a missing or foreign content type and bodies that are not calls', async () => {
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.text()).toBe("405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
    // fetch() always names a content type; node:http sends none unless asked.
    const bare = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST' }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(bare).toEqual({ status: 400, text: "Expecting 'Content-Type' to be present" });
    expect((await post('x', { 'Content-Type': 'application/x-protobuf' })).status).toBe(415);
    expect(await post('x', { 'Content-Type': 'text/plain' })).toMatchObject({
      status: 415,
      text: "Expecting 'Content-Type' of application/json or application/x-protobuf",
    });
    const malformed = await post('{"type":');
    expect(malformed.status).toBe(400);
    expect(malformed.text).toMatch(/^Failed to parse body into JSON: /);
    expect(await post('[1]')).toMatchObject({
      status: 400,
      text: 'Failed to convert JSON into Call protobuf: Expecting a JSON object',
    });
    expect(await post({ type: 'SUBSCRIBE', subscribe: {} })).toMatchObject({
      status: 400,
      text: 'Failed to convert JSON into Call protobuf: Missing required fields: executor_id, framework_id',
    });
    expect(await post({ type: 'NOPE', ...ids() })).toMatchObject({
      status: 400,
      text: "Failed to validate Executor::Call: Expecting 'type' to be present",
    });
  });

  it('refuses a 5 MB call and a SUBSCRIBE that accepts only protobuf, and keeps serving', async () => {
    const huge = await post({ type: 'MESSAGE', ...ids(), message: { data: 'A'.repeat(5 * 1024 * 1024) } });
    expect(huge).toMatchObject({ status: 413, text: 'Call too large' });
    const protobufOnly = await post(
      { type: 'SUBSCRIBE', ...ids(), subscribe: {} },
      { 'Content-Type': 'application/json', Accept: 'application/x-protobuf' },
    );
    expect(protobufOnly).toMatchObject({
      status: 406,
      text: "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'",
    });
    expect((await post({ type: 'HEARTBEAT', ...ids() })).status).toBe(202);
  });

  it('validates UPDATE as validateExecutorCall does', async () => {
    const invalid = (text: string) => ({ status: 400, text: `Failed to validate Executor::Call: ${text}` });
    expect(await post({ type: 'UPDATE', ...ids() })).toMatchObject(
      invalid("Expecting 'update' to be present"),
    );
    expect(await post(update({ uuid: undefined }))).toMatchObject(invalid("Expecting 'uuid' to be present"));
    expect(await post(update({ uuid: 'AAAA' }))).toMatchObject(invalid('Not a valid UUID'));
    expect(await post(update({ source: 'SOURCE_MASTER' }))).toMatchObject(
      invalid(
        `Received Call from executor waiting of framework ${framework.id} with invalid source, expecting 'SOURCE_EXECUTOR'`,
      ),
    );
    expect(await post(update({ state: 'TASK_STAGING' }))).toMatchObject(
      invalid(
        `Received TASK_STAGING from executor waiting of framework ${framework.id} which is not allowed`,
      ),
    );
    expect(await post(update({ executor_id: { value: 'other' } }))).toMatchObject(
      invalid('ExecutorID in Call: waiting does not match ExecutorID in TaskStatus: other'),
    );
    expect(await post(update({ state: 'TASK_BOGUS' }))).toMatchObject({
      status: 400,
      text: "Failed to convert JSON into Call protobuf: Failed to find enum for 'TASK_BOGUS'",
    });
    expect(await post(update({ task_id: undefined }))).toMatchObject({
      status: 400,
      text: 'Failed to convert JSON into Call protobuf: Missing required fields: update.status.task_id',
    });
  });

  it('answers unknown frameworks and executors with 400 and a registering executor with 403', async () => {
    expect(await post({ ...update({}), framework_id: { value: 'nobody' } })).toMatchObject({
      status: 400,
      text: 'Framework cannot be found',
    });
    expect(await post({ ...update({}), executor_id: { value: 'nobody' } })).toMatchObject({
      status: 400,
      text: 'Executor cannot be found',
    });
    expect(await post(update({}))).toMatchObject({ status: 403, text: 'Executor is not subscribed' });
    expect(await post({ type: 'MESSAGE', ...ids(), message: { data: 'aGk=' } })).toMatchObject({
      status: 403,
    });
    // HEARTBEAT is accepted before any lookup.
    expect(
      (await post({ type: 'HEARTBEAT', framework_id: { value: 'x' }, executor_id: { value: 'y' } })).status,
    ).toBe(202);
    // The task is still queued and untouched.
    expect(cluster.core.findTask('queued')?.state).toBe('TASK_STAGING');
  });

  it('streams SUBSCRIBED first, keeps the stream open with Connection: close, and closes an older one', async () => {
    const first = await subscribe('waiting');
    expect(first.headers['content-type']).toBe('application/json');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // One record per chunk: SUBSCRIBED, then the queued task's LAUNCH.
    expect(types(first.chunks)).toEqual(['SUBSCRIBED', 'LAUNCH']);
    for (const chunk of first.chunks) {
      const [length, json] = [chunk.slice(0, chunk.indexOf('\n')), chunk.slice(chunk.indexOf('\n') + 1)];
      expect(Number(length)).toBe(Buffer.byteLength(json));
    }
    const second = await subscribe('waiting');
    await first.ended;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(types(second.chunks)).toEqual(['SUBSCRIBED']);
    // Subscribed now: UPDATE is accepted and acknowledged on the open stream.
    const accepted = await post(update({ uuid: 'EjRWeBI0RWeJq83vEjRWeA==' }));
    expect(accepted.status).toBe(202);
    expect(cluster.core.findTask('queued')?.state).toBe('TASK_RUNNING');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.chunks.filter((c) => !c.includes('HEARTBEAT')).at(-1)).toBe(
      recordioFrame({
        type: 'ACKNOWLEDGED',
        acknowledged: { task_id: { value: 'queued' }, uuid: 'EjRWeBI0RWeJq83vEjRWeA==' },
      }),
    );
  });

  it('delivers LAUNCH_GROUP, MESSAGE and HEARTBEAT to a custom executor, and passes its MESSAGE on', async () => {
    const heard: unknown[] = [];
    cluster.executors.onExecutorMessage = (message) => heard.push(message);
    const agentId = cluster.agents[0]!.id;
    cluster.core.executorLauncher?.({
      frameworkId: framework.id,
      agentId,
      executor: { executor_id: { value: 'grouper' }, type: 'CUSTOM', command: { value: 'sleep 30' } },
      tasks: ['a', 'b'].map((id) => ({ name: id, task_id: { value: id }, resources: [] })),
      group: true,
    });
    expect(cluster.executors.sendMessage(agentId, framework.id, 'grouper', 'aGVsbG8=')).toBe(false);
    const stream = await subscribe('grouper');
    await expect.poll(() => types(stream.chunks)).toEqual(['SUBSCRIBED', 'LAUNCH_GROUP']);
    const group = events(stream.chunks).find((e) => e.type === 'LAUNCH_GROUP') as {
      launch_group: { task_group: { tasks: { task_id: { value: string }; agent_id: { value: string } }[] } };
    };
    expect(group.launch_group.task_group.tasks.map((t) => [t.task_id.value, t.agent_id.value])).toEqual([
      ['a', agentId],
      ['b', agentId],
    ]);
    expect(cluster.executors.sendMessage(agentId, framework.id, 'grouper', 'aGVsbG8=')).toBe(true);
    await expect
      .poll(() => events(stream.chunks).find((e) => e.type === 'MESSAGE'))
      .toEqual({
        type: 'MESSAGE',
        message: { data: 'aGVsbG8=' },
      });
    const call = {
      type: 'MESSAGE',
      framework_id: { value: framework.id },
      executor_id: { value: 'grouper' },
    };
    expect((await post({ ...call, message: { data: 'aGk=' } })).status).toBe(202);
    expect(heard).toEqual([{ frameworkId: framework.id, agentId, executorId: 'grouper', data: 'aGk=' }]);
    expect(await post(call)).toMatchObject({
      status: 400,
      text: "Failed to validate Executor::Call: Expecting 'message' to be present",
    });
    await expect.poll(() => stream.chunks.some((c) => c === recordioFrame({ type: 'HEARTBEAT' }))).toBe(true);
  });

  it('does not deliver tasks killed while queued, and shuts down an executor left with none', async () => {
    const agentId = cluster.agents[0]!.id;
    const launchOne = (executorId: string, taskId: string) =>
      cluster.core.executorLauncher?.({
        frameworkId: framework.id,
        agentId,
        executor: { executor_id: { value: executorId }, type: 'CUSTOM', command: { value: 'sleep 30' } },
        tasks: [{ name: taskId, task_id: { value: taskId }, resources: [] }],
        group: false,
      });
    launchOne('partly-killed', 'kept');
    launchOne('partly-killed', 'dropped');
    launchOne('all-killed', 'gone');
    await cluster.core.killTask('dropped');
    await cluster.core.killTask('gone');
    const partly = await subscribe('partly-killed');
    await expect.poll(() => types(partly.chunks)).toEqual(['SUBSCRIBED', 'LAUNCH']);
    const launched = events(partly.chunks).find((e) => e.type === 'LAUNCH') as {
      launch: { task: { task_id: { value: string } } };
    };
    expect(launched.launch.task.task_id.value).toBe('kept');
    const empty = await subscribe('all-killed');
    await expect.poll(() => types(empty.chunks)).toEqual(['SHUTDOWN']);
  });

  it('starts nothing for ids that cannot name a sandbox, and says so in TASK_ERROR', () => {
    const agentId = cluster.agents[0]!.id;
    const before = cluster.agents[0]!.executors.size;
    cluster.core.executorLauncher?.({
      frameworkId: framework.id,
      agentId,
      executor: {
        executor_id: { value: '../escape' },
        type: 'CUSTOM',
        command: { value: 'touch /tmp/nope' },
      },
      tasks: [{ name: 'bad', task_id: { value: 'bad-executor-id' }, resources: [] }],
      group: false,
    });
    cluster.core.executorLauncher?.({
      frameworkId: framework.id,
      agentId,
      executor: { executor_id: { value: 'fine' }, type: 'DEFAULT' },
      tasks: [{ name: 'dots', task_id: { value: '..' }, resources: [] }],
      group: true,
    });
    expect(cluster.agents[0]!.executors.size).toBe(before);
    expect(cluster.core.findTask('bad-executor-id')?.statuses).toEqual([
      expect.objectContaining({
        state: 'TASK_ERROR',
        reason: 'REASON_TASK_INVALID',
        message: "Executor ID: '../escape' contains invalid characters",
      }),
    ]);
    expect(cluster.core.findTask('..')?.statuses[0]).toMatchObject({
      state: 'TASK_ERROR',
      message: "'..' is disallowed",
    });
  });

  it('writes records in ASCII, their length in bytes', () => {
    const frame = recordioFrame({ message: 'café ✓' });
    expect(frame).toBe('30\n{"message":"caf\\u00e9 \\u2713"}');
  });
});

describe('the executor API of a started cluster', () => {
  let local: LocalCluster;
  afterAll(async () => {
    await local?.close();
  });

  it('is served by every agent, without the read-only credentials', async () => {
    local = await startCluster({
      scenario: 'empty',
      agents: 1,
      authenticate: { principal: 'ops', secret: 's' },
    });
    const res = await fetch(`${local.agents[0]!.url}/api/v1/executor`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'SUBSCRIBE',
        framework_id: { value: 'f' },
        executor_id: { value: 'e' },
        subscribe: {},
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('Framework cannot be found');
    expect((await fetch(`${local.agents[0]!.url}/state`)).status).toBe(401);
  });
});
