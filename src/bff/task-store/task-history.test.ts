import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { ClusterPoller } from '../reading/cluster-poller';
import { json, startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeUpstream } from '../upstream/fake-upstream';
import { LeaderDiscovery } from '../upstream/leader-discovery';
import { MesosClient } from '../upstream/mesos-client';
import { stateWith } from './test-cluster-state';
import type { TestTask } from './test-cluster-state';
import {
  bffTaskStoreAt,
  newTestStorePlace,
  NO_POSTGRES,
  openTestStore,
  TEST_STORE_KINDS,
  testPostgres,
} from './test-stores';
import type { TestStoreKind } from './test-stores';
import type { TaskStore } from './types';
import { UNWATCHED_REASON } from './types';
import { eventually } from '../../testing/eventually';

let master: FakeUpstream;
const NOW_S = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  master = await startFakeUpstream(json({}));
});
afterAll(async () => {
  await master.close();
});

function masterLists(tasks: TestTask[]): void {
  const state = JSON.stringify(stateWith(tasks));
  master.answer((req, res) => {
    if (req.url?.startsWith('/master/state')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(state);
    } else res.writeHead(404).end();
  });
}

/** The parts of the history API's answers these tests read. */
interface ApiBody {
  tasks: Array<{ taskId: string; state: string; statuses: unknown[] }>;
  next: string | null;
  groups: Array<{ key: string; count: number; filter: object }>;
  agents: Record<string, number>;
  statuses: Array<{ state: string }>;
  state: string;
  reason: string | null;
  message: string;
  taskHistory: { enabled: boolean; paused: boolean; error: string | null };
}

interface Bff {
  url: string;
  get(path: string): Promise<{ status: number; body: ApiBody; text: string }>;
  poll(): Promise<void>;
  close(): Promise<void>;
}

