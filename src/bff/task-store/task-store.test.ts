import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { FIRST_LAYOUT_T0, firstLayoutStatements, thirdLayoutStatements } from './first-layout-fixture';
import { LAYOUT_TABLE, taskField } from './schema';
import { packSecondLayout } from './stored-statuses';
import { unpackRow } from './task-row';
import { TaskRecorder } from './task-recorder';
import { snapshotWith } from './test-cluster-state';
import type { TestTask } from './test-cluster-state';
import { newTestStorePlace, NO_POSTGRES, openTestStore, TEST_STORE_KINDS } from './test-stores';
import type { TestStoreKind } from './test-stores';
import type { TaskStore } from './types';
import { UNWATCHED_REASON } from './types';

const T0 = 1_700_000_000; // seconds, as Mesos gives status times
const ms = (seconds: number) => seconds * 1000;
const ALL = { from: 0, to: ms(T0 + 10 * 86_400), limit: 100 };

async function record(store: TaskStore, tasks: TestTask[], reconcile = false, cluster = 'c1'): Promise<void> {
  const recorder = new TaskRecorder({ store });
  recorder.observe(cluster, snapshotWith(tasks), reconcile);
  await recorder.close();
  expect(recorder.status.paused).toBe(false);
}

describe.each(TEST_STORE_KINDS)('the $kind task store', ({ kind, skip }) => {
  it.skipIf(skip)('keeps each task with every status, and finds it by its ids', async () => {
    const store = await openTestStore(kind);
    await record(store, [
      {
        id: 'web.1',
        statuses: [
          ['TASK_STAGING', T0],
          ['TASK_RUNNING', T0 + 1],
        ],
      },
      {
        id: 'batch.7',
        agent: 'agent-2',
        statuses: [
          ['TASK_STAGING', T0],
          ['TASK_RUNNING', T0 + 2],
          ['TASK_FAILED', T0 + 60, 'REASON_COMMAND_EXECUTOR_FAILED', 'Command exited with status 1'],
        ],
      },
    ]);
    const task = await store.getTask('c1', 'fw-1', 'batch.7');
    expect(task).toMatchObject({
      frameworkName: 'fw-1-name',
      name: 'batch',
      agentId: 'agent-2',
      host: 'host-2',
      state: 'TASK_FAILED',
      started: ms(T0),
      ended: ms(T0 + 60),
      failed: true,
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      message: 'Command exited with status 1',
      cpus: 0.5,
      mem: 128,
    });
    expect(task!.statuses.map((s) => [s.state, s.t])).toEqual([
      ['TASK_STAGING', ms(T0)],
      ['TASK_RUNNING', ms(T0 + 2)],
      ['TASK_FAILED', ms(T0 + 60)],
    ]);
    expect(await store.getTask('c1', 'fw-1', 'nope')).toBeNull();
    expect(await store.getTask('other-cluster', 'fw-1', 'batch.7')).toBeNull();
    await store.close();
  });

  it.skipIf(skip)('records a change as it happens and writes nothing twice', async () => {
    const store = await openTestStore(kind);
    const running: TestTask = {
      id: 'web.1',
      statuses: [
        ['TASK_STAGING', T0],
        ['TASK_RUNNING', T0 + 1],
      ],
    };
    await record(store, [running]);
    await record(store, [running]);
    await record(store, [{ ...running, statuses: [...running.statuses, ['TASK_FINISHED', T0 + 30]] }]);
    const task = await store.getTask('c1', 'fw-1', 'web.1');
    expect(task?.state).toBe('TASK_FINISHED');
    expect(task?.statuses).toHaveLength(3);
    const stats = await store.stats();
    expect([stats.tasks, stats.statuses]).toEqual([1, 3]);
    await store.close();
  });

  it.skipIf(skip)(
    'keeps a status time past what 32 bits of seconds hold, and a unicode message, without failing the batch',
    async () => {
      const store = await openTestStore(kind);
      const message = 'Échec: 容器 OOM 🚒 (exit 137)';
      await record(store, [
        {
          id: 'late.1',
          statuses: [
            ['TASK_RUNNING', T0],
            ['TASK_FAILED', 1e13, undefined, message],
          ],
        },
        { id: 'early.1', statuses: [['TASK_RUNNING', -5]] },
        { id: 'fine.1', statuses: [['TASK_RUNNING', T0 + 1]] },
      ]);
      const late = await store.getTask('c1', 'fw-1', 'late.1');
      expect(late?.statuses.map((s) => [s.t, s.message])).toEqual([
        [ms(T0), null],
        [(2 ** 31 - 1) * 1000 + 999, message],
      ]);
      expect(late?.message).toBe(message);
      expect((await store.getTask('c1', 'fw-1', 'early.1'))?.started).toBe(0);
      expect((await store.getTask('c1', 'fw-1', 'fine.1'))?.started).toBe(ms(T0 + 1));
      await store.close();
    },
  );

  it.skipIf(skip)("writes a backfill larger than one transaction with every task's statuses", async () => {
    const store = await openTestStore(kind);
    // Uneven status counts, so a transaction's statuses are not a fixed share of the batch's.
    const tasks: TestTask[] = Array.from({ length: 11_000 }, (_, i) => ({
      id: `big.${i}`,
      statuses: [
        ['TASK_RUNNING', T0 + i],
        ...(i % 3 === 0 ? [['TASK_FINISHED', T0 + i + 5] as TestTask['statuses'][number]] : []),
      ],
    }));
    await record(store, tasks);
    const stats = await store.stats();
    expect([stats.tasks, stats.statuses]).toEqual([11_000, 11_000 + Math.ceil(11_000 / 3)]);
    expect((await store.getTask('c1', 'fw-1', 'big.5002'))?.statuses).toHaveLength(1);
    expect((await store.getTask('c1', 'fw-1', 'big.10998'))?.statuses).toHaveLength(2);
    await store.close();
  });

  it.skipIf(skip)('lists a time range page by page, newest first, with every filter', async () => {
    const store = await openTestStore(kind);
    const tasks: TestTask[] = [];
    for (let i = 0; i < 25; i += 1) {
      tasks.push({
        id: `app${i % 3}.${i}`,
        agent: i % 2 ? 'agent-2' : 'agent-1',
        statuses: [
          ['TASK_RUNNING', T0 + i * 3600],
          i % 5 === 0
            ? [
                'TASK_FAILED',
                T0 + i * 3600 + 60,
                'REASON_COMMAND_EXECUTOR_FAILED',
                `Command exited with status ${i}`,
              ]
            : ['TASK_FINISHED', T0 + i * 3600 + 60],
        ],
      });
    }
    await record(store, tasks);
    const pages: string[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await store.listTasks('c1', { ...ALL, limit: 10, cursor });
      pages.push(...page.tasks.map((t) => t.taskId));
      if (page.next === null) break;
      cursor = page.next;
    }
    expect(pages).toHaveLength(25);
    expect(new Set(pages).size).toBe(25);
    // Hours 10 to 12: the tasks that ran then.
    const window = await store.listTasks('c1', {
      from: ms(T0 + 10 * 3600),
      to: ms(T0 + 12 * 3600),
      limit: 50,
    });
    expect(window.tasks.map((t) => t.taskId).sort()).toEqual(['app0.12', 'app1.10', 'app2.11']);
    const ids = async (filter: object) =>
      (await store.listTasks('c1', { ...ALL, ...filter })).tasks.map((t) => t.taskId).sort();
    expect(await ids({ state: 'TASK_FAILED' })).toEqual([
      'app0.0',
      'app0.15',
      'app1.10',
      'app2.20',
      'app2.5',
    ]);
    expect(await ids({ app: 'app1', agent: 'host-2' })).toEqual(['app1.1', 'app1.13', 'app1.19', 'app1.7']);
    expect(
      await ids({ framework: 'fw-1-name', reason: 'REASON_COMMAND_EXECUTOR_FAILED', q: 'STATUS 20' }),
    ).toEqual(['app2.20']);
    // A framework in one state is read through its own index: by id and by name, paged newest first.
    const failed = ['app0.0', 'app0.15', 'app1.10', 'app2.20', 'app2.5'];
    expect(await ids({ framework: 'fw-1', state: 'TASK_FAILED' })).toEqual(failed);
    expect(await ids({ framework: 'fw-1-name', state: 'TASK_FAILED' })).toEqual(failed);
    const first = await store.listTasks('c1', { ...ALL, framework: 'fw-1', state: 'TASK_FAILED', limit: 3 });
    expect(first.tasks.map((t) => t.taskId)).toEqual(['app2.20', 'app0.15', 'app1.10']);
    const rest = await store.listTasks('c1', {
      ...ALL,
      framework: 'fw-1',
      state: 'TASK_FAILED',
      limit: 3,
      cursor: first.next!,
    });
    expect(rest.tasks.map((t) => t.taskId)).toEqual(['app2.5', 'app0.0']);
    expect(rest.next).toBeNull();
    expect(await ids({ framework: 'fw-9', state: 'TASK_FAILED' })).toEqual([]);
    expect(await ids({ framework: 'fw-9' })).toEqual([]);
    expect(await ids({ q: '100%_' })).toEqual([]);
    await store.close();
  });

  it.skipIf(skip)(
    'groups failures by app, reason, normalised message and agent, with the last two days apart',
    async () => {
      const store = await openTestStore(kind);
      const day = 86_400;
      const now = T0 + 3 * day;
      const failing = (id: string, at: number, message: string, agent = 'agent-1'): TestTask => ({
        id,
        agent,
        statuses: [
          ['TASK_RUNNING', at - 10],
          ['TASK_FAILED', at, 'REASON_COMMAND_EXECUTOR_FAILED', message],
        ],
      });
      await record(store, [
        failing('crash.1', now - 2 * day + 100, 'Command exited with status 1'),
        failing('crash.2', now - 3600, 'Command exited with status 137', 'agent-2'),
        failing('crash.3', now - 60, 'Command exited with status 1', 'agent-2'),
        failing('fresh.1', now - 30, 'Failed to fetch 9c1e2f0a-1111-2222-3333-444455556666'),
        {
          id: 'fine.1',
          statuses: [
            ['TASK_RUNNING', now - 100],
            ['TASK_KILLED', now - 50],
          ],
        },
      ]);
      const range = { from: ms(now - 7 * day), to: ms(now) };
      const byApp = await store.failures('c1', { ...range, groupBy: 'app' });
      expect(byApp.map((g) => [g.key, g.count, g.last24h, g.previous24h])).toEqual([
        ['crash', 3, 2, 1],
        ['fresh', 1, 1, 0],
      ]);
      const byMessage = await store.failures('c1', { ...range, groupBy: 'message' });
      expect(byMessage.map((g) => [g.key, g.count])).toEqual([
        ['Command exited with status <n>', 3],
        ['Failed to fetch <id>', 1],
      ]);
      const byAgent = await store.failures('c1', { ...range, groupBy: 'agent' });
      expect(byAgent.map((g) => [g.key, g.count, g.example]).sort()).toEqual([
        ['agent-1', 2, 'host-1'],
        ['agent-2', 2, 'host-2'],
      ]);
      expect((await store.agentAttributes('c1')).get('agent-2')?.attributes).toEqual({ rack: 'r2' });
      await store.close();
    },
  );

  it.skipIf(skip)(
    'marks tasks the master no longer lists as ended unseen, and undoes it if one comes back',
    async () => {
      const store = await openTestStore(kind);
      const a: TestTask = { id: 'a.1', statuses: [['TASK_RUNNING', T0]] };
      const b: TestTask = { id: 'b.1', statuses: [['TASK_RUNNING', T0]] };
      await record(store, [a, b]);
      // The master restarted and lists only b: a ended while nobody watched.
      await record(store, [b], true);
      expect(await store.getTask('c1', 'fw-1', 'a.1')).toMatchObject({
        state: 'TASK_UNKNOWN',
        reason: UNWATCHED_REASON,
      });
      expect((await store.getTask('c1', 'fw-1', 'b.1'))?.state).toBe('TASK_RUNNING');
      // Its agent re-registers and the master lists it again, still running.
      await record(store, [a, b], true);
      expect(await store.getTask('c1', 'fw-1', 'a.1')).toMatchObject({ state: 'TASK_RUNNING', ended: null });
      await store.close();
    },
  );

  it.skipIf(skip)('keeps clusters apart', async () => {
    const store = await openTestStore(kind);
    await record(store, [{ id: 'x.1', statuses: [['TASK_RUNNING', T0]] }], false, 'c1');
    await record(store, [{ id: 'y.1', statuses: [['TASK_RUNNING', T0]] }], false, 'c2');
    expect((await store.listTasks('c1', ALL)).tasks.map((t) => t.taskId)).toEqual(['x.1']);
    expect((await store.listTasks('c2', ALL)).tasks.map((t) => t.taskId)).toEqual(['y.1']);
    await store.close();
  });

  it.skipIf(skip)(
    'forgets ended tasks past the retention, oldest first, and stays under a size cap',
    async () => {
      const store = await openTestStore(kind);
      const tasks: TestTask[] = Array.from({ length: 300 }, (_, i) => ({
        id: `job.${i}`,
        statuses: [
          ['TASK_RUNNING', T0 + i * 60],
          ['TASK_FINISHED', T0 + i * 60 + 30],
        ],
      }));
      tasks.push({ id: 'long.1', statuses: [['TASK_RUNNING', T0 - 86_400]] });
      await record(store, tasks);
      expect(await store.prune({ before: ms(T0 + 100 * 60), maxBytes: null })).toBe(100);
      const left = await store.listTasks('c1', { ...ALL, limit: 500 });
      expect(left.tasks).toHaveLength(201);
      // A running task is kept however old it is.
      expect(left.tasks.some((t) => t.taskId === 'long.1')).toBe(true);
      expect(left.tasks.some((t) => t.taskId === 'job.99')).toBe(false);
      const before = await store.stats();
      await store.prune({ before: 0, maxBytes: Math.floor(before.bytes / 2) });
      const after = await store.stats();
      expect(after.tasks).toBeLessThan(before.tasks * 0.6);
      expect(after.tasks).toBeGreaterThan(0);
      expect(await store.getTask('c1', 'fw-1', 'job.299')).not.toBeNull();
      expect(after.oldest).toBeGreaterThan(ms(T0 + 100 * 60));
      await store.close();
    },
  );
});

