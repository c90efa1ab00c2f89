/** One task as the store keeps it: what it is and where it ran, and a summary of its latest status. */
export interface TaskWrite {
  frameworkId: string;
  taskId: string;
  /** The task's name, which is also its app (Marathon names tasks after their app). */
  name: string;
  agentId: string | null;
  host: string | null;
  role: string | null;
  /** The latest state, and the time (ms) of the status that said it. */
  state: string;
  updated: number;
  /** First status time (ms), null when unknown. */
  started: number | null;
  /** When it reached a terminal state (ms), null while it runs. */
  ended: number | null;
  /** Whether it ended in a failure (see `isFailure`). */
  failed: boolean;
  reason: string | null;
  message: string | null;
  cpus: number | null;
  mem: number | null;
  disk: number | null;
  gpus: number | null;
  /** Rarely present details kept as compact JSON: labels, container image, executor. Null when none. */
  detail: string | null;
}

export interface StatusWrite {
  frameworkId: string;
  taskId: string;
  state: string;
  /** ms since the epoch. */
  t: number;
  source: string | null;
  reason: string | null;
  message: string | null;
  healthy: boolean | null;
}

export interface FrameworkWrite {
  frameworkId: string;
  name: string;
}

export interface AgentWrite {
  agentId: string;
  host: string;
  /** The agent's attributes (rack...), as JSON. */
  attributes: string | null;
}

/** What one flush writes, for one cluster, in one transaction. */
export interface WriteBatch {
  frameworks: FrameworkWrite[];
  agents: AgentWrite[];
  tasks: TaskWrite[];
  statuses: StatusWrite[];
}

export interface StoredTask {
  frameworkId: string;
  frameworkName: string | null;
  taskId: string;
  name: string;
  agentId: string | null;
  host: string | null;
  role: string | null;
  state: string;
  started: number | null;
  updated: number;
  ended: number | null;
  failed: boolean;
  reason: string | null;
  message: string | null;
  cpus: number | null;
  mem: number | null;
  disk: number | null;
  gpus: number | null;
  detail: Record<string, unknown> | null;
}

export interface StoredStatus {
  state: string;
  t: number;
  source: string | null;
  reason: string | null;
  message: string | null;
  healthy: boolean | null;
}

export interface TaskQuery {
  from: number;
  to: number;
  state?: string;
  /** A framework id or name. */
  framework?: string;
  /** An agent id or host name. */
  agent?: string;
  app?: string;
  reason?: string;
  /** Part of a task id, name or message. */
  q?: string;
  /** The id of the last task of the previous page. */
  cursor?: number;
  limit: number;
}

export interface TaskPage {
  tasks: Array<StoredTask & { key: number }>;
  /** Pass as `cursor` for the next page; null on the last page. */
  next: number | null;
}

export type FailureGroupBy = 'app' | 'framework' | 'reason' | 'message' | 'agent';

export interface FailureCount {
  /** The group's value (app, framework id, reason, normalised message or agent id); '' when none. */
  key: string;
  count: number;
  /** Within the last 24 h before `to`, and the 24 h before those. */
  last24h: number;
  previous24h: number;
  firstAt: number;
  lastAt: number;
  /** One example of the group: a framework name, a raw message. */
  example: string | null;
}

export interface StoreStats {
  tasks: number;
  statuses: number;
  bytes: number;
  /** The time (ms) of the oldest task kept, null when empty. */
  oldest: number | null;
}

export interface TaskStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it is, for messages (a file, or a PostgreSQL URL without its password). */
  readonly location: string;
  /** Writes a batch in one transaction; writing the same changes twice changes nothing. */
  write(cluster: string, batch: WriteBatch): Promise<void>;
  /** Tasks the store thinks still run: their framework and task ids and state. */
  openTasks(cluster: string): Promise<Array<{ frameworkId: string; taskId: string; updated: number }>>;
  /** Marks tasks that ended unseen: their end is unknown, and the store says so. */
  markUnwatched(
    cluster: string,
    tasks: ReadonlyArray<{ frameworkId: string; taskId: string }>,
    at: number,
  ): Promise<void>;
  listTasks(cluster: string, query: TaskQuery): Promise<TaskPage>;
  getTask(
    cluster: string,
    frameworkId: string,
    taskId: string,
  ): Promise<(StoredTask & { statuses: StoredStatus[] }) | null>;
  failures(
    cluster: string,
    range: { from: number; to: number; groupBy: FailureGroupBy },
  ): Promise<FailureCount[]>;
  /** Tasks that ran on an agent in a window, oldest first, at most `limit`. */
  agentTimeline(
    cluster: string,
    agentId: string,
    range: { from: number; to: number; limit: number },
  ): Promise<StoredTask[]>;
  /** Agents' attributes as recorded (for grouping by an attribute), by agent id. */
  agentAttributes(
    cluster: string,
  ): Promise<Map<string, { host: string; attributes: Record<string, unknown> }>>;
  /** Every task in a window with its statuses, in store order, a page at a time. */
  exportTasks(
    cluster: string,
    range: { from: number; to: number; after: number; limit: number },
  ): Promise<Array<StoredTask & { key: number; statuses: StoredStatus[] }>>;
  /** Deletes ended tasks older than `before`, then the oldest ended ones while the store exceeds `maxBytes`. */
  prune(limits: { before: number; maxBytes: number | null }): Promise<number>;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

/** The text the store says for a task that ended while nobody recorded it. */
export const UNWATCHED_REASON = 'ended while mesoscope was not watching';
export const UNWATCHED_STATE = 'TASK_UNKNOWN';
