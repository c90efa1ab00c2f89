import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import {
  agentTimelineSql,
  exportSql,
  failuresSql,
  FIRST_LAYOUT_TABLE,
  frameworkIdsSql,
  internable,
  LAYOUT_TABLE,
  listTasksSql,
  packedOf,
  rowToTask,
  oldestSql,
  pruneSql,
  schemaStatements,
  STORE_LAYOUT,
  STRING_ID_SQL,
  TASK_COLUMNS,
  TASK_JOINS,
} from './schema';
import type { Row } from './schema';
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
  bindRow,
  changedRows,
  KNOWN_TEXTS,
  readRow,
  ROW_COLUMNS,
  seconds,
  taskHash,
  unpackRow,
  unpackStatuses,
} from './task-row';
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
 * SQLite's page cache, in KiB: better-sqlite3 builds SQLite with 16 MB a connection, which the first backfill at
 * `massive` filled and which then stayed in mesoscope's resident memory. The history's writes touch the ends of
 * its indexes and its reads a page of rows; the rest of the file is in the operating system's cache anyway.
 */
export const PAGE_CACHE_KIB = 4096;

/**
 * The task store in one SQLite file (WAL, synchronous=NORMAL: a crash loses at most the last transactions,
 * never the file's consistency). better-sqlite3 is synchronous; every call is short (one batch, one page).
 */
export class SqliteTaskStore implements TaskStore {
  readonly kind = 'sqlite';
  private readonly strings = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  private readonly clusters = new Map<string, number>();
  private readonly statements = new Map<string, Statement>();
  /** A row's values as bound to a statement: one array for every row written (see `bindRow`). */
  private readonly bound: unknown[] = [];

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
    const store = new SqliteTaskStore(db, file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      const has = (name: string) => db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(name);
      const firstLayout = Boolean(has(FIRST_LAYOUT_TABLE));
      const fresh = !has('tasks');
      const secondLayout = !firstLayout && !fresh && !has(LAYOUT_TABLE);
      if (firstLayout || secondLayout) {
        log?.(
          `task history: rewriting ${file} in this version's smaller layout (once; a large store takes minutes)`,
        );
      }
      db.transaction(() => {
        if (firstLayout) {
          // Its indexes go with it; the new table takes their names.
          for (const row of db
            .prepare(
              "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tasks' AND sql IS NOT NULL",
            )
            .all() as Row[])
            db.exec(`DROP INDEX "${String(row['name'])}"`);
          db.exec('ALTER TABLE tasks RENAME TO tasks_first_layout');
        }
        for (const statement of schemaStatements('sqlite')) db.exec(statement);
        if (firstLayout) {
          store.copyFirstLayout();
          db.exec(`DROP TABLE tasks_first_layout`);
          db.exec(`DROP TABLE ${FIRST_LAYOUT_TABLE}`);
        }
        if (fresh && db.prepare('SELECT COUNT(*) FROM strings').pluck().get() === 0) {
          const seed = db.prepare('INSERT INTO strings (id, text) VALUES (?, ?)');
          KNOWN_TEXTS.forEach((text, at) => seed.run(at + 1, text));
        }
        if (secondLayout) store.repackSecondLayout();
        if (!db.prepare(`SELECT 1 FROM ${LAYOUT_TABLE}`).get())
          db.prepare(`INSERT INTO ${LAYOUT_TABLE} (version) VALUES (?)`).run(STORE_LAYOUT);
      })();
      if (firstLayout || secondLayout) db.exec('VACUUM');
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
    return store;
  }

