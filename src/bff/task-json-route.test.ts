/**
 * A task's full JSON on request: read from the leading master's `/master/tasks` filtered to the task, over a
 * fake master on loopback that serves a real 0.27.1 state and answers `/master/tasks` as a 1.x master does
 * (filtering by `framework_id` and `task_id`) or as an older one does (ignoring them).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { rawFixture } from '../mesos/test-fixtures';
import type { ApiErrorBody, TaskJsonView } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { openTestStore } from './task-store/test-stores';
import { eventually } from '../testing/eventually';
import { json, startFakeUpstream } from './upstream/fake-upstream';
import type { FakeUpstream } from './upstream/fake-upstream';

type RawTask = Record<string, unknown> & { id: string; framework_id: string };

const FRAMEWORK = '82cde340-9d3b-40a6-87e2-953952745763-0000';
const TASK = 'qa-mailhog.bcdf1bbd-e50a-11e5-b92c-c6c68d973162';
/** A task whose id would break a query string built without encoding. */
const AWKWARD = 'odd&task_id=qa-mailhog?x=1#frag/../ü';
/** What only the master's full JSON of a task has (mesoscope keeps no status `data`). */
const MASTER_ONLY = { data: 'c2VjcmV0IG9mIHRoZSBleGVjdXRvcg==', uuid: 'a1b2c3' };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/** A real 0.27.1 master state, re-addressed to `url`, with one more task whose id needs encoding. */
function stateOf(url: string): Record<string, unknown> & { frameworks: { id: string; tasks: RawTask[] }[] } {
  const state = structuredClone(rawFixture('v0.27.1-capgemini/master-state.json')) as ReturnType<
    typeof stateOf
  >;
  const { host, port } = new URL(url);
  const framework = state.frameworks.find((f) => f.id === FRAMEWORK)!;
  const model = framework.tasks.find((task) => task.id === TASK)!;
  framework.tasks.push({ ...structuredClone(model), id: AWKWARD, name: 'odd' });
  return { ...state, pid: `master@${host}`, leader: `master@${host}`, id: `master-${port}` };
}

/** Every task of the state as the master holds it in full (statuses with their `data` and `uuid`). */
function fullTasks(state: ReturnType<typeof stateOf>): RawTask[] {
  return state.frameworks.flatMap((framework) =>
    framework.tasks.map((task) => ({
      ...task,
      statuses: ((task['statuses'] as object[] | undefined) ?? []).map((status) => ({
        ...status,
        ...MASTER_ONLY,
      })),
    })),
  );
}

type TasksEndpoint = (query: URLSearchParams, tasks: RawTask[], res: ServerResponse) => void;

/** Answers as a master since 1.x: only the task asked for. */
const filtering: TasksEndpoint = (query, tasks, res) =>
  void res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      tasks: tasks.filter(
        (task) => task.framework_id === query.get('framework_id') && task.id === query.get('task_id'),
      ),
    }),
  );

/** A Mesos 0.2x master (no v1 API) polled for its state; `tasks` answers `/master/tasks`. */
async function fakeMaster(tasks: TasksEndpoint): Promise<FakeUpstream> {
  let url = '';
  const master = await startFakeUpstream((req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', 'http://x');
    if (target.pathname === '/master/redirect') {
      return res.writeHead(307, { location: `//${new URL(url).host}` }).end();
    }
    if (target.pathname === '/master/state') return json(stateOf(url))(req, res);
    if (target.pathname === '/master/tasks') return tasks(target.searchParams, fullTasks(stateOf(url)), res);
    if (target.pathname === '/metrics/snapshot') return json({})(req, res);
    return res.writeHead(404).end();
  });
  url = master.url;
  open.push(master);
  return master;
}

async function bffOver(
  master: FakeUpstream,
  extra: Parameters<typeof buildTestBff>[3] = {},
): Promise<TestBff> {
  const bff = await buildTestBff([master.url], 1_000, {}, { read: 'poll', ...extra });
  open.push(bff);
  await bff.poller.pollOnce();
  expect(bff.poller.snapshot).not.toBeNull();
  return bff;
}

const jsonUrl = (frameworkId: string, taskId: string) =>
  `/api/tasks/${encodeURIComponent(frameworkId)}/${encodeURIComponent(taskId)}/json`;

async function ask<T>(bff: TestBff, url: string): Promise<{ status: number; body: T }> {
  const response = await bff.app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json<T>() };
}

const tasksAsked = (master: FakeUpstream) =>
  master.requests.filter((request) => request.path.startsWith('/master/tasks'));

