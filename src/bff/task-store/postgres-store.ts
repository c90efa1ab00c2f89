import pg from 'pg';
import { normalizeMessage } from './failures';
import {
  agentTimelineSql,
  exportSql,
  failuresSql,
  frameworkIdsSql,
  internable,
  listTasksSql,
  numbered,
  rowToStatus,
  LATEST_INDEX,
  OLDEST_SQL,
  pruneSql,
  rowToTask,
  schemaStatements,
  STRING_ID_SQL,
  STATUS_SELECT,
  TASK_COLUMNS,
  TASK_JOINS,
} from './schema';
import type { Row, Sql } from './schema';
import { agentAttributesOf, toFailureCount } from './sqlite-store';
import { TaskStoreError } from './store-error';
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

/**
 * The task store in PostgreSQL, for several mesoscope instances writing one history: every write is an
 * upsert on the natural key (cluster, framework, task; a status's task, time and state), so two instances
 * recording the same change write it once. Each batch is a handful of statements over arrays.
 */
export class PostgresTaskStore implements TaskStore {
  readonly kind = 'postgres';
  private readonly strings = new Map<string, number>();
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
    try {
      const client = await pool.connect();
      try {
        // Two instances starting at once must not both create the tables.
        await client.query('SELECT pg_advisory_lock(7142023)');
        const found = await client.query(
          `SELECT to_regclass('tasks') IS NOT NULL AS tasks, to_regclass($1) IS NOT NULL AS latest`,
          [LATEST_INDEX],
        );
        if (found.rows[0]?.tasks && !found.rows[0]?.latest) {
          log?.(`task history: indexing ${location} for this version (once; a large store takes a minute)`);
        }
        for (const statement of schemaStatements('postgres')) await client.query(statement);
        await client.query('SELECT pg_advisory_unlock(7142023)');
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new TaskStoreError(`cannot use the task store at ${location}: ${(error as Error).message}`);
    }
    return new PostgresTaskStore(pool, location);
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
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
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
      // One row per task in a statement (the last wins), or the upsert would touch a row twice.
      const tasks = [...new Map(batch.tasks.map((t) => [`${t.frameworkId}\u0000${t.taskId}`, t])).values()];
      if (tasks.length > 0) {
        const column = <T>(pick: (t: (typeof tasks)[number]) => T) => tasks.map(pick);
        await this.query(
          `INSERT INTO tasks (cluster, framework, task, app, agent, host, role, state, started, updated, ended,
             failed, reason, message, norm, cpus, mem, disk, gpus, detail)
           SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
             $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::smallint[], $13::bigint[], $14::bigint[],
             $15::bigint[], $16::float8[], $17::float8[], $18::float8[], $19::float8[], $20::text[])
           ON CONFLICT (cluster, framework, task) DO UPDATE SET app = excluded.app, agent = excluded.agent,
             host = excluded.host, role = excluded.role, state = excluded.state,
             started = COALESCE(tasks.started, excluded.started), updated = excluded.updated,
             ended = excluded.ended, failed = excluded.failed, reason = excluded.reason,
             message = excluded.message, norm = excluded.norm, cpus = excluded.cpus, mem = excluded.mem,
             disk = excluded.disk, gpus = excluded.gpus, detail = COALESCE(excluded.detail, tasks.detail)
           WHERE excluded.updated > tasks.updated`,
          [
            cluster,
            column((t) => this.id(t.frameworkId)),
            column((t) => t.taskId),
            column((t) => this.id(t.name)),
            column((t) => this.id(t.agentId)),
            column((t) => this.id(t.host)),
            column((t) => this.id(t.role)),
            column((t) => this.id(t.state)),
            column((t) => t.started),
            column((t) => t.updated),
            column((t) => t.ended),
            column((t) => (t.failed ? 1 : 0)),
            column((t) => this.id(t.reason)),
            column((t) => this.id(t.message)),
            column((t) => this.id(t.message === null ? null : normalizeMessage(t.message))),
            column((t) => t.cpus),
            column((t) => t.mem),
            column((t) => t.disk),
            column((t) => t.gpus),
            column((t) => t.detail),
          ],
          client,
        );
      }
      if (batch.statuses.length > 0) {
        const s = batch.statuses;
        await this.query(
          `INSERT INTO statuses (task, t, state, source, reason, message, healthy)
           SELECT tk.id, x.t, x.state, x.source, x.reason, x.message, x.healthy
           FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
             $8::bigint[], $9::smallint[]) AS x(framework, task, t, state, source, reason, message, healthy)
           JOIN tasks tk ON tk.cluster = $1 AND tk.framework = x.framework AND tk.task = x.task
           ON CONFLICT DO NOTHING`,
          [
            cluster,
            s.map((x) => this.id(x.frameworkId)),
            s.map((x) => x.taskId),
            s.map((x) => x.t),
            s.map((x) => this.id(x.state)),
            s.map((x) => this.id(x.source)),
            s.map((x) => this.id(x.reason)),
            s.map((x) => this.id(x.message)),
            s.map((x) => (x.healthy === null ? null : x.healthy ? 1 : 0)),
          ],
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
      `SELECT f.text AS framework_id, t.task AS task_id, t.updated FROM tasks t JOIN strings f ON f.id = t.framework
       WHERE t.cluster = $1 AND t.ended IS NULL`,
      [cluster],
    );
    return rows.map((row) => ({
      frameworkId: String(row['framework_id']),
      taskId: String(row['task_id']),
      updated: Number(row['updated']),
    }));
  }

  async markUnwatched(
    clusterKey: string,
    tasks: ReadonlyArray<{ frameworkId: string; taskId: string }>,
    at: number,
  ): Promise<void> {
    if (tasks.length === 0) return;
    const cluster = (await this.clusterId(clusterKey, true))!;
    await this.internAll([UNWATCHED_STATE, UNWATCHED_REASON, ...tasks.map((t) => t.frameworkId)]);
    await this.query(
      `UPDATE tasks SET state = $1, ended = $2, reason = $3, message = NULL, norm = NULL, updated = updated - 1
       FROM unnest($5::bigint[], $6::text[]) AS x(framework, task)
       WHERE tasks.cluster = $4 AND tasks.framework = x.framework AND tasks.task = x.task AND tasks.ended IS NULL`,
      [
        this.id(UNWATCHED_STATE),
        at,
        this.id(UNWATCHED_REASON),
        cluster,
        tasks.map((t) => this.id(t.frameworkId)),
        tasks.map((t) => t.taskId),
      ],
    );
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
      `SELECT ${TASK_COLUMNS} FROM tasks t ${TASK_JOINS}
       WHERE t.cluster = $1 AND t.framework = (SELECT id FROM strings WHERE text = $2) AND t.task = $3`,
      [cluster, frameworkId, taskId],
    );
    if (!rows[0]) return null;
    const task = rowToTask(rows[0]);
    return { ...task, statuses: (await this.statusesOf([task.key])).get(task.key) ?? [] };
  }

