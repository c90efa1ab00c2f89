/**
 * `npm run bench -- task-store [--tasks=N] [--store=sqlite|postgres] [--only=ingest|queries]`: the task history at the massive scenario's size, SQLite and
 * PostgreSQL side by side: the first backfill of 100,000 running tasks, sustained ingest at 10 and 1,000
 * status updates a second (mesoscope's CPU while recording), and with N stored tasks (10 million; rows made
 * directly in the store, over 30 days) a filtered Tasks page for 7 days, the Failures page, and the bytes a
 * task takes on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { parseMasterState } from '../src/mesos';
import type { MasterState } from '../src/mesos';
import { StreamState } from '../src/mesos/operator-v1/stream-state';
import type { MasterHeader } from '../src/mesos/operator-v1/state';
import { buildSnapshot } from '../src/bff/model/cluster-snapshot';
import { PostgresTaskStore } from '../src/bff/task-store/postgres-store';
import { SqliteTaskStore } from '../src/bff/task-store/sqlite-store';
import { TaskRecorder } from '../src/bff/task-store/task-recorder';
import {
  KNOWN_TEXTS,
  packExtra,
  packStatuses,
  PG_ROW_COLUMNS,
  resourcesText,
  ROW_COLUMNS,
  taskHash,
} from '../src/bff/task-store/task-row';
import type { TaskStore } from '../src/bff/task-store/types';
import {
  createDatabase,
  postgresBinDir,
  startThrowawayPostgres,
} from '../src/bff/testing/throwaway-postgres';
import type { ThrowawayPostgres } from '../src/bff/testing/throwaway-postgres';
import type { Bench } from './bench-table';

const DAY = 86_400_000;
const CLUSTER = 'bench';
const FRAMEWORKS = 10;
const APPS = 1_000;
const AGENTS = 10_000;

/** The massive scenario's shape: `tasks` running tasks over 10 frameworks and 10,000 agents. */
export function massiveState(tasks: number, t0: number): MasterState {
  const frameworks = Array.from({ length: FRAMEWORKS }, (_, f) => ({
    id: `fw-${f}`,
    name: `framework-${f}`,
    roles: [`role-${f % 4}`],
    active: true,
    tasks: [] as unknown[],
    completed_tasks: [] as unknown[],
    unreachable_tasks: [] as unknown[],
  }));
  for (let i = 0; i < tasks; i += 1) {
    frameworks[i % FRAMEWORKS]!.tasks.push({
      id: `app-${i % APPS}.${i.toString(16).padStart(8, '0')}-7f3c-11ee-b962-0242ac120002`,
      name: `app-${i % APPS}`,
      framework_id: `fw-${i % FRAMEWORKS}`,
      slave_id: `agent-S${i % AGENTS}`,
      state: 'TASK_RUNNING',
      resources: { cpus: 0.5, mem: 512, disk: 0, gpus: 0 },
      statuses: [
        { state: 'TASK_STARTING', timestamp: t0 / 1000 - 60, source: 'SOURCE_EXECUTOR' },
        { state: 'TASK_RUNNING', timestamp: t0 / 1000 - 59, source: 'SOURCE_EXECUTOR' },
      ],
    });
  }
  return parseMasterState({
    version: '1.11.0',
    id: 'master-1',
    pid: 'master@10.0.0.1:5050',
    leader: 'master@10.0.0.1:5050',
    hostname: 'master-1',
    slaves: Array.from({ length: AGENTS }, (_, a) => ({
      id: `agent-S${a}`,
      hostname: `node-${a}.example.com`,
      pid: `slave(1)@10.1.${Math.floor(a / 250)}.${a % 250}:5051`,
      attributes: { rack: `rack-${a % 40}` },
      resources: {},
    })),
    frameworks,
    completed_frameworks: [],
  });
}

interface Kind {
  name: string;
  open(label: string): Promise<TaskStore>;
}

/**
 * The massive scenario's cluster as the event stream folds it: mesoscope reads a cluster this size from the
 * operator API's event stream, whose published states share every unchanged object and say which tasks
 * changed (a recorder follows those, as it does in mesoscope).
 */