describe("a task's full JSON", () => {
  it('is the master’s when the master lists that task', async () => {
    const master = await fakeMaster(filtering);
    const bff = await bffOver(master);
    const { status, body } = await ask<TaskJsonView>(bff, jsonUrl(FRAMEWORK, TASK));
    expect(status).toBe(200);
    expect(body.source).toBe('master');
    expect(body.problem).toBeNull();
    expect(body.task).toMatchObject({ id: TASK, framework_id: FRAMEWORK });
    const statuses = body.task['statuses'] as Record<string, unknown>[];
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s['data'] === MASTER_ONLY.data)).toBe(true);
    const [asked] = tasksAsked(master);
    const query = new URL(asked!.path, 'http://x').searchParams;
    expect([query.get('framework_id'), query.get('task_id')]).toEqual([FRAMEWORK, TASK]);
  });

  it('asks for an id that needs encoding as one value, and gets that task', async () => {
    const master = await fakeMaster(filtering);
    const bff = await bffOver(master);
    const { status, body } = await ask<TaskJsonView>(bff, jsonUrl(FRAMEWORK, AWKWARD));
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: 'master', task: { id: AWKWARD, name: 'odd' } });
    const query = new URL(tasksAsked(master)[0]!.path, 'http://x').searchParams;
    expect([...query.keys()]).toEqual(['framework_id', 'task_id']);
    expect(query.get('task_id')).toBe(AWKWARD);
  });

  it('is mesoscope’s compact one when an older master ignores the filters and lists other tasks', async () => {
    const master = await fakeMaster((_query, tasks, res) =>
      // The first tasks of the master, not the one asked for (and one with its id but of another framework).
      json({
        tasks: [
          ...tasks.filter((t) => t.id !== TASK).slice(0, 5),
          { ...tasks[0], id: TASK, framework_id: 'other' },
        ],
      })({} as IncomingMessage, res),
    );
    const bff = await bffOver(master);
    const { status, body } = await ask<TaskJsonView>(bff, jsonUrl(FRAMEWORK, TASK));
    expect(status).toBe(200);
    expect(body.source).toBe('mesoscope');
    expect(body.problem).toContain('did not list this task');
    expect(body.task).toMatchObject({ id: TASK, framework_id: FRAMEWORK });
    const statuses = body.task['statuses'] as Record<string, unknown>[];
    expect(statuses.some((s) => 'data' in s)).toBe(false);
  });

  it('is the task history’s record when the master cannot say and the history has the task', async () => {
    let answer: (res: ServerResponse) => void = (res) => void res.writeHead(503).end('not now');
    const master = await fakeMaster((query, tasks, res) => answer(res));
    const bff = await bffOver(master, {
      taskStore: {
        where: 'off',
        retentionMs: 86_400_000,
        maxBytes: null,
        flushMs: 20,
        open: () => openTestStore('SQLite'),
      },
    });
    const historyUrl = `/api/history/tasks/${FRAMEWORK}/${encodeURIComponent(TASK)}`;
    await eventually(async () => {
      const response = await bff.app.inject(historyUrl);
      return response.statusCode === 200 ? response.json<Record<string, unknown>>() : undefined;
    });
    const { status, body } = await ask<TaskJsonView>(bff, jsonUrl(FRAMEWORK, TASK));
    expect(status).toBe(200);
    expect(body.source).toBe('history');
    expect(body.problem).toContain('503');
    expect(body.task).toMatchObject({ frameworkId: FRAMEWORK, taskId: TASK, state: 'TASK_RUNNING' });
    expect(Array.isArray(body.task['statuses'])).toBe(true);
    answer = (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"tasks": []}');
    const other = await ask<TaskJsonView>(
      bff,
      jsonUrl(FRAMEWORK, 'chronos.43c76dfb-e25c-11e5-b92c-c6c68d973162'),
    );
    expect(other.body.source).toBe('history');
    expect(other.body.problem).toContain('did not list this task');
  });

  it('is mesoscope’s compact one, saying why, when the master is down', async () => {
    const master = await fakeMaster(filtering);
    const bff = await bffOver(master);
    await master.close();
    const { status, body } = await ask<TaskJsonView>(bff, jsonUrl(FRAMEWORK, TASK));
    expect(status).toBe(200);
    expect(body.source).toBe('mesoscope');
    expect(body.problem).toMatch(/could not say: .*127\.0\.0\.1/);
    expect(body.task).toMatchObject({ id: TASK, framework_id: FRAMEWORK });
  });

  it('is mesoscope’s compact one when the master answers an error or no JSON', async () => {
    let answer: (res: ServerResponse) => void = (res) => void res.writeHead(503).end('not now');
    const master = await fakeMaster((_query, _tasks, res) => answer(res));
    const bff = await bffOver(master);
    const first = await ask<TaskJsonView>(bff, jsonUrl(FRAMEWORK, TASK));
    expect(first.body).toMatchObject({ source: 'mesoscope', task: { id: TASK } });
    expect(first.body.problem).toContain('503');
    answer = (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"tasks": [');
    const second = await ask<TaskJsonView>(
      bff,
      jsonUrl(FRAMEWORK, 'chronos.43c76dfb-e25c-11e5-b92c-c6c68d973162'),
    );
    expect(second.body).toMatchObject({ source: 'mesoscope', problem: expect.stringContaining('malformed') });
  });

  it('is a 404 for a task the snapshot does not know, and the master is not asked', async () => {
    const master = await fakeMaster(filtering);
    const bff = await bffOver(master);
    for (const [frameworkId, taskId] of [
      [FRAMEWORK, 'no-such-task'],
      ['no-such-framework', TASK],
      [FRAMEWORK, `${TASK}&framework_id=x`],
      [FRAMEWORK, '../../../master/state'],
    ] as const) {
      const { status, body } = await ask<ApiErrorBody>(bff, jsonUrl(frameworkId, taskId));
      expect(status).toBe(404);
      expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(body.message).toContain('No task');
    }
    expect(tasksAsked(master)).toEqual([]);
  });

  it('answers hostile ids without asking the master: too long, NUL, broken escapes', async () => {
    const master = await fakeMaster(filtering);
    const bff = await bffOver(master);
    const tooLong = await bff.app.inject(jsonUrl(FRAMEWORK, 'x'.repeat(501)));
    expect(tooLong.statusCode).toBe(414);
    const nul = await ask<ApiErrorBody>(bff, jsonUrl(FRAMEWORK, `${TASK}\u0000`));
    expect(nul).toMatchObject({ status: 404, body: { statusCode: 404 } });
    const broken = await bff.app.inject(`/api/tasks/${FRAMEWORK}/%E0%A4%A/json`);
    expect([400, 404]).toContain(broken.statusCode);
    expect(broken.json<ApiErrorBody>().statusCode).toBe(broken.statusCode);
    expect(tasksAsked(master)).toEqual([]);
  });
});