  private async statusesOf(keys: readonly number[]): Promise<Map<number, StoredStatus[]>> {
    const byTask = new Map<number, StoredStatus[]>();
    if (keys.length === 0) return byTask;
    const rows = await this.query(
      `${STATUS_SELECT} WHERE st.task = ANY($1::bigint[]) ORDER BY st.task, st.t`,
      [keys],
    );
    for (const row of rows) {
      const { task, ...status } = rowToStatus(row);
      let list = byTask.get(task);
      if (!list) byTask.set(task, (list = []));
      list.push(status);
    }
    return byTask;
  }

  async failures(clusterKey: string, range: Parameters<TaskStore['failures']>[1]): Promise<FailureCount[]> {
    const cluster = await this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    return (await this.query(failuresSql(cluster, range))).map(toFailureCount);
  }

  async agentTimeline(
    clusterKey: string,
    agentId: string,
    range: { from: number; to: number; limit: number },
  ) {
    const cluster = await this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    return (await this.query(agentTimelineSql(cluster, agentId, range))).map(rowToTask);
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
    const tasks = (await this.query(exportSql(cluster, range))).map(rowToTask);
    const statuses = await this.statusesOf(tasks.map((task) => task.key));
    return tasks.map((task) => ({ ...task, statuses: statuses.get(task.key) ?? [] }));
  }

  async prune(limits: { before: number; maxBytes: number | null }): Promise<number> {
    const sql = pruneSql(limits.before);
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
        `WITH gone AS (
           DELETE FROM tasks WHERE id IN (
             SELECT id FROM tasks WHERE ended IS NOT NULL AND ${condition} ORDER BY id LIMIT $1)
           RETURNING id),
         statuses_gone AS (DELETE FROM statuses WHERE task IN (SELECT id FROM gone))
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
      `SELECT (SELECT COUNT(*) FROM tasks) AS tasks, (SELECT COUNT(*) FROM statuses) AS statuses,
         (${OLDEST_SQL}) AS oldest,
         pg_total_relation_size('tasks') + pg_total_relation_size('statuses') + pg_total_relation_size('strings')
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

function textsOf(batch: WriteBatch): Array<string | null> {
  const texts: Array<string | null> = [];
  for (const f of batch.frameworks) texts.push(f.frameworkId, f.name);
  for (const a of batch.agents) texts.push(a.agentId, a.host);
  for (const t of batch.tasks) {
    texts.push(t.frameworkId, t.name, t.agentId, t.host, t.role, t.state, t.reason, t.message);
    if (t.message !== null) texts.push(normalizeMessage(t.message));
  }
  for (const s of batch.statuses) texts.push(s.frameworkId, s.state, s.source, s.reason, s.message);
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