function massiveStream(state: MasterState): StreamState {
  const header: MasterHeader = {
    version: state.version,
    id: state.id,
    pid: state.pid,
    hostname: state.hostname,
  };
  const stream = StreamState.withoutTasks(header, {
    get_agents: {
      agents: state.slaves.map((agent) => ({
        agent_info: {
          id: { value: agent.id },
          hostname: agent.hostname,
          attributes: Object.entries(agent.attributes ?? {}).map(([name, value]) => ({
            name,
            type: 'TEXT',
            text: { value: String(value) },
          })),
        },
        pid: agent.pid,
      })),
    },
    get_frameworks: {
      frameworks: state.frameworks.map((framework) => ({
        framework_info: { id: { value: framework.id }, name: framework.name, roles: framework.roles },
        active: true,
      })),
    },
  });
  stream.addSnapshotTasks(
    'tasks',
    state.frameworks.flatMap((framework) => framework.tasks),
  );
  stream.finishSnapshot();
  return stream;
}

async function backfillAndIngest(kind: Kind, smoke: boolean): Promise<Record<string, string | number>> {
  const store = await kind.open('ingest');
  // The CPU of the recorder's own calls while `counting`: observing a publish, and writing (PostgreSQL's
  // writes wait for the server, during which this process is mostly idle).
  const calls = { counting: false, cpuUs: 0 };
  const cpuSince = (start: NodeJS.CpuUsage) => {
    const spent = process.cpuUsage(start);
    return spent.user + spent.system;
  };
  const timed: TaskStore = Object.assign(Object.create(store) as TaskStore, {
    write: async (...args: Parameters<TaskStore['write']>) => {
      const start = process.cpuUsage();
      try {
        return await store.write(...args);
      } finally {
        if (calls.counting) calls.cpuUs += cpuSince(start);
      }
    },
  });
  const recorder = new TaskRecorder({ store: timed, flushMs: 500 });
  const t0 = Date.now();
  const running = smoke ? 5_000 : 100_000;
  const massive = massiveState(running, t0);
  const tasks = massive.frameworks.map((framework) =>
    framework.tasks.map((task) => ({ id: task.id, agentId: task.slave_id, state: task.state })),
  );
  const stream = massiveStream(massive);
  let version = 1;
  const snapshot = () =>
    buildSnapshot({
      version: version++,
      fetchedAt: Date.now(),
      leaderUrl: 'http://m',
      state: stream.publish(),
      metrics: null,
    });

  const backfillStart = performance.now();
  recorder.observe(CLUSTER, snapshot(), true);
  await recorder.flush();
  await recorder.flush();
  const backfillS = (performance.now() - backfillStart) / 1000;

  const row: Record<string, string | number> = { store: kind.name, 'backfill 100k s': backfillS };
  let n = 0;
  /**
   * `seconds` ticks of `rate` status updates folded in as the event stream brings them, each tick a published
   * state and a snapshot as the poller makes anyway, recorded or not: this process's CPU time (µs) and wall
   * time (ms) over the ticks.
   */
  const ticks = async (rate: number, seconds: number, recording: boolean) => {
    calls.counting = recording;
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    for (let s = 0; s < seconds; s += 1) {
      const tickStart = performance.now();
      for (let i = 0; i < rate; i += 1) {
        const f = n % FRAMEWORKS;
        const task = tasks[f]![Math.floor(n / FRAMEWORKS) % tasks[f]!.length]!;
        task.state = task.state === 'TASK_RUNNING' ? 'TASK_KILLING' : 'TASK_RUNNING';
        stream.apply({
          type: 'TASK_UPDATED',
          frameworkId: `fw-${f}`,
          taskId: task.id,
          agentId: task.agentId,
          executorId: null,
          state: task.state,
          status: { state: task.state, timestamp: Date.now() / 1000 + n / 1e6, source: 'SOURCE_EXECUTOR' },
        });
        n += 1;
      }
      const built = snapshot();
      if (recording) {
        const start = process.cpuUsage();
        recorder.observe(CLUSTER, built);
        calls.cpuUs += cpuSince(start);
      }
      const wait = 1000 - (performance.now() - tickStart);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await recorder.flush();
    calls.counting = false;
    return { cpuUs: cpuSince(cpuStart), wallMs: performance.now() - wallStart };
  };
  for (const rate of [10, 1_000]) {
    // The same ticks without recording, in turns with the recorded ones so that a change in the machine's
    // load meets both: what recording adds is the difference (its garbage collection included, which a count
    // of its own calls alone would miss).
    const turns = smoke ? 1 : 3;
    const seconds = smoke ? 3 : 10;
    const spent = { without: { cpuUs: 0, wallMs: 0 }, recording: { cpuUs: 0, wallMs: 0 } };
    calls.cpuUs = 0;
    for (let turn = 0; turn < turns; turn += 1) {
      const without = await ticks(rate, seconds, false);
      // What changed meanwhile is recorded before the measured ticks.
      recorder.observe(CLUSTER, snapshot());
      await recorder.flush();
      const recording = await ticks(rate, seconds, true);
      for (const [into, from] of [
        [spent.without, without],
        [spent.recording, recording],
      ] as const) {
        into.cpuUs += from.cpuUs;
        into.wallMs += from.wallMs;
      }
    }
    const percent = (part: { cpuUs: number; wallMs: number }) => (100 * part.cpuUs) / (part.wallMs * 1000);
    const recording = percent(spent.recording);
    const without = percent(spent.without);
    row[`ingest ${rate}/s CPU %`] =
      `${Math.max(0, recording - without).toFixed(1)} (${recording.toFixed(1)} - ${without.toFixed(1)})`;
    row[`ingest ${rate}/s calls %`] = percent({ cpuUs: calls.cpuUs, wallMs: spent.recording.wallMs });
  }
  await recorder.close();
  await store.close();
  return row;
}

/**
 * Fills a store with `count` ended tasks over 30 days (5 % failed), written as SQL, not through a cluster,
 * in the store's own layout: each task's two statuses packed as the store packs them (the packings differ
 * only by the start's milliseconds and by failing, so they are made once and picked per row).
 */
export async function generate(kind: Kind, store: TaskStore, count: number, now: number): Promise<void> {
  // A new store holds Mesos's states, sources and reasons already (`KNOWN_TEXTS`, ids from 1): the rest
  // follow them.
  const texts: string[] = [];
  const add = (text: string) => {
    const known = KNOWN_TEXTS.indexOf(text);
    return known >= 0 ? known + 1 : KNOWN_TEXTS.length + texts.push(text);
  };
  const fw = Array.from({ length: FRAMEWORKS }, (_, f) => add(`fw-${f}`));
  const fwName = Array.from({ length: FRAMEWORKS }, (_, f) => add(`framework-${f}`));
  const app0 = texts.length + 1;
  for (let a = 0; a < APPS; a += 1) add(`app-${a}`);
  const agent0 = texts.length + 1;
  for (let a = 0; a < AGENTS; a += 1) add(`agent-S${a}`);
  const host0 = texts.length + 1;
  for (let a = 0; a < AGENTS; a += 1) add(`node-${a}.example.com`);
  const finished = add('TASK_FINISHED');
  const failed = add('TASK_FAILED');
  const runningState = add('TASK_RUNNING');
  const reason = add('REASON_COMMAND_EXECUTOR_FAILED');
  const message = add('Command exited with status 1');
  const norm = add('Command exited with status <n>');
  const source = add('SOURCE_EXECUTOR');
  const res = add(resourcesText({ cpus: 0.5, mem: 512, disk: null, gpus: null })!);
  const span = 30 * DAY;
  const step = Math.floor(span / count);
  // Packed statuses by (start ms % 1000) * 2 + failed: running at the start, ended 10 minutes later.
  const packings = Array.from({ length: 2_000 }, (_, k) => {
    const startMs = 1_000_000 + Math.floor(k / 2);
    const fail = k % 2 === 1;
    return packStatuses(
      [
        { state: runningState, t: startMs, source, reason: null, message: null, healthy: null },
        {
          state: fail ? failed : finished,
          t: startMs + 600_000,
          source,
          reason: fail ? reason : null,
          message: fail ? message : null,
          healthy: null,
        },
      ],
      1_000,
      startMs + 600_000,
    );
  });
  // Task i: framework i%10, app i%1000, agent i%10000, started evenly over 30 days, 10 minutes long.
  const startMs = (i: string) => `(${now - span} + ${i} * ${step})`;
  const taskSelect = (i: string, div: (ms: string) => string, extra: string) => `
    SELECT 1, ${fw[0]} + (${i} % ${FRAMEWORKS}), ${app0} + (${i} % ${APPS}), ${agent0} + (${i} % ${AGENTS}), NULL,
      CASE WHEN ${i} % 20 = 0 THEN ${failed} ELSE ${finished} END,
      ${div(startMs(i))}, ${div(`${startMs(i)} + 600000`)},
      CASE WHEN ${i} % 20 = 0 THEN ${reason} END, CASE WHEN ${i} % 20 = 0 THEN ${message} END,
      CASE WHEN ${i} % 20 = 0 THEN ${norm} END, ${res}, CASE WHEN ${i} % 20 = 0 THEN 1 ELSE 0 END,
      'app-' || (${i} % ${APPS}) || '.' || ${i},
      (SELECT b FROM packings WHERE k = (${startMs(i)} % 1000) * 2 + CASE WHEN ${i} % 20 = 0 THEN 1 ELSE 0 END),
      NULL${extra}`;
  const columns = `${ROW_COLUMNS.join(', ')}`;
  if (store instanceof SqliteTaskStore) {
    const db = store.database;
    db.function('task_hash', { deterministic: true }, (f, t) => taskHash(String(f), String(t)));
    db.transaction(() => {
      db.prepare(`INSERT INTO clusters (id, key) VALUES (1, ?)`).run(CLUSTER);
      const insert = db.prepare('INSERT INTO strings (id, text) VALUES (?, ?)');
      texts.forEach((text, at) => insert.run(KNOWN_TEXTS.length + at + 1, text));
      const fwInsert = db.prepare('INSERT INTO frameworks (cluster, framework, name) VALUES (1, ?, ?)');
      fw.forEach((id, f) => fwInsert.run(id, fwName[f]));
      const agentInsert = db.prepare('INSERT INTO agents (cluster, agent, host) VALUES (1, ?, ?)');
      for (let a = 0; a < AGENTS; a += 1) agentInsert.run(agent0 + a, host0 + a);
      db.exec('CREATE TEMP TABLE packings (k INTEGER PRIMARY KEY, b BLOB)');
      const packing = db.prepare('INSERT INTO packings (k, b) VALUES (?, ?)');
      packings.forEach((b, k) => packing.run(k, b));
    })();
    const chunk = 1_000_000;
    for (let from = 0; from < count; from += chunk) {
      const to = Math.min(count, from + chunk) - 1;
      db.exec(`WITH RECURSIVE s(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM s WHERE i < ${to})
        INSERT INTO tasks (${columns}, khash)
        ${taskSelect('i', (ms) => `(${ms}) / 1000`, `, task_hash('fw-' || (i % ${FRAMEWORKS}), 'app-' || (i % ${APPS}) || '.' || i)`)} FROM s`);
    }
    db.exec('ANALYZE');
    return;
  }
  void kind;
  const pool = (store as unknown as { pool: pg.Pool }).pool;
  await pool.query(`INSERT INTO clusters (id, key) VALUES (1, $1)`, [CLUSTER]);
  await pool.query(
    'INSERT INTO strings (id, text) SELECT $2 + i, t FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i)',
    [texts, KNOWN_TEXTS.length],
  );
  await pool.query(
    `SELECT setval(pg_get_serial_sequence('strings', 'id'), ${KNOWN_TEXTS.length + texts.length})`,
  );
  await pool.query(`SELECT setval(pg_get_serial_sequence('clusters', 'id'), 1)`);
  await pool.query(
    'INSERT INTO frameworks (cluster, framework, name) SELECT 1, f, n FROM unnest($1::bigint[], $2::bigint[]) AS x(f, n)',
    [fw, fwName],
  );
  await pool.query(
    `INSERT INTO agents (cluster, agent, host) SELECT 1, ${agent0} + a, ${host0} + a FROM generate_series(0, ${AGENTS - 1}) AS a`,
  );
  await pool.query('CREATE TABLE packings (k INTEGER PRIMARY KEY, b BYTEA)');
  await pool.query(
    'INSERT INTO packings (k, b) SELECT k - 1, b FROM unnest($1::bytea[]) WITH ORDINALITY AS x(b, k)',
    [packings],
  );
  // PostgreSQL's own columns: what only views read packed in `extra`, one of two values here.
  const extra = (fail: boolean) =>
    packExtra({
      res,
      role: null,
      reason: fail ? reason : null,
      message: fail ? message : null,
      norm: fail ? norm : null,
      detail: null,
      failed: fail,
    });
  const fails = (i: string) => `${i} % 20 = 0`;
  const chunk = 1_000_000;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk) - 1;
    const i = '(i::bigint)';
    const seconds = (ms: string) => `((${ms}) / 1000)::int4`;
    await pool.query(
      `INSERT INTO tasks (${PG_ROW_COLUMNS.join(', ')})
       SELECT 1, ${fw[0]} + (${i} % ${FRAMEWORKS}), ${app0} + (${i} % ${APPS}), ${agent0} + (${i} % ${AGENTS}),
         CASE WHEN ${fails(i)} THEN ${failed} ELSE ${finished} END,
         ${seconds(startMs(i))}, ${seconds(`${startMs(i)} + 600000`)},
         'app-' || (${i} % ${APPS}) || '.' || ${i},
         (SELECT b FROM packings WHERE k = (${startMs(i)} % 1000) * 2 + CASE WHEN ${fails(i)} THEN 1 ELSE 0 END),
         CASE WHEN ${fails(i)} THEN $1::bytea ELSE $2::bytea END
       FROM generate_series(${from}, ${to}) AS i`,
      [extra(true), extra(false)],
    );
  }
  await pool.query('DROP TABLE packings');
  await pool.query('VACUUM ANALYZE');
}