describe('the SQLite task store file', () => {
  it('names a file that is not SQLite in its error', async () => {
    const place = await newTestStorePlace('SQLite');
    writeFileSync(place.where, 'this is a text file, not a database\n'.repeat(200));
    await expect(openTestStore(place)).rejects.toThrow(
      `the task store ${place.where} is not a SQLite database`,
    );
  });
});

/** What a store of the previous version had instead of this version's indexes. */
/** What the first layout's two tasks read as, field by field, in any layout. */
async function expectFirstLayoutTasks(store: TaskStore): Promise<void> {
  const t0 = FIRST_LAYOUT_T0;
  expect(await store.getTask('c1', 'fw-1', 'web.1')).toEqual({
    key: 1,
    frameworkId: 'fw-1',
    frameworkName: 'fw-1-name',
    taskId: 'web.1',
    name: 'web',
    agentId: 'agent-1',
    host: 'host-1',
    role: 'role-a',
    state: 'TASK_RUNNING',
    started: t0,
    updated: t0 + 5,
    ended: null,
    failed: false,
    reason: null,
    message: null,
    cpus: 0.25,
    mem: 64,
    disk: null,
    gpus: null,
    detail: null,
    statuses: [
      { state: 'TASK_RUNNING', t: t0, source: 'SOURCE_EXECUTOR', reason: null, message: null, healthy: null },
      {
        state: 'TASK_RUNNING',
        t: t0 + 5,
        source: 'SOURCE_EXECUTOR',
        reason: null,
        message: null,
        healthy: true,
      },
    ],
  });
  const message = 'Ο έλεγχος απέτυχε 🚒 με κωδικό 3';
  expect(await store.getTask('c1', 'fw-1', 'web.2')).toMatchObject({
    key: 2,
    state: 'TASK_FAILED',
    role: null,
    started: t0,
    updated: t0 + 60_007,
    ended: t0 + 60_007,
    failed: true,
    reason: 'REASON_COMMAND_EXECUTOR_FAILED',
    message,
    cpus: 1.5,
    mem: 2048.5,
    disk: 10,
    gpus: 1,
    detail: { labels: [['owner', 'ops']] },
    statuses: [
      { state: 'TASK_RUNNING', t: t0, source: 'SOURCE_EXECUTOR', reason: null, message: null, healthy: null },
      {
        state: 'TASK_FAILED',
        t: t0 + 60_007,
        source: 'SOURCE_EXECUTOR',
        reason: 'REASON_COMMAND_EXECUTOR_FAILED',
        message,
        healthy: false,
      },
    ],
  });
  const groups = await store.failures('c1', { from: 0, to: t0 + 86_400_000, groupBy: 'message' });
  expect(groups.map((g) => [g.key, g.count, g.example])).toEqual([
    ['Ο έλεγχος απέτυχε 🚒 με κωδικό <n>', 1, message],
  ]);
  const page = await store.listTasks('c1', { from: 0, to: t0 + 86_400_000, limit: 10, agent: 'host-1' });
  expect(page.tasks.map((t) => t.taskId)).toEqual(['web.2', 'web.1']);
  expect(await store.stats()).toMatchObject({ tasks: 2, statuses: 4 });
}