  /** Rewrites the first layout's tasks and statuses (`tasks_first_layout`, `statuses`) as rows of this one. */
  private copyFirstLayout(): void {
    const statuses = this.db.prepare(
      `SELECT t, state, source, reason, message, healthy FROM ${FIRST_LAYOUT_TABLE} WHERE task = ? ORDER BY t, state`,
    );
    const insert = this.db.prepare(
      `INSERT INTO tasks (id, ${ROW_COLUMNS.join(', ')}, khash) VALUES (?, ${ROW_COLUMNS.map(() => '?').join(', ')}, ?)`,
    );
    const frameworkText = this.db.prepare('SELECT text FROM strings WHERE id = ?').pluck();
    const frameworks = new Map<number, string>();
    const chunk = this.db.prepare('SELECT * FROM tasks_first_layout WHERE id > ? ORDER BY id LIMIT 5000');
    // A chunk at a time: the connection cannot write while a statement is still reading.
    for (let olds = chunk.all(0) as Row[]; olds.length > 0; olds = chunk.all(olds.at(-1)!['id']) as Row[])
      for (const old of olds) {
        const res = this.intern(firstLayoutResources(old));
        const row = firstLayoutRow(old, statuses.all(old['id']) as Row[], res);
        let framework = frameworks.get(row.framework);
        if (framework === undefined) {
          framework = String(frameworkText.get(row.framework));
          frameworks.set(row.framework, framework);
        }
        insert.run(row.id, ...bindRow(row, this.bound), taskHash(framework, row.task));
      }
  }

  /** Packs the statuses of a store of the second layout as this one does. */
  private repackSecondLayout(): void {
    const chunk = this.db.prepare(
      'SELECT id, started, statuses FROM tasks WHERE id > ? ORDER BY id LIMIT 5000',
    );
    const update = this.db.prepare('UPDATE tasks SET statuses = ? WHERE id = ?');
    for (let rows = chunk.all(0) as Row[]; rows.length > 0; rows = chunk.all(rows.at(-1)!['id']) as Row[])
      for (const row of rows)
        update.run(
          repackSecondLayout(row['statuses'] as Uint8Array | null, Number(row['started'])),
          row['id'],
        );
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
      this.texts.set(id, value);
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
      this.texts.clear();
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
    const find = this.prepare(
      'SELECT * FROM tasks INDEXED BY tasks_key WHERE khash = ? AND cluster = ? AND framework = ? AND task = ?',
    );
    const insert = this.prepare(
      `INSERT INTO tasks (${ROW_COLUMNS.join(', ')}, khash) VALUES (${ROW_COLUMNS.map(() => '?').join(', ')}, ?)`,
    );
    const intern = (text: string | null) => this.intern(text);
    // The rows as stored, by id: an update writes only the columns that differ from them.
    const stored = new Map<number, Row>();
    const rows = changedRows(
      cluster,
      batch,
      intern,
      (frameworkId, taskId) => {
        const row = find.get(taskHash(frameworkId, taskId), cluster, intern(frameworkId), taskId) as
          Row | undefined;
        if (!row) return null;
        stored.set(Number(row['id']), row);
        return readRow(row);
      },
      this.intern(UNWATCHED_STATE),
    );
    for (const row of rows) {
      const values = bindRow(row, this.bound);
      if (row.id === null) {
        insert.run(...values, taskHash(this.textOf(row.framework), row.task));
        continue;
      }
      const before = stored.get(row.id)!;
      const changed = ROW_COLUMNS.flatMap((column, at) =>
        sameValue(before[column], values[at]) ? [] : [at],
      );
      if (changed.length === 0) continue;
      this.updateOf(changed).run(...changed.map((at) => values[at]), row.id);
    }
  }

  /**
   * An update of the given columns only (indexes into `ROW_COLUMNS`): SQLite rewrites the entries of every
   * index on a column an update sets, so setting all of them to change a task's state and statuses costs
   * its agent, app and failure index entries as well, several times the write itself.
   */
  private updateOf(columns: readonly number[]): Statement {
    return this.prepare(
      `UPDATE tasks SET ${columns.map((at) => `${ROW_COLUMNS[at]} = ?`).join(', ')} WHERE id = ?`,
    );
  }

  /** The text of an id this store interned or read. */
  private textOf(id: number): string {
    let text = this.texts.get(id);
    if (text === undefined) {
      text = String(this.prepare('SELECT text FROM strings WHERE id = ?').pluck().get(id));
      this.texts.set(id, text);
    }
    return text;
  }