async function timings(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs / 2)]!, p95: times[Math.min(runs - 1, Math.ceil(runs * 0.95) - 1)]! };
}

async function queries(kind: Kind, count: number, smoke: boolean): Promise<Record<string, string | number>> {
  const store = await kind.open('queries');
  const now = Date.now();
  const fillStart = performance.now();
  await generate(kind, store, count, now);
  const fillS = (performance.now() - fillStart) / 1000;
  const stats = await store.stats();
  const runs = smoke ? 5 : 20;
  const week = { from: now - 7 * DAY, to: now };
  let n = 0;
  const page = await timings(runs, () =>
    store.listTasks(CLUSTER, {
      ...week,
      framework: `framework-${n++ % FRAMEWORKS}`,
      state: 'TASK_FAILED',
      limit: 100,
    }),
  );
  const plain = await timings(runs, () => store.listTasks(CLUSTER, { ...week, limit: 100 }));
  const byApp = await timings(runs, () => store.failures(CLUSTER, { ...week, groupBy: 'app' }));
  const byMessage = await timings(runs, () => store.failures(CLUSTER, { ...week, groupBy: 'message' }));
  const result = {
    store: kind.name,
    'stored tasks': stats.tasks,
    'fill s': fillS,
    'bytes/task': Math.round(stats.bytes / stats.tasks),
    '7 d page, framework + FAILED p50/p95 ms': `${page.p50.toFixed(1)} / ${page.p95.toFixed(1)}`,
    '7 d page p50/p95 ms': `${plain.p50.toFixed(1)} / ${plain.p95.toFixed(1)}`,
    'failures by app p50/p95 ms': `${byApp.p50.toFixed(0)} / ${byApp.p95.toFixed(0)}`,
    'failures by message p50/p95 ms': `${byMessage.p50.toFixed(0)} / ${byMessage.p95.toFixed(0)}`,
  };
  await store.close();
  return result;
}

