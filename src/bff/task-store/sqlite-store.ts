import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { normalizeMessage } from './failures';
import {
  agentTimelineSql,
  exportSql,
  failuresSql,
  frameworkIdsSql,
  internable,
  listTasksSql,
  rowToStatus,
  rowToTask,
  LATEST_INDEX,
  OLDEST_SQL,
  pruneSql,
  schemaStatements,
  STRING_ID_SQL,
  STATUS_SELECT,
  TASK_COLUMNS,
  TASK_JOINS,
} from './schema';
import type { Row } from './schema';
import { TaskStoreError } from './store-error';
import { UNWATCHED_REASON, UNWATCHED_STATE } from './types';
import type {
  FailureCount,
  StoredStatus,
  StoredTask,
  StoreStats,
  TaskPage,
  TaskQuery,
  TaskStore,
  WriteBatch,
} from './types';

export const SQLITE_FILE = 'tasks.sqlite';

/**
 * The task store in one SQLite file (WAL, synchronous=NORMAL: a crash loses at most the last transactions,
 * never the file's consistency). better-sqlite3 is synchronous; every call is short (one batch, one page).
 */
export class SqliteTaskStore implements TaskStore {
  readonly kind = 'sqlite';
  private readonly strings = new Map<string, number>();
  private readonly clusters = new Map<string, number>();
  private readonly statements = new Map<string, Statement>();

  private constructor(
    private readonly db: Db,
    readonly location: string,
  ) {}