async function startBff(taskStore: {
  where: string;
  dataDir?: string;
  open?: () => Promise<TaskStore>;
}): Promise<Bff> {
  const client = new MesosClient({ timeoutMs: 2_000 });
  const discovery = new LeaderDiscovery([master.url], client);
  const poller = new ClusterPoller({ client, discovery, intervalMs: 60_000, read: 'poll' });
  const app = await buildApp({
    poller,
    discovery,
    client,
    mode: 'remote',
    masters: [master.url],
    version: 'test',
    uiDir: null,
    dataDir: taskStore.dataDir ?? null,
    taskStore: {
      where: taskStore.where,
      retentionMs: 30 * 86_400_000,
      maxBytes: null,
      open: taskStore.open,
      flushMs: 50,
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    get: async (p) => {
      const response = await fetch(url + p);
      const text = await response.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: response.status, body: body as ApiBody, text };
    },
    poll: () => poller.pollOnce(),
    close: async () => {
      poller.stop();
      discovery.close();
      await app.close();
      await client.close();
    },
  };
}

const running = (id: string, at = NOW_S - 600, agent = 'agent-1'): TestTask => ({
  id,
  agent,
  statuses: [
    ['TASK_STAGING', at],
    ['TASK_RUNNING', at + 1],
  ],
});
const failed = (id: string, at = NOW_S - 300, agent = 'agent-1'): TestTask => ({
  id,
  agent,
  statuses: [
    ['TASK_RUNNING', at - 5],
    ['TASK_FAILED', at, 'REASON_COMMAND_EXECUTOR_FAILED', `Command exited with status ${at % 7}`],
  ],
});
const killed = (id: string, at = NOW_S - 200): TestTask => ({
  id,
  agent: 'agent-2',
  statuses: [
    ['TASK_RUNNING', at - 5],
    ['TASK_KILLED', at],
  ],
});

/** The BFF's options for a new, empty store of that kind. */
async function newStore(kind: TestStoreKind): Promise<{ where: string; dataDir?: string }> {
  return bffTaskStoreAt(await newTestStorePlace(kind));
}

describe.each(TEST_STORE_KINDS)('task history in a $kind store, through the BFF', ({ kind, skip }) => {
  it.skipIf(skip)('records what the master lists and answers the history API', async () => {
    masterLists([
      running('web.1'),
      failed('crash.1'),
      failed('crash.2', NOW_S - 100, 'agent-2'),
      killed('sleep.1'),
    ]);
    const bff = await startBff(await newStore(kind));
    await bff.poll();
    const list = await eventually(
      () => bff.get('/api/history/tasks'),
      (r) => r.body?.tasks?.length === 4,
    );
    expect(list.status).toBe(200);
    expect(list.body.tasks.map((t: { taskId: string }) => t.taskId).sort()).toEqual([
      'crash.1',
      'crash.2',
      'sleep.1',
      'web.1',
    ]);
    const page = await bff.get('/api/history/tasks?limit=3');
    expect(page.body.tasks).toHaveLength(3);
    const rest = await bff.get(`/api/history/tasks?limit=3&cursor=${page.body.next}`);
    expect(rest.body.tasks).toHaveLength(1);
    expect(rest.body.next).toBeNull();
    const failures = (await bff.get('/api/history/tasks?state=TASK_FAILED&agent=host-2')).body.tasks;
    expect(failures.map((t: { taskId: string }) => t.taskId)).toEqual(['crash.2']);

    const one = await bff.get('/api/history/tasks/fw-1/crash.1');
    expect(one.body).toMatchObject({ state: 'TASK_FAILED', host: 'host-1', frameworkName: 'fw-1-name' });
    expect(one.body.statuses.map((s: { state: string }) => s.state)).toEqual(['TASK_RUNNING', 'TASK_FAILED']);
    expect((await bff.get('/api/history/tasks/fw-1/nothing')).status).toBe(404);

    const byMessage = await bff.get('/api/history/failures?groupBy=message');
    expect(byMessage.body.groups).toEqual([
      expect.objectContaining({ key: 'Command exited with status <n>', count: 2, newSinceYesterday: true }),
    ]);
    const byRack = await bff.get('/api/history/failures?groupBy=attribute:rack');
    expect(byRack.body.groups.map((g: { key: string; count: number }) => [g.key, g.count]).sort()).toEqual([
      ['r1', 1],
      ['r2', 1],
    ]);
    const byApp = await bff.get('/api/history/failures?groupBy=app');
    // A plain kill is what the framework asked for: not a failure.
    expect(byApp.body.groups.map((g: { key: string; filter: object }) => [g.key, g.filter])).toEqual([
      ['crash', { app: 'crash' }],
    ]);
    expect((await bff.get('/api/history/agents/failures')).body.agents).toEqual({
      'agent-1': 1,
      'agent-2': 1,
    });
    const timeline = await bff.get('/api/history/agents/agent-2/timeline');
    expect(
      timeline.body.tasks.map((t: { taskId: string; state: string }) => [t.taskId, t.state]).sort(),
    ).toEqual([
      ['crash.2', 'TASK_FAILED'],
      ['sleep.1', 'TASK_KILLED'],
    ]);
    const exported = await bff.get('/api/history/export');
    const lines = exported.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.taskId === 'web.1')?.statuses).toHaveLength(2);

    const status = await bff.get('/api/status');
    expect(status.body.taskHistory).toMatchObject({ enabled: true, paused: false, error: null });
    await bff.close();
  });

  it.skipIf(skip)('answers bad parameters with 400 and says why', async () => {
    masterLists([]);
    const bff = await startBff(await newStore(kind));
    const cases: Array<[string, string]> = [
      [`/api/history/tasks?q=${'x'.repeat(10_000)}`, "'q'"],
      ['/api/history/tasks?from=2000&to=1000', "'from' is after 'to'"],
      ['/api/history/tasks?from=0&to=99999999999999', 'future'],
      ['/api/history/tasks?from=yesterday', "'from'"],
      ['/api/history/tasks?limit=0', "'limit'"],
      ['/api/history/tasks?state=running;drop', "'state'"],
      ['/api/history/tasks?cursor=-1', "'cursor'"],
      ['/api/history/failures?groupBy=colour', "'groupBy'"],
      [`/api/history/failures?from=0&to=${Date.now()}`, 'at most 400 days'],
      ['/api/history/agents/a1/timeline?to=soon', "'to'"],
      ['/api/history/export?from=-5', "'from'"],
    ];
    for (const [url, says] of cases) {
      const answer = await bff.get(url);
      expect([url, answer.status]).toEqual([url, 400]);
      expect(answer.body.message).toContain(says);
    }
    await bff.close();
  });

  it.skipIf(skip)(
    'after a restart, finds the tasks the master forgot, and marks those that ended unseen',
    async () => {
      const store = await newStore(kind);
      masterLists([running('long.1'), running('gone.1'), failed('done.1')]);
      const first = await startBff(store);
      await first.poll();
      await eventually(
        () => first.get('/api/history/tasks'),
        (r) => r.body?.tasks?.length === 3,
      );
      await first.close();
      // Meanwhile the master failed over: it forgot its completed tasks, and gone.1 ended unseen.
      masterLists([running('long.1'), running('new.1')]);
      const second = await startBff(store);
      await second.poll();
      const gone = await eventually(
        () => second.get('/api/history/tasks/fw-1/gone.1'),
        (r) => r.body?.reason === UNWATCHED_REASON,
      );
      expect(gone.body).toMatchObject({ state: 'TASK_UNKNOWN', reason: UNWATCHED_REASON });
      expect((await second.get('/api/history/tasks/fw-1/done.1')).body.state).toBe('TASK_FAILED');
      expect((await second.get('/api/history/tasks/fw-1/long.1')).body).toMatchObject({
        state: 'TASK_RUNNING',
        ended: null,
      });
      await eventually(
        () => second.get('/api/history/tasks/fw-1/new.1'),
        (r) => r.status === 200,
      );
      await second.close();
    },
  );

  it.skipIf(skip)('a restart in the middle of a burst loses and repeats nothing', async () => {
    const store = await newStore(kind);
    const tasks: TestTask[] = [];
    const bffs = [await startBff(store)];
    for (let step = 0; step < 60; step += 1) {
      tasks.push(running(`burst.${step}`, NOW_S - 500 + step));
      // Each step one earlier task finishes.
      if (step >= 10) {
        const done = tasks[step - 10]!;
        done.statuses = [...done.statuses.slice(0, 2), ['TASK_FINISHED', NOW_S - 400 + step]];
      }
      masterLists(tasks);
      await bffs.at(-1)!.poll();
      if (step === 30) {
        await bffs.at(-1)!.close();
        bffs.push(await startBff(store));
      }
    }
    const last = bffs.at(-1)!;
    const listed = await eventually(
      () => last.get('/api/history/tasks?limit=500&state=TASK_FINISHED'),
      (r) => r.body?.tasks?.length === 50,
    );
    expect(listed.body.tasks).toHaveLength(50);
    const exported = (await last.get('/api/history/export')).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(exported).toHaveLength(60);
    for (const task of exported) {
      expect(task.statuses.length).toBe(task.state === 'TASK_FINISHED' ? 3 : 2);
    }
    await last.close();
  });
});

