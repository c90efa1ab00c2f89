import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  agentTimelineSql,
  exportSql,
  failuresSql,
  FIRST_LAYOUT_TABLE,
  frameworkIdsSql,
  internable,
  LAYOUT_TABLE,
  listTasksSql,
  numbered,
  idGroupOf,
  idOrder,
  oldestSql,
  pgIdGroup,
  pgPackExtraSql,
  pgTaskBucket,
  packedOf,
  pruneSql,
  rowToTask,
  schemaStatements,
  STRING_ID_SQL,
  taskColumns,
  taskField,
  taskJoins,
} from './schema';
import type { Row, Sql } from './schema';
import { agentAttributesOf, openTask, toFailureCount } from './sqlite-store';
import { TaskStoreError } from './store-error';
import {
  firstLayoutResources,
  firstLayoutRow,
  repackSecondLayout,
  statusCountSql,
  statusTextIds,
  storedStatuses,
} from './stored-statuses';
import {
  changedRows,
  KNOWN_TEXTS,
  PG_ROW_COLUMNS,
  pgReadRow,
  pgBindRow,
  seconds,
  statusTexts,
  taskTexts,
  unpackStatuses,
} from './task-row';
import type { TaskRow } from './task-row';
import { UNWATCHED_REASON, UNWATCHED_STATE } from './types';
import type {
  FailureCount,
  StoredStatus,
  StoreStats,
  TaskPage,
  TaskQuery,
  TaskStore,
  WriteBatch,
} from './types';

/** The PostgreSQL type of each of `PG_ROW_COLUMNS`, for writing rows as arrays. */
const ROW_TYPES: Record<(typeof PG_ROW_COLUMNS)[number], string> = {
  cluster: 'int4',
  framework: 'int4',
  app: 'int4',
  agent: 'int4',
  state: 'int4',
  started: 'int4',
  ended: 'int4',
  task: 'text',
  statuses: 'bytea',
  extra: 'bytea',
};

/** Arrays of `PG_ROW_COLUMNS` (after `first` leading arrays), as `unnest` reads them. */
function rowArrays(first: number): string {
  return PG_ROW_COLUMNS.map((column, at) => `$${first + at + 1}::${ROW_TYPES[column]}[]`).join(', ');
}

function columnsOf(rows: readonly TaskRow[]): unknown[][] {
  const columns: unknown[][] = PG_ROW_COLUMNS.map(() => []);
  const values: unknown[] = [];
  for (const row of rows) pgBindRow(row, values).forEach((value, at) => columns[at]!.push(value));
  return columns;
}

/**
 * The layout of this version's rows, in `LAYOUT_TABLE`: 4 has what views only read packed in `extra`. A
 * store whose `tasks` still has a `reason` column is of the third layout (or the second), rewritten when
 * opened.
 */
export const PG_STORE_LAYOUT = 4;

/** The third layout's columns packed into `extra`, as SQL over that table's row. */
const THIRD_LAYOUT_EXTRA = pgPackExtraSql({
  res: 'res',
  role: 'role',
  reason: 'reason',
  message: 'message',
  norm: 'norm',
  detail: 'detail',
  failed: 'failed',
});

/** Writers of one cluster's tasks take this lock (with the cluster's id), so that each task is written once. */
const WRITE_LOCK = 7142024;

/**
 * The task store in PostgreSQL, for several mesoscope instances writing one history: a batch takes its
 * cluster's advisory lock, reads the rows of its tasks, and writes what changed (a status once per task, time
 * and state), so two instances recording the same change write it once. Each batch is a handful of
 * statements over arrays.
 */