  /** The statuses of rows as the API gives them. */
  private statusesOf(rows: ReadonlyArray<{ packed: Uint8Array | null; base: number }>): StoredStatus[][] {
    const unpacked = rows.map((row) => unpackStatuses(row.packed, row.base));
    for (const id of statusTextIds(unpacked.flat())) this.textOf(id);
    return unpacked.map((statuses) => storedStatuses(statuses, this.texts));
  }

  async openTasks(clusterKey: string) {
    const cluster = this.clusterId(clusterKey, false);
    if (cluster === null) return [];
    const rows = this.prepare(
      `SELECT f.text AS framework_id, t.task AS task_id, t.started, t.statuses FROM tasks t
       JOIN strings f ON f.id = t.framework WHERE t.cluster = ? AND t.ended IS NULL`,
    ).all(cluster) as Row[];
    return rows.map(openTask);
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
        `UPDATE tasks INDEXED BY tasks_key SET state = ?, ended = ?, reason = ?, message = NULL, norm = NULL
         WHERE khash = ? AND cluster = ? AND framework = ? AND task = ? AND ended IS NULL`,
      );
      const state = this.intern(UNWATCHED_STATE);
      const reason = this.intern(UNWATCHED_REASON);
      for (const t of tasks) {
        const hash = taskHash(t.frameworkId, t.taskId);
        mark.run(state, seconds(at), reason, hash, cluster, this.intern(t.frameworkId), t.taskId);
      }
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
      `SELECT ${TASK_COLUMNS} FROM tasks t INDEXED BY tasks_key ${TASK_JOINS}
       WHERE t.khash = ? AND t.cluster = ? AND t.framework = (SELECT id FROM strings WHERE text = ?) AND t.task = ?`,
    ).get(taskHash(frameworkId, taskId), cluster, frameworkId, taskId) as Row | undefined;
    if (!row) return null;
    return { ...rowToTask(row), statuses: this.statusesOf([packedOf(row)])[0]! };
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
    const rows = this.prepare(sql.text).all(...sql.params) as Row[];
    const statuses = this.statusesOf(rows.map(packedOf));
    return rows.map((row, at) => ({ ...rowToTask(row), statuses: statuses[at]! }));
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
      const bytes = this.usedBytes();
      const tasks = bytes > limits.maxBytes ? this.taskCount() : 0;
      if (tasks > 0) {
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
      this.db.prepare(`DELETE FROM tasks WHERE id IN (${list})`).run(...ids);
      removed += ids.length;
    }
    return removed;
  }

  async stats(): Promise<StoreStats> {
    const statuses = Number((this.prepare(statusCountSql('sqlite')).get() as Row)['n']);
    const oldest = (this.prepare(oldestSql('sqlite')).get() as Row)['t'];
    return {
      tasks: this.taskCount(),
      statuses,
      bytes: this.usedBytes(),
      oldest: oldest === null ? null : Number(oldest),
    };
  }

  /** The pages in use, from the file's header: no read of the tables, so pruning by size can ask every time. */
  private usedBytes(): number {
    const pageSize = Number(this.db.pragma('page_size', { simple: true }));
    const pages = Number(this.db.pragma('page_count', { simple: true }));
    const free = Number(this.db.pragma('freelist_count', { simple: true }));
    return (pages - free) * pageSize;
  }

  private taskCount(): number {
    return Number((this.prepare('SELECT COUNT(*) AS n FROM tasks').get() as Row)['n']);
  }

  /** For tests and benchmarks: the database itself. */
  get database(): Db {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Whether a column as read back holds the value about to be written (blobs by their bytes). */
function sameValue(stored: unknown, value: unknown): boolean {
  if (stored instanceof Uint8Array && value instanceof Uint8Array) return Buffer.compare(stored, value) === 0;
  return (stored ?? null) === (value ?? null);
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

/** A task the store thinks still runs, from its row. */
export function openTask(row: Row): { frameworkId: string; taskId: string; updated: number } {
  const base = Number(row['started']);
  return {
    frameworkId: String(row['framework_id']),
    taskId: String(row['task_id']),
    updated: unpackRow(row['statuses'] as Uint8Array | null, base).updated,
  };
}

export type { StoredTask };