describe.skipIf(NO_POSTGRES)('two mesoscope instances on one PostgreSQL', () => {
  it('write each task and status once, and both read the same history', async () => {
    const place = await newTestStorePlace('PostgreSQL');
    masterLists([running('a.1'), failed('b.1'), killed('c.1')]);
    const [one, two] = await Promise.all([startBff(bffTaskStoreAt(place)), startBff(bffTaskStoreAt(place))]);
    await Promise.all([one.poll(), two.poll()]);
    await eventually(
      () => two.get('/api/history/tasks'),
      (r) => r.body?.tasks?.length === 3,
    );
    const ended = running('a.1');
    ended.statuses.push(['TASK_FAILED', NOW_S - 10, 'REASON_COMMAND_EXECUTOR_FAILED']);
    masterLists([ended, failed('b.1'), killed('c.1')]);
    await Promise.all([one.poll(), two.poll()]);
    await eventually(
      () => one.get('/api/history/tasks?state=TASK_FAILED'),
      (r) => r.body?.tasks?.length === 2,
    );
    const store = await openTestStore(place);
    const stats = await store.stats();
    await store.close();
    expect([stats.tasks, stats.statuses]).toEqual([3, 3 + 2 + 2]);
    expect((await one.get('/api/history/export')).text).toBe((await two.get('/api/history/export')).text);
    await Promise.all([one.close(), two.close()]);
  });
});