export const taskStoreBench: Bench = {
  name: 'task-store',
  description: 'task history: backfill, ingest CPU at 10 and 1,000 updates/s, queries at 10 million tasks',
  async run({ smoke }) {
    const flag = (name: string) =>
      process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
    const countArg = flag('tasks');
    // `--only=ingest` or `--only=queries` runs one part.
    const only = flag('only');
    const count = countArg ? Number(countArg) : smoke ? 100_000 : 10_000_000;
    const dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-bench-store-'));
    const bin = postgresBinDir();
    let postgres: ThrowawayPostgres | null = null;
    // `--store=sqlite` or `--store=postgres` measures that store alone.
    const store = process.argv.find((arg) => arg.startsWith('--store='))?.slice('--store='.length);
    const kinds: Kind[] = [];
    if (store !== 'postgres')
      kinds.push({
        name: 'SQLite',
        open: async (label) => SqliteTaskStore.open(path.join(dir, `${label}.sqlite`)),
      });
    if (bin && store !== 'sqlite') {
      postgres = await startThrowawayPostgres(bin);
      const server = postgres;
      kinds.push({
        name: 'PostgreSQL',
        open: async (label) => PostgresTaskStore.open(createDatabase(server, bin, label)),
      });
    }
    try {
      const rows: Array<Record<string, string | number>> = [];
      const ingest: Array<Record<string, string | number>> = [];
      if (only !== 'queries') for (const kind of kinds) ingest.push(await backfillAndIngest(kind, smoke));
      if (only !== 'ingest') for (const kind of kinds) rows.push(await queries(kind, count, smoke));
      return {
        title: `Task store: ${[
          only !== 'queries' ? "backfill and ingest at the massive scenario's size" : null,
          only !== 'ingest' ? `queries at ${count.toLocaleString('en')} tasks` : null,
        ]
          .filter(Boolean)
          .join(', ')}`,
        rows: [...ingest, ...rows],
        notes: [
          "ingest: 100,000 running tasks, status updates folded into the event stream's state and published once a second, as mesoscope reads a cluster this size",
          "ingest CPU %: this process's CPU over turns of 10 s recording (3 s with --smoke), less the same ticks without recording in turns with them (GC included; PostgreSQL's own server CPU is not in it)",
          "ingest calls %: the CPU of the recorder's own calls (observing each publish, writing each batch) over the same recorded turns",
          bin
            ? 'PostgreSQL: a throwaway local server with fsync off'
            : 'PostgreSQL: not installed, not measured',
        ],
      };
    } finally {
      await postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