/** Rows packed as the second layout packed them. */
function secondLayoutRows(rows: ReadonlyArray<Record<string, unknown>>): Array<[number, Buffer]> {
  return rows.map((row) => {
    const started = Number(row['started']);
    const { statuses, updated } = unpackRow(row['statuses'] as Uint8Array, started);
    return [Number(row['id']), packSecondLayout(statuses, started, updated)];
  });
}

/** A store written by an earlier version: how to open it, and the names of its tables and indexes. */
interface OldStore {
  open(log: (line: string) => void): Promise<TaskStore>;
  names(what: 'tables' | 'indexes'): Promise<string[]>;
  end(): Promise<void>;
}

async function oldSqliteStore(layout: 'first' | 'second'): Promise<OldStore> {
  const place = await newTestStorePlace('SQLite');
  const file = place.where;
  const raw = new Database(file);
  for (const statement of firstLayoutStatements('sqlite')) raw.exec(statement);
  raw.close();
  if (layout === 'second') {
    await (await openTestStore(place)).close();
    const downgrade = new Database(file);
    const update = downgrade.prepare('UPDATE tasks SET statuses = ? WHERE id = ?');
    for (const [id, packed] of secondLayoutRows(
      downgrade.prepare('SELECT id, started, statuses FROM tasks').all() as Array<Record<string, unknown>>,
    ))
      update.run(packed, id);
    downgrade.exec(`DROP TABLE ${LAYOUT_TABLE}`);
    downgrade.close();
  }
  return {
    open: (log) => openTestStore(place, log),
    names: async (what) => {
      const db = new Database(file, { readonly: true });
      const type = what === 'tables' ? 'table' : 'index';
      const rows = db
        .prepare('SELECT name FROM sqlite_schema WHERE type = ? AND sql IS NOT NULL ORDER BY name')
        .all(type) as Array<{ name: string }>;
      db.close();
      return rows.map((row) => row.name);
    },
    end: async () => undefined,
  };
}