  /** Opens (creating) `<dataDir>/tasks.sqlite`, or the file given; a file that is not SQLite is named in the error. */
  static open(file: string, log?: (message: string) => void): SqliteTaskStore {
    let db: Db;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file);
    } catch (error) {
      throw new TaskStoreError(`cannot open the task store ${file}: ${(error as Error).message}`);
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      const has = (name: string) => db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(name);
      if (has('tasks') && !has(LATEST_INDEX)) {
        log?.(`task history: indexing ${file} for this version (once; a large store takes a minute)`);
      }
      db.transaction(() => {
        for (const statement of schemaStatements('sqlite')) db.exec(statement);
      })();
      // Gives the query planner statistics where they are missing or stale, from a sample of each index so
      // that a large store opens quickly.
      db.pragma('analysis_limit = 1000');
      db.pragma('optimize = 0x10002');
    } catch (error) {
      db.close();
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new TaskStoreError(
          `the task store ${file} is not a SQLite database (move it away or pass another --data-dir)`,
        );
      }
      throw new TaskStoreError(`cannot open the task store ${file}: ${(error as Error).message}`);
    }
    return new SqliteTaskStore(db, file);
  }

  private prepare(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private intern(text: string | null): number | null {
    if (text === null) return null;
    const value = internable(text);
    let id = this.strings.get(value);
    if (id === undefined) {
      this.prepare('INSERT INTO strings (text) VALUES (?) ON CONFLICT (text) DO NOTHING').run(value);
      id = Number((this.prepare('SELECT id FROM strings WHERE text = ?').get(value) as Row)['id']);
      this.strings.set(value, id);
    }
    return id;
  }

  private clusterId(key: string, create: boolean): number | null {
    let id = this.clusters.get(key);
    if (id === undefined) {
      if (create) this.prepare('INSERT INTO clusters (key) VALUES (?) ON CONFLICT (key) DO NOTHING').run(key);
      const row = this.prepare('SELECT id FROM clusters WHERE key = ?').get(key) as Row | undefined;
      if (!row) return null;
      id = Number(row['id']);
      this.clusters.set(key, id);
    }
    return id;
  }

  async write(cluster: string, batch: WriteBatch): Promise<void> {
    try {
      this.db.transaction(() => this.writeNow(cluster, batch))();
    } catch (error) {
      // Ids interned in a transaction that rolled back are not in the file.
      this.strings.clear();
      this.clusters.clear();
      throw error;
    }
  }

  private writeNow(clusterKey: string, batch: WriteBatch): void {
    const cluster = this.clusterId(clusterKey, true)!;
    const framework = this.prepare(
      `INSERT INTO frameworks (cluster, framework, name) VALUES (?, ?, ?)
       ON CONFLICT (cluster, framework) DO UPDATE SET name = excluded.name WHERE frameworks.name <> excluded.name`,
    );
    for (const f of batch.frameworks) framework.run(cluster, this.intern(f.frameworkId), this.intern(f.name));
    const agent = this.prepare(
      `INSERT INTO agents (cluster, agent, host, attributes) VALUES (?, ?, ?, ?)
       ON CONFLICT (cluster, agent) DO UPDATE SET host = excluded.host, attributes = excluded.attributes`,
    );
    for (const a of batch.agents)
      agent.run(cluster, this.intern(a.agentId), this.intern(a.host), a.attributes);
    const task = this.prepare(
      `INSERT INTO tasks (cluster, framework, task, app, agent, host, role, state, started, updated, ended, failed,
         reason, message, norm, cpus, mem, disk, gpus, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (cluster, framework, task) DO UPDATE SET app = excluded.app, agent = excluded.agent,
         host = excluded.host, role = excluded.role, state = excluded.state,
         started = COALESCE(tasks.started, excluded.started), updated = excluded.updated, ended = excluded.ended,
         failed = excluded.failed, reason = excluded.reason, message = excluded.message, norm = excluded.norm,
         cpus = excluded.cpus, mem = excluded.mem, disk = excluded.disk, gpus = excluded.gpus,
         detail = COALESCE(excluded.detail, tasks.detail)
       WHERE excluded.updated > tasks.updated
       RETURNING id`,
    );
    const taskId = this.prepare('SELECT id FROM tasks WHERE cluster = ? AND framework = ? AND task = ?');
    const ids = new Map<string, number>();
    for (const t of batch.tasks) {
      const fw = this.intern(t.frameworkId);
      const inserted = task.get(
        cluster,
        fw,
        t.taskId,
        this.intern(t.name),
        this.intern(t.agentId),
        this.intern(t.host),
        this.intern(t.role),
        this.intern(t.state),
        t.started,
        t.updated,
        t.ended,
        t.failed ? 1 : 0,
        this.intern(t.reason),
        this.intern(t.message),
        this.intern(t.message === null ? null : normalizeMessage(t.message)),
        t.cpus,
        t.mem,
        t.disk,
        t.gpus,
        t.detail,
      ) as Row | undefined;
      // An upsert that changed nothing (an older or the same change) returns no row.
      const row = inserted ?? (taskId.get(cluster, fw, t.taskId) as Row);
      ids.set(`${t.frameworkId}\u0000${t.taskId}`, Number(row['id']));
    }
    const status = this.prepare(
      `INSERT INTO statuses (task, t, state, source, reason, message, healthy) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    for (const s of batch.statuses) {
      let id = ids.get(`${s.frameworkId}\u0000${s.taskId}`);
      if (id === undefined) {
        const row = taskId.get(cluster, this.intern(s.frameworkId), s.taskId) as Row | undefined;
        if (!row) continue;
        id = Number(row['id']);
      }
      status.run(
        id,
        s.t,
        this.intern(s.state),
        this.intern(s.source),
        this.intern(s.reason),
        this.intern(s.message),
        s.healthy === null ? null : s.healthy ? 1 : 0,
      );
    }
  }

  async openTasks(clusterKey: string) {
    const cluster = this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    const rows = this.prepare(
      `SELECT f.text AS framework_id, t.task AS task_id, t.updated FROM tasks t JOIN strings f ON f.id = t.framework
       WHERE t.cluster = ? AND t.ended IS NULL`,
    ).all(cluster) as Row[];
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
    this.db.transaction(() => {
      const cluster = this.clusterId(clusterKey, true)!;
      const mark = this.prepare(
        `UPDATE tasks SET state = ?, ended = ?, reason = ?, message = NULL, norm = NULL, updated = updated - 1
         WHERE cluster = ? AND framework = ? AND task = ? AND ended IS NULL`,
      );
      const state = this.intern(UNWATCHED_STATE);
      const reason = this.intern(UNWATCHED_REASON);
      for (const t of tasks) mark.run(state, at, reason, cluster, this.intern(t.frameworkId), t.taskId);
    })();
  }

  async listTasks(clusterKey: string, query: TaskQuery): Promise<TaskPage> {
    const cluster = this.clusterId(clusterKey, false);
    if (cluster === null) return { tasks: [], next: null };
    let frameworkIds: number[] = [];
    if (query.framework) {
      const ids = frameworkIdsSql(cluster, query.framework);
      frameworkIds = (this.prepare(ids.text).all(...ids.params) as Row[]).map((row) => Number(row['id']));
    }
    const state = query.state ? (this.prepare(STRING_ID_SQL).get(query.state) as Row | undefined) : undefined;
    const stateId = state ? Number(state['id']) : null;
    const sql = listTasksSql(cluster, query, 'sqlite', { frameworkIds, stateId });
    const rows = (this.prepare(sql.text).all(...sql.params) as Row[]).map(rowToTask);
    const more = rows.length > query.limit;
    const tasks = rows.slice(0, query.limit);
    return { tasks, next: more ? tasks.at(-1)!.key : null };
  }

  async getTask(clusterKey: string, frameworkId: string, taskId: string) {
    const cluster = this.clusterId(clusterKey, false);
    if (cluster === null) return null;
    const row = this.prepare(
      `SELECT ${TASK_COLUMNS} FROM tasks t ${TASK_JOINS}
       WHERE t.cluster = ? AND t.framework = (SELECT id FROM strings WHERE text = ?) AND t.task = ?`,
    ).get(cluster, frameworkId, taskId) as Row | undefined;
    if (!row) return null;
    const task = rowToTask(row);
    return { ...task, statuses: this.statusesOf([task.key]).get(task.key) ?? [] };
  }

  private statusesOf(keys: readonly number[]): Map<number, StoredStatus[]> {
    const byTask = new Map<number, StoredStatus[]>();
    for (let at = 0; at < keys.length; at += 500) {
      const chunk = keys.slice(at, at + 500);
      const rows = this.db
        .prepare(
          `${STATUS_SELECT} WHERE st.task IN (${chunk.map(() => '?').join(',')}) ORDER BY st.task, st.t`,
        )
        .all(...chunk) as Row[];
      for (const row of rows) {
        const { task, ...status } = rowToStatus(row);
        let list = byTask.get(task);
        if (!list) byTask.set(task, (list = []));
        list.push(status);
      }
    }
    return byTask;
  }

  async failures(clusterKey: string, range: Parameters<TaskStore['failures']>[1]): Promise<FailureCount[]> {
    const cluster = this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    const sql = failuresSql(cluster, range);
    return (this.prepare(sql.text).all(...sql.params) as Row[]).map(toFailureCount);
  }

  async agentTimeline(
    clusterKey: string,
    agentId: string,
    range: { from: number; to: number; limit: number },
  ) {
    const cluster = this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    const sql = agentTimelineSql(cluster, agentId, range);
    return (this.prepare(sql.text).all(...sql.params) as Row[]).map(rowToTask);
  }

  async agentAttributes(clusterKey: string) {
    const cluster = this.clusterId(clusterKey, false);
    const found = new Map<string, { host: string; attributes: Record<string, unknown> }>();
    if (cluster === null) return found;
    const rows = this.prepare(
      `SELECT a.text AS agent, h.text AS host, g.attributes FROM agents g
       JOIN strings a ON a.id = g.agent JOIN strings h ON h.id = g.host WHERE g.cluster = ?`,
    ).all(cluster) as Row[];
    for (const row of rows) found.set(String(row['agent']), agentAttributesOf(row));
    return found;
  }

  async exportTasks(clusterKey: string, range: { from: number; to: number; after: number; limit: number }) {
    const cluster = this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    const sql = exportSql(cluster, range);
    const tasks = (this.prepare(sql.text).all(...sql.params) as Row[]).map(rowToTask);
    const statuses = this.statusesOf(tasks.map((task) => task.key));
    return tasks.map((task) => ({ ...task, statuses: statuses.get(task.key) ?? [] }));
  }

  async prune(limits: { before: number; maxBytes: number | null }): Promise<number> {
    const sql = pruneSql(limits.before);
    const bound = this.prepare(sql.bound).get(...sql.boundParams) as Row | undefined;
    let removed = this.deleteOldest(
      'ended < ? AND id < ?',
      [...sql.params, bound ? Number(bound['id']) : Number.MAX_SAFE_INTEGER],
      Number.MAX_SAFE_INTEGER,
    );
    if (limits.maxBytes !== null) {
      const { bytes, tasks } = await this.stats();
      if (bytes > limits.maxBytes && tasks > 0) {
        // Freed pages are reused, so deleting the share of tasks over the cap brings the used size under it.
        const excess = Math.ceil((tasks * (bytes - limits.maxBytes)) / bytes) + 1;
        removed += this.deleteOldest('1 = 1', [], excess);
      }
    }
    this.db.pragma('optimize');
    return removed;
  }

  private deleteOldest(condition: string, params: unknown[], atMost: number): number {
    let removed = 0;
    const pick = this.prepare(
      `SELECT id FROM tasks WHERE ended IS NOT NULL AND ${condition} ORDER BY id LIMIT ?`,
    );
    while (removed < atMost) {
      const ids = (pick.all(...params, Math.min(5_000, atMost - removed)) as Row[]).map((row) => row['id']);
      if (ids.length === 0) break;
      const list = ids.map(() => '?').join(',');
      this.db.transaction(() => {
        this.db.prepare(`DELETE FROM statuses WHERE task IN (${list})`).run(...ids);
        this.db.prepare(`DELETE FROM tasks WHERE id IN (${list})`).run(...ids);
      })();
      removed += ids.length;
    }
    return removed;
  }

  async stats(): Promise<StoreStats> {
    const pageSize = Number(this.db.pragma('page_size', { simple: true }));
    const pages = Number(this.db.pragma('page_count', { simple: true }));
    const free = Number(this.db.pragma('freelist_count', { simple: true }));
    const tasks = Number((this.prepare('SELECT COUNT(*) AS n FROM tasks').get() as Row)['n']);
    const statuses = Number((this.prepare('SELECT COUNT(*) AS n FROM statuses').get() as Row)['n']);
    const oldest = (this.prepare(OLDEST_SQL).get() as Row)['t'];
    return {
      tasks,
      statuses,
      bytes: (pages - free) * pageSize,
      oldest: oldest === null ? null : Number(oldest),
    };
  }

  /** For tests and benchmarks: the database itself. */
  get database(): Db {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function toFailureCount(row: Row): FailureCount {
  return {
    key: (row['key'] as string | null) ?? '',
    count: Number(row['count']),
    last24h: Number(row['last24h']),
    previous24h: Number(row['previous24h']),
    firstAt: Number(row['first_at']),
    lastAt: Number(row['last_at']),
    example: (row['example'] as string | null) ?? null,
  };
}

export function agentAttributesOf(row: Row): { host: string; attributes: Record<string, unknown> } {
  let attributes: Record<string, unknown> = {};
  try {
    attributes = row['attributes'] ? (JSON.parse(String(row['attributes'])) as Record<string, unknown>) : {};
  } catch {
    attributes = {};
  }
  return { host: String(row['host']), attributes };
}

export type { StoredTask };