describe('when the store cannot be used, the live dashboard goes on', () => {
  it('a file that is not SQLite: the status names it, the live views answer', async () => {
    const place = await newTestStorePlace('SQLite');
    writeFileSync(place.where, 'not a database at all\n'.repeat(300));
    masterLists([running('web.1')]);
    const bff = await startBff(bffTaskStoreAt(place));
    await bff.poll();
    const status = (await bff.get('/api/status')).body;
    expect(status.taskHistory.paused).toBe(true);
    expect(status.taskHistory.error).toContain(`${place.where} is not a SQLite database`);
    expect((await bff.get('/api/tasks')).status).toBe(200);
    const history = await bff.get('/api/history/tasks');
    expect(history.status).toBe(503);
    expect(history.body.message).toContain('is not a SQLite database');
    await bff.close();
  });

  it('a disk that fills: history pauses and says why, then catches up once it can write again', async () => {
    const real = await openTestStore('SQLite');
    let full = false;
    const failing: TaskStore = Object.create(real, {
      write: {
        value: async (...args: Parameters<TaskStore['write']>) => {
          if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
          return real.write(...args);
        },
      },
    });
    masterLists([running('a.1')]);
    const bff = await startBff({ where: 'sqlite', open: async () => failing });
    await bff.poll();
    await eventually(
      () => bff.get('/api/history/tasks'),
      (r) => r.body?.tasks?.length === 1,
    );
    full = true;
    masterLists([running('a.1'), running('b.1')]);
    await bff.poll();
    const paused = await eventually(
      () => bff.get('/api/status'),
      (r) => r.body?.taskHistory?.paused === true,
    );
    expect(paused.body.taskHistory.error).toContain('is full');
    expect((await bff.get('/api/tasks')).status).toBe(200);
    expect((await bff.get('/metrics')).text).toMatch(/mesoscope_task_store_paused 1/);
    full = false;
    masterLists([running('a.1'), running('b.1'), running('c.1')]);
    await bff.poll();
    const caughtUp = await eventually(
      () => bff.get('/api/history/tasks'),
      (r) => r.body?.tasks?.length === 3,
    );
    expect(caughtUp.body.tasks).toHaveLength(3);
    expect((await bff.get('/api/status')).body.taskHistory.paused).toBe(false);
    await bff.close();
  }, 20_000);

  it.skipIf(NO_POSTGRES)(
    'a PostgreSQL down at start, then one that goes away and comes back',
    async () => {
      masterLists([running('a.1')]);
      const down = await startBff({ where: 'postgres://mesoscope@127.0.0.1:1/nothing' });
      await down.poll();
      const status = (await down.get('/api/status')).body.taskHistory;
      expect(status).toMatchObject({ enabled: true, paused: true });
      expect(status.error).toContain('cannot use the task store at postgres://mesoscope@127.0.0.1:1/nothing');
      expect((await down.get('/api/tasks')).status).toBe(200);
      await down.close();

      const postgres = await testPostgres();
      const bff = await startBff(await newStore('PostgreSQL'));
      await bff.poll();
      await eventually(
        () => bff.get('/api/history/tasks'),
        (r) => r.body?.tasks?.length === 1,
      );
      await postgres.halt();
      masterLists([running('a.1'), running('b.1')]);
      await bff.poll();
      await eventually(
        () => bff.get('/api/status'),
        (r) => r.body?.taskHistory?.paused === true,
      );
      expect((await bff.get('/api/tasks')).status).toBe(200);
      await postgres.restart();
      const back = await eventually(
        () => bff.get('/api/history/tasks'),
        (r) => r.body?.tasks?.length === 2,
      );
      expect(back.body.tasks).toHaveLength(2);
      await bff.close();
    },
    30_000,
  );
});