async function oldPostgresStore(layout: 'first' | 'second' | 'third'): Promise<OldStore> {
  const place = await newTestStorePlace('PostgreSQL');
  const url = place.where;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const statement of firstLayoutStatements('postgres')) await admin.query(statement);
  if (layout !== 'first') {
    await (await openTestStore(place)).close();
    for (const statement of thirdLayoutStatements((name) => taskField('postgres', name as 'res')))
      await admin.query(statement);
  }
  if (layout === 'second') {
    const rows = (await admin.query('SELECT id, started, statuses FROM tasks')).rows;
    for (const [id, packed] of secondLayoutRows(rows))
      await admin.query('UPDATE tasks SET statuses = $1 WHERE id = $2', [packed, id]);
    await admin.query(`DROP TABLE ${LAYOUT_TABLE}`);
    // Its indexes: a unique id and a task's whole hash.
    await admin.query('DROP INDEX tasks_id_group');
    await admin.query('DROP INDEX tasks_bucket');
    await admin.query('ALTER TABLE tasks ADD PRIMARY KEY (id)');
    await admin.query('CREATE INDEX tasks_key ON tasks (hashtext(task))');
  }
  return {
    open: (log) => openTestStore(place, log),
    names: async (what) =>
      (what === 'tables'
        ? await admin.query("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        : await admin.query("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'tasks' ORDER BY 1")
      ).rows.map((row: { name: string }) => row.name),
    end: async () => admin.end(),
  };
}