export class PostgresTaskStore implements TaskStore {
  readonly kind = 'postgres';
  private readonly strings = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  private readonly clusters = new Map<string, number>();

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  static async open(url: string, log?: (message: string) => void): Promise<PostgresTaskStore> {
    const location = shownUrl(url);
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5_000 });
    // A server that goes away fails the queries that need it; the idle clients' errors are not crashes.
    pool.on('error', () => undefined);
    const store = new PostgresTaskStore(pool, location);
    try {
      const client = await pool.connect();
      try {
        // Two instances starting at once must not both create the tables.
        await client.query('SELECT pg_advisory_lock(7142023)');
        const found = await client.query(
          `SELECT to_regclass($1) IS NOT NULL AS first_layout, to_regclass('tasks') IS NULL AS fresh,
             to_regclass($2) IS NOT NULL AS marked,
             EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
               AND table_name = 'tasks' AND column_name = 'reason') AS wide`,
          [FIRST_LAYOUT_TABLE, LAYOUT_TABLE],
        );
        const firstLayout = Boolean(found.rows[0]?.first_layout);
        const fresh = Boolean(found.rows[0]?.fresh);
        const secondLayout = !firstLayout && !fresh && !found.rows[0]?.marked;
        // The second layout's table is the third's, with its statuses packed the older way.
        const thirdLayout = !firstLayout && !fresh && Boolean(found.rows[0]?.wide);
        const rewritten = firstLayout || secondLayout || thirdLayout;
        if (rewritten) {
          log?.(
            `task history: rewriting ${location} in this version's smaller layout (once; a large store takes minutes)`,
          );
        }
        await client.query('BEGIN');
        if (firstLayout) {
          // Its indexes go with it; the new table takes their names.
          for (const name of ['tasks_agent', 'tasks_app', 'tasks_framework_state', 'tasks_failures'])
            await client.query(`DROP INDEX IF EXISTS ${name}`);
          await client.query('DROP STATISTICS IF EXISTS tasks_framework_state_pairs');
          await client.query('ALTER TABLE tasks RENAME TO tasks_first_layout');
          await client.query(
            'ALTER TABLE tasks_first_layout RENAME CONSTRAINT tasks_pkey TO tasks_first_layout_pkey',
          );
          await client.query('ALTER SEQUENCE IF EXISTS tasks_id_seq RENAME TO tasks_first_layout_id_seq');
        }
        if (secondLayout) await store.repackSecondLayout(client);
        if (thirdLayout) await setAsideThirdLayout(client);
        for (const statement of schemaStatements('postgres')) await client.query(statement);
        if (firstLayout) {
          await store.copyFirstLayout(client);
          await client.query('DROP TABLE tasks_first_layout');
          await client.query(`DROP TABLE ${FIRST_LAYOUT_TABLE}`);
        }
        if (thirdLayout) {
          await client.query(
            `INSERT INTO tasks (id, ${PG_ROW_COLUMNS.join(', ')})
             SELECT id, cluster, framework, app, agent, state, started, ended, task, statuses, ${THIRD_LAYOUT_EXTRA}
             FROM ${THIRD_LAYOUT_TABLE}`,
          );
          await client.query(
            `SELECT setval(pg_get_serial_sequence('tasks', 'id'), GREATEST((SELECT MAX(id) FROM tasks), 1))`,
          );
          await client.query(`DROP TABLE ${THIRD_LAYOUT_TABLE}`);
        }
        if (fresh && Number((await client.query('SELECT COUNT(*) AS n FROM strings')).rows[0]?.n) === 0) {
          await client.query(
            'INSERT INTO strings (id, text) SELECT n, t FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n)',
            [KNOWN_TEXTS],
          );
          await client.query(`SELECT setval(pg_get_serial_sequence('strings', 'id'), $1)`, [
            KNOWN_TEXTS.length,
          ]);
        }
        await client.query(`DELETE FROM ${LAYOUT_TABLE}`);
        await client.query(`INSERT INTO ${LAYOUT_TABLE} (version) VALUES ($1)`, [PG_STORE_LAYOUT]);
        await client.query('COMMIT');
        if (rewritten) await client.query('VACUUM ANALYZE tasks');
        await client.query('SELECT pg_advisory_unlock(7142023)');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new TaskStoreError(`cannot use the task store at ${location}: ${(error as Error).message}`);
    }
    return store;
  }

  /** Packs the statuses of a store of the second layout as this one does. */
  private async repackSecondLayout(client: pg.ClientBase): Promise<void> {
    let after = 0;
    for (;;) {
      const rows = await this.query(
        `SELECT id, started, statuses FROM tasks WHERE ${pgIdGroup('id')} >= $1 AND id > $2
         ORDER BY ${idOrder('postgres', 'id', '')} LIMIT 5000`,
        [idGroupOf(after), after],
        client,
      );
      if (rows.length === 0) break;
      after = Number(rows.at(-1)!['id']);
      await this.query(
        `UPDATE tasks SET statuses = x.s FROM unnest($1::int4[], $2::bytea[]) AS x(id, s)
         WHERE ${pgIdGroup('tasks.id')} = ${pgIdGroup('x.id')} AND tasks.id = x.id`,
        [
          rows.map((row) => row['id']),
          rows.map((row) => repackSecondLayout(row['statuses'] as Uint8Array | null, Number(row['started']))),
        ],
        client,
      );
    }
  }

  /** Rewrites the first layout's tasks and statuses (`tasks_first_layout`, `statuses`) as rows of this one. */
  private async copyFirstLayout(client: pg.ClientBase): Promise<void> {
    let after = 0;
    for (;;) {
      const old = await this.query(
        'SELECT * FROM tasks_first_layout WHERE id > $1 ORDER BY id LIMIT 5000',
        [after],
        client,
      );
      if (old.length === 0) break;
      after = Number(old.at(-1)!['id']);
      const statuses = new Map<number, Row[]>();
      for (const s of await this.query(
        `SELECT * FROM ${FIRST_LAYOUT_TABLE} WHERE task = ANY($1::bigint[]) ORDER BY task, t, state`,
        [old.map((row) => row['id'])],
        client,
      )) {
        const task = Number(s['task']);
        let list = statuses.get(task);
        if (!list) statuses.set(task, (list = []));
        list.push(s);
      }
      await this.internAll(old.map(firstLayoutResources));
      const rows = old.map((row) =>
        firstLayoutRow(row, statuses.get(Number(row['id'])) ?? [], this.id(firstLayoutResources(row))),
      );
      await this.query(
        `INSERT INTO tasks (id, ${PG_ROW_COLUMNS.join(', ')}) SELECT * FROM unnest($1::int4[], ${rowArrays(1)})`,
        [rows.map((row) => row.id), ...columnsOf(rows)],
        client,
      );
    }
    await client.query(
      `SELECT setval(pg_get_serial_sequence('tasks', 'id'), GREATEST((SELECT MAX(id) FROM tasks), 1))`,
    );
  }

  private async query(
    sql: Sql | string,
    params: unknown[] = [],
    client: pg.ClientBase | pg.Pool = this.pool,
  ) {
    const text = typeof sql === 'string' ? sql : numbered(sql.text);
    const values = typeof sql === 'string' ? params : sql.params;
    return (await client.query(text, values)).rows as Row[];
  }

  private async internAll(texts: Iterable<string | null>): Promise<void> {
    const missing = new Set<string>();
    for (const text of texts) {
      if (text === null) continue;
      const value = internable(text);
      if (!this.strings.has(value)) missing.add(value);
    }
    if (missing.size === 0) return;
    const values = [...missing];
    // Outside the batch's transaction: once interned, a text keeps its id whatever happens to the batch.
    await this.query('INSERT INTO strings (text) SELECT unnest($1::text[]) ON CONFLICT (text) DO NOTHING', [
      values,
    ]);
    for (const row of await this.query('SELECT id, text FROM strings WHERE text = ANY($1::text[])', [
      values,
    ])) {
      this.strings.set(String(row['text']), Number(row['id']));
      this.texts.set(Number(row['id']), String(row['text']));
    }
  }

  private id(text: string | null): number | null {
    return text === null ? null : (this.strings.get(internable(text)) ?? null);
  }

  private async clusterId(key: string, create: boolean): Promise<number | null> {
    let id = this.clusters.get(key);
    if (id === undefined) {
      if (create)
        await this.query('INSERT INTO clusters (key) VALUES ($1) ON CONFLICT (key) DO NOTHING', [key]);
      const rows = await this.query('SELECT id FROM clusters WHERE key = $1', [key]);
      if (!rows[0]) return null;
      id = Number(rows[0]['id']);
      this.clusters.set(key, id);
    }
    return id;
  }

  async write(clusterKey: string, batch: WriteBatch): Promise<void> {
    const cluster = (await this.clusterId(clusterKey, true))!;
    await this.internAll(textsOf(batch));
    await this.internAll([UNWATCHED_STATE]);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [WRITE_LOCK, cluster]);
      if (batch.frameworks.length > 0) {
        await this.query(
          `INSERT INTO frameworks (cluster, framework, name)
           SELECT $1, f, n FROM unnest($2::bigint[], $3::bigint[]) AS x(f, n)
           ON CONFLICT (cluster, framework) DO UPDATE SET name = excluded.name WHERE frameworks.name <> excluded.name`,
          [
            cluster,
            batch.frameworks.map((f) => this.id(f.frameworkId)),
            batch.frameworks.map((f) => this.id(f.name)),
          ],
          client,
        );
      }
      if (batch.agents.length > 0) {
        await this.query(
          `INSERT INTO agents (cluster, agent, host, attributes)
           SELECT $1, a, h, j FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS x(a, h, j)
           ON CONFLICT (cluster, agent) DO UPDATE SET host = excluded.host, attributes = excluded.attributes
           WHERE agents.host <> excluded.host OR agents.attributes IS DISTINCT FROM excluded.attributes`,
          [
            cluster,
            batch.agents.map((a) => this.id(a.agentId)),
            batch.agents.map((a) => this.id(a.host)),
            batch.agents.map((a) => a.attributes),
          ],
          client,
        );
      }
      const keys = new Map<string, [number, string]>();
      for (const x of [...batch.tasks, ...batch.statuses]) {
        const framework = this.id(x.frameworkId)!;
        keys.set(`${framework}\u0000${x.taskId}`, [framework, x.taskId]);
      }
      const stored = new Map<string, TaskRow>();
      if (keys.size > 0) {
        // One scan of the bucket index for all the batch's buckets (a join would read the whole index, or
        // pick an index of the framework); a task of another framework with the same id is read and not used.
        const found = await this.query(
          `SELECT t.id, t.cluster, t.framework, t.task, t.app, t.agent, t.state, t.started, t.ended,
             t.statuses, t.extra FROM tasks t
           WHERE ${pgTaskBucket('t.task')} = ANY(ARRAY(SELECT ${pgTaskBucket('k')} FROM unnest($2::text[]) AS k))
             AND (t.cluster + 0) = $1 AND t.task = ANY($2::text[])`,
          [cluster, [...keys.values()].map(([, t]) => t)],
          client,
        );
        for (const r of found) {
          const row = pgReadRow(r);
          stored.set(`${row.framework}\u0000${row.task}`, row);
        }
      }
      const rows = changedRows(
        cluster,
        batch,
        (text) => this.id(text),
        (frameworkId, taskId) => stored.get(`${this.id(frameworkId)}\u0000${taskId}`) ?? null,
        this.id(UNWATCHED_STATE),
      );
      const inserts = rows.filter((row) => row.id === null);
      const updates = rows.filter((row) => row.id !== null);
      if (inserts.length > 0) await copyRows(client, inserts);
      if (updates.length > 0) {
        await this.query(
          `UPDATE tasks SET ${PG_ROW_COLUMNS.map((column) => `${column} = x.${column}`).join(', ')}
           FROM unnest($1::int4[], ${rowArrays(1)}) AS x(id, ${PG_ROW_COLUMNS.join(', ')})
           WHERE ${pgIdGroup('tasks.id')} = ${pgIdGroup('x.id')} AND tasks.id = x.id`,
          [updates.map((row) => row.id), ...columnsOf(updates)],
          client,
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async openTasks(clusterKey: string) {
    const cluster = await this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    const rows = await this.query(
      `SELECT f.text AS framework_id, t.task AS task_id, t.started, t.statuses FROM tasks t
       JOIN strings f ON f.id = t.framework WHERE t.cluster = $1 AND t.ended IS NULL`,
      [cluster],
    );
    return rows.map(openTask);
  }

  async markUnwatched(
    clusterKey: string,
    tasks: ReadonlyArray<{ frameworkId: string; taskId: string }>,
    at: number,
  ): Promise<void> {
    if (tasks.length === 0) return;
    const cluster = (await this.clusterId(clusterKey, true))!;
    await this.internAll([UNWATCHED_STATE, UNWATCHED_REASON, ...tasks.map((t) => t.frameworkId)]);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The cluster's write lock: a batch that read these rows before does not write them back over the mark.
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [WRITE_LOCK, cluster]);
      await this.query(
        `UPDATE tasks SET state = $1, ended = $2, extra = ${UNWATCHED_EXTRA}
         WHERE ${pgTaskBucket('tasks.task')} = ANY(ARRAY(SELECT ${pgTaskBucket('k')} FROM unnest($6::text[]) AS k))
           AND (tasks.cluster + 0) = $4 AND (tasks.framework, tasks.task) IN (SELECT * FROM unnest($5::int4[], $6::text[]))
           AND tasks.ended IS NULL`,
        [
          this.id(UNWATCHED_STATE),
          seconds(at),
          this.id(UNWATCHED_REASON),
          cluster,
          tasks.map((t) => this.id(t.frameworkId)),
          tasks.map((t) => t.taskId),
        ],
        client,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listTasks(clusterKey: string, query: TaskQuery): Promise<TaskPage> {
    const cluster = await this.clusterId(clusterKey, false);
    if (cluster === null) return { tasks: [], next: null };
    const frameworkIds = query.framework
      ? (await this.query(frameworkIdsSql(cluster, query.framework))).map((row) => Number(row['id']))
      : [];
    const state = query.state
      ? (await this.query({ text: STRING_ID_SQL, params: [query.state] }))[0]
      : undefined;
    const stateId = state ? Number(state['id']) : null;
    const rows = (await this.query(listTasksSql(cluster, query, 'postgres', { frameworkIds, stateId }))).map(
      rowToTask,
    );
    const more = rows.length > query.limit;
    const tasks = rows.slice(0, query.limit);
    return { tasks, next: more ? tasks.at(-1)!.key : null };
  }

  async getTask(clusterKey: string, frameworkId: string, taskId: string) {
    const cluster = await this.clusterId(clusterKey, false);
    if (cluster === null) return null;
    const rows = await this.query(
      `SELECT ${taskColumns('postgres')} FROM tasks t ${taskJoins('postgres')}
       WHERE ${pgTaskBucket('t.task')} = ${pgTaskBucket('$3')} AND (t.cluster + 0) = $1
         AND (t.framework + 0) = (SELECT id FROM strings WHERE text = $2) AND t.task = $3`,
      [cluster, frameworkId, taskId],
    );
    if (!rows[0]) return null;
    return { ...rowToTask(rows[0]), statuses: (await this.statusesOf([packedOf(rows[0])]))[0]! };
  }

  /** The statuses of rows as the API gives them. */
  private async statusesOf(
    rows: ReadonlyArray<{ packed: Uint8Array | null; base: number }>,
  ): Promise<StoredStatus[][]> {
    const unpacked = rows.map((row) => unpackStatuses(row.packed, row.base));
    const missing = [...statusTextIds(unpacked.flat())].filter((id) => !this.texts.has(id));
    if (missing.length > 0) {
      for (const row of await this.query('SELECT id, text FROM strings WHERE id = ANY($1::bigint[])', [
        missing,
      ]))
        this.texts.set(Number(row['id']), String(row['text']));
    }
    return unpacked.map((statuses) => storedStatuses(statuses, this.texts));
  }

  async failures(clusterKey: string, range: Parameters<TaskStore['failures']>[1]): Promise<FailureCount[]> {
    const cluster = await this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    return (await this.query(failuresSql(cluster, range, 'postgres'))).map(toFailureCount);
  }

  async agentTimeline(
    clusterKey: string,
    agentId: string,
    range: { from: number; to: number; limit: number },
  ) {
    const cluster = await this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    return (await this.query(agentTimelineSql(cluster, agentId, range, 'postgres'))).map(rowToTask);
  }

  async agentAttributes(clusterKey: string) {
    const cluster = await this.clusterId(clusterKey, false);
    const found = new Map<string, { host: string; attributes: Record<string, unknown> }>();
    if (cluster === null) return found;
    const rows = await this.query(
      `SELECT a.text AS agent, h.text AS host, g.attributes FROM agents g
       JOIN strings a ON a.id = g.agent JOIN strings h ON h.id = g.host WHERE g.cluster = $1`,
      [cluster],
    );
    for (const row of rows) found.set(String(row['agent']), agentAttributesOf(row));
    return found;
  }

  async exportTasks(clusterKey: string, range: { from: number; to: number; after: number; limit: number }) {
    const cluster = await this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    const rows = await this.query(exportSql(cluster, range, 'postgres'));
    const statuses = await this.statusesOf(rows.map(packedOf));
    return rows.map((row, at) => ({ ...rowToTask(row), statuses: statuses[at]! }));
  }

  async prune(limits: { before: number; maxBytes: number | null }): Promise<number> {
    const sql = pruneSql(limits.before, 'postgres');
    const [bound] = await this.query(numbered(sql.bound), sql.boundParams);
    let removed = await this.deleteOldest(
      // `$1` is the batch size.
      'ended < $2 AND id < $3',
      [...sql.params, bound ? Number(bound['id']) : Number.MAX_SAFE_INTEGER],
      Number.MAX_SAFE_INTEGER,
    );
    if (limits.maxBytes !== null) {
      const { bytes, tasks } = await this.stats();
      if (bytes > limits.maxBytes && tasks > 0) {
        const excess = Math.ceil((tasks * (bytes - limits.maxBytes)) / bytes) + 1;
        removed += await this.deleteOldest('TRUE', [], excess);
      }
    }
    return removed;
  }

  private async deleteOldest(condition: string, params: unknown[], atMost: number): Promise<number> {
    let removed = 0;
    while (removed < atMost) {
      const rows = await this.query(
        `WITH picked AS (
           SELECT id FROM tasks WHERE ended IS NOT NULL AND ${condition}
           ORDER BY ${idOrder('postgres', 'id', '')} LIMIT $1),
         gone AS (
           DELETE FROM tasks USING picked
           WHERE ${pgIdGroup('tasks.id')} = ${pgIdGroup('picked.id')} AND tasks.id = picked.id
           RETURNING tasks.id)
         SELECT COUNT(*) AS n FROM gone`,
        [Math.min(5_000, atMost - removed), ...params],
      );
      const gone = rows[0] ? Number(rows[0]['n']) : 0;
      if (gone === 0) break;
      removed += gone;
    }
    return removed;
  }

  async stats(): Promise<StoreStats> {
    const rows = await this.query(
      `SELECT (SELECT COUNT(*) FROM tasks) AS tasks, (${statusCountSql('postgres')}) AS statuses,
         (${oldestSql('postgres')}) AS oldest,
         pg_total_relation_size('tasks') + pg_total_relation_size('strings')
           + pg_total_relation_size('frameworks') + pg_total_relation_size('agents') AS bytes`,
    );
    const row = rows[0]!;
    return {
      tasks: Number(row['tasks']),
      statuses: Number(row['statuses']),
      bytes: Number(row['bytes']),
      oldest: row['oldest'] === null ? null : Number(row['oldest']),
    };
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

const THIRD_LAYOUT_TABLE = 'tasks_third_layout';

/**
 * Renames a `tasks` table of the third layout out of the way, with nothing left of it under this layout's
 * names (its sequence, indexes, statistics), so that this layout's table can be made and filled from it.
 */
async function setAsideThirdLayout(client: pg.ClientBase): Promise<void> {
  await client.query(`ALTER TABLE tasks RENAME TO ${THIRD_LAYOUT_TABLE}`);
  await client.query(`ALTER SEQUENCE IF EXISTS tasks_id_seq RENAME TO ${THIRD_LAYOUT_TABLE}_id_seq`);
  await client.query(`ALTER TABLE ${THIRD_LAYOUT_TABLE} DROP CONSTRAINT IF EXISTS tasks_pkey`);
  const indexes = await client.query(
    'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1',
    [THIRD_LAYOUT_TABLE],
  );
  for (const row of indexes.rows as Array<{ indexname: string }>)
    await client.query(`DROP INDEX ${pg.escapeIdentifier(row.indexname)}`);
  await client.query('DROP STATISTICS IF EXISTS tasks_framework_state_pairs');
}

/** A task's `extra` once marked as ended unseen: the reason `$3`, no message; the rest as it was. */
const UNWATCHED_EXTRA = pgPackExtraSql({
  res: taskField('postgres', 'res', 'tasks'),
  role: taskField('postgres', 'role', 'tasks'),
  reason: 'CAST($3 AS INTEGER)',
  message: 'NULL',
  norm: 'NULL',
  detail: taskField('postgres', 'detail', 'tasks'),
  failed: taskField('postgres', 'failed', 'tasks'),
});

/** A text as COPY's text format writes it. */
function copyText(value: string): string {
  return value.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

/** A column's value as COPY's text format writes it: a number, a text, bytes in hex, or NULL. */
function copyValue(value: unknown): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return copyText(value);
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  return String(value);
}

/** A row as a line of COPY's text format, its columns as `pgBindRow` gives them, into `values`. */
function copyLine(row: TaskRow, values: unknown[]): string {
  pgBindRow(row, values);
  let line = copyValue(values[0]);
  for (let at = 1; at < values.length; at += 1) line += `\t${copyValue(values[at])}`;
  return `${line}\n`;
}

/**
 * New rows written with COPY, the fastest way into PostgreSQL (a first backfill is tens of thousands of
 * rows), on the batch's connection and so in its transaction: the rows land with the batch or not at all.
 * Each row goes straight to its line, without an array of its values, and lines go in chunks, so that
 * PostgreSQL stores the first while the next are made.
 */
async function copyRows(client: pg.PoolClient, rows: readonly TaskRow[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY tasks (${PG_ROW_COLUMNS.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), stream);
}

function* copyChunks(rows: readonly TaskRow[]): Generator<string> {
  const values: unknown[] = [];
  for (let at = 0; at < rows.length; at += 1_000) {
    let text = '';
    for (let i = at; i < Math.min(rows.length, at + 1_000); i += 1) text += copyLine(rows[i]!, values);
    yield text;
  }
}

function textsOf(batch: WriteBatch): Array<string | null> {
  const texts: Array<string | null> = [];
  for (const f of batch.frameworks) texts.push(f.frameworkId, f.name);
  for (const a of batch.agents) texts.push(a.agentId, a.host);
  for (const t of batch.tasks) texts.push(...taskTexts(t));
  for (const s of batch.statuses) texts.push(...statusTexts(s));
  return texts;
}

/** A PostgreSQL URL as it may be shown: without its password. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(invalid URL)';
  }
}