const oldStores: Array<{
  layout: string;
  kind: TestStoreKind;
  make: () => Promise<OldStore>;
  skip: boolean;
}> = [
  {
    layout: 'first (a row per status)',
    kind: 'SQLite',
    make: () => oldSqliteStore('first'),
    skip: false,
  },
  {
    layout: 'first (a row per status)',
    kind: 'PostgreSQL',
    make: () => oldPostgresStore('first'),
    skip: NO_POSTGRES,
  },
  {
    layout: 'second (a varint a status field)',
    kind: 'SQLite',
    make: () => oldSqliteStore('second'),
    skip: false,
  },
  {
    layout: 'second (a varint a status field)',
    kind: 'PostgreSQL',
    make: () => oldPostgresStore('second'),
    skip: NO_POSTGRES,
  },
  {
    layout: 'third (a column a field)',
    kind: 'PostgreSQL',
    make: () => oldPostgresStore('third'),
    skip: NO_POSTGRES,
  },
];

describe.each(oldStores)('a store of the $layout layout in $kind', ({ kind, make, skip }) => {
  it.skipIf(skip)('is rewritten when opened, saying so once, keeps every field and goes on', async () => {
    const old = await make();
    try {
      const logged: string[] = [];
      const store = await old.open((line) => logged.push(line));
      expect(logged).toEqual([expect.stringContaining('task history: rewriting')]);
      const tables = await old.names('tables');
      for (const gone of ['statuses', 'tasks_first_layout', 'tasks_third_layout'])
        expect(tables).not.toContain(gone);
      expect(await old.names('indexes')).toEqual(
        kind === 'SQLite'
          ? ['tasks_agent', 'tasks_app', 'tasks_failures', 'tasks_framework_state', 'tasks_key']
          : [
              'tasks_agent',
              'tasks_app',
              'tasks_bucket',
              'tasks_failures',
              'tasks_framework_state',
              'tasks_id_group',
              'tasks_started',
            ],
      );
      await expectFirstLayoutTasks(store);
      // It goes on recording: a new status of a rewritten task, and a new task after the old ids.
      await record(store, [
        {
          id: 'web.1',
          name: 'web',
          statuses: [
            ['TASK_RUNNING', (FIRST_LAYOUT_T0 + 5) / 1000],
            ['TASK_FINISHED', FIRST_LAYOUT_T0 / 1000 + 90],
          ],
        },
        { id: 'web.3', statuses: [['TASK_RUNNING', FIRST_LAYOUT_T0 / 1000 + 95]] },
      ]);
      expect((await store.getTask('c1', 'fw-1', 'web.1'))?.statuses.map((s) => s.state)).toEqual([
        'TASK_RUNNING',
        'TASK_RUNNING',
        'TASK_FINISHED',
      ]);
      expect(await store.getTask('c1', 'fw-1', 'web.3')).toMatchObject({ key: 3, state: 'TASK_RUNNING' });
      await store.close();
      const again: string[] = [];
      await (await old.open((line) => again.push(line))).close();
      expect(again).toEqual([]);
    } finally {
      await old.end();
    }
  });
});
