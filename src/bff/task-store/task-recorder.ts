import type { Agent, Framework, MasterState, Task } from '../../mesos';
import { changesOf } from '../../mesos/operator-v1/stream-state';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { collectGarbage } from './full-collection';
import { agentWrite, frameworkWrite, taskWrites } from './task-changes';
import { TaskMarks } from './task-marks';
import type { AgentWrite, FrameworkWrite, TaskStore, WriteBatch } from './types';

export interface RecorderStatus {
  /** Writing failed (a full or read-only disk, a PostgreSQL gone): the dashboard goes on, history waits. */
  paused: boolean;
  error: string | null;
  /** Changes waiting to be written. */
  pending: number;
  /** Changes given up while paused (the queue is bounded); a full resync follows the resume. */
  dropped: number;
  lastWriteAt: number | null;
  /** Tasks looked at by `observe`, in all: a stream-fed publish adds only the tasks that changed. */
  walkedTasks: number;
  /** Tasks whose record was compared (new task objects, or every task after a resync). */
  notedTasks: number;
  /**
   * Snapshots walked task by task because the recorder could not prove it had seen the state they follow
   * (the first, a reconcile, a resync, a state whose changes lead from one it never saw): should stay rare.
   */
  fullWalks: number;
  lastFullWalk: { at: number; why: string } | null;
}

export interface TaskRecorderOptions {
  store: TaskStore;
  /** How often queued changes are written (ms): a crash loses at most about this much. */
  flushMs?: number;
  /** How long to wait before trying again after a failed write (ms). */
  retryMs?: number;
  maxPending?: number;
  now?: () => number;
  warn?: (message: string) => void;
  /** Tasks written in one go (a first backfill, a resync) after which garbage is collected at once. */
  collectAfterTasks?: number;
  collectGarbage?: () => void;
}

/**
 * Tasks a transaction writes at most: a first backfill of 200,000 tasks is written in steps. A step's rows
 * and statuses live until its transaction ends; this few are mostly dead by the next scavenge, where
 * 5,000 tasks' worth survived two and was promoted: RSS peaked 160 MB higher over a `massive` backfill
 * (docs/big-clusters.md, Memory).
 */
const BATCH_TASKS = 500;

/**
 * A write of this many tasks in one go leaves the old generation at its high-water mark, the garbage of the
 * snapshot's fold and of the write in it, until V8 collects it (not within minutes at `massive`): a full
 * collection then gives it back, once, for a pause of about a second at `massive`.
 */
const COLLECT_AFTER_TASKS = 50_000;

/**
 * Changes waiting to be written: the tasks themselves (with who lists them and their agent, as they were
 * seen), turned into rows only when their batch is written, so that a backfill of 200,000 tasks holds
 * one batch's rows at a time, not every task's rows and statuses at once.
 */
interface QueuedBatch {
  cluster: string;
  frameworks: FrameworkWrite[];
  agents: AgentWrite[];
  tasks: Task[];
  listedBy: Array<Framework | undefined>;
  onAgent: Array<Agent | undefined>;
  seenAt: number;
}

/**
 * Turns the snapshots the poller publishes into the store's records: each task the first time it is seen and
 * again whenever its state or statuses change, every status once. A stream-fed snapshot reuses the objects of
 * unchanged frameworks, agents and tasks, so only what changed is looked at. Changes are queued and written
 * every `flushMs` in transactions; a failed write pauses history (the live dashboard is not affected) and is
 * tried again, and after changes had to be dropped the next snapshot is recorded in full.
 */
export class TaskRecorder {
  readonly status: RecorderStatus = {
    paused: false,
    error: null,
    pending: 0,
    dropped: 0,
    lastWriteAt: null,
    walkedTasks: 0,
    notedTasks: 0,
    fullWalks: 0,
    lastFullWalk: null,
  };
  private cluster: string | null = null;
  private queue: QueuedBatch[] = [];
  private seenObjects = new WeakSet<object>();
  /**
   * The task objects noted while states are walked whole (polled states, the first state of a stream): one seen
   * before is skipped without computing its mark. Dropped while states come with their changes, which name the
   * new objects: at `massive` it held 200,000 tasks (8 MB of heap) for nothing.
   */
  private seenTasks: WeakSet<Task> | null = null;
  /** What was last queued of each task: a task object not seen before is written only when it differs. */
  private marks = new TaskMarks();
  private frameworkNames = new Map<string, string>();
  private agentRows = new Map<string, string>();
  /** The state last observed in full or from its changes: the next one's changes lead from it. */
  private observed: MasterState | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private retryAt = 0;
  private resync = false;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: TaskRecorderOptions) {
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 500);
    this.timer.unref();
  }

  get store(): TaskStore {
    return this.options.store;
  }

  /**
   * Queues what changed in this snapshot of `cluster`. With `reconcile` (mesoscope just started, or reads the
   * cluster again after a gap), the tasks the store thinks still run but the master no longer lists are
   * marked as having ended unseen.
   */
  observe(cluster: string, snapshot: ClusterSnapshot, reconcileNow = false): void {
    let reconcile = reconcileNow;
    if (this.closed) return;
    // Changes were dropped while the store could not be written: queuing more before it can would only drop
    // them too. The state is recorded whole once writing works again.
    if (this.resync && this.status.paused) return;
    const { state } = snapshot;
    // The same state again (only metrics changed): no task, framework or agent can have changed.
    if (state === this.observed && cluster === this.cluster && !this.resync && !reconcile) return;
    let started: string | null = null;
    if (cluster !== this.cluster || this.resync) {
      started = this.resync ? 'resync after dropped changes' : 'first snapshot';
      reconcile ||= this.resync;
      this.cluster = cluster;
      this.resync = false;
      this.seenObjects = new WeakSet();
      this.seenTasks = null;
      this.marks.clear();
      this.frameworkNames.clear();
      this.agentRows.clear();
      this.observed = null;
    }
    const batch = emptyBatch(cluster, snapshot.fetchedAt);
    // A stream-fed snapshot keeps the same agent list while no agent changed.
    if (!this.seenObjects.has(state.slaves)) {
      const before = this.observed?.slaves;
      for (let i = 0; i < state.slaves.length; i += 1) {
        const agent = state.slaves[i]!;
        // A stream-fed state gives an agent a new object whenever the resources of its tasks change, but
        // keeps its host and attributes: the row it was recorded with is unchanged, and not encoded again.
        const was = before?.[i];
        if (
          was === agent ||
          (was?.id === agent.id && was.hostname === agent.hostname && was.attributes === agent.attributes)
        )
          continue;
        this.noteAgent(agent, batch);
      }
      this.seenObjects.add(state.slaves);
    }
    for (const framework of [...state.frameworks, ...state.completed_frameworks]) {
      if (this.frameworkNames.get(framework.id) !== framework.name) {
        this.frameworkNames.set(framework.id, framework.name);
        batch.frameworks.push(frameworkWrite(framework));
      }
    }
    const present = reconcile ? new Map<string, Set<string>>() : null;
    const changes = changesOf(state);
    if (!present && changes && this.observed !== null && changes.previous.deref() === this.observed) {
      // A stream-fed state says which tasks are new objects: only those can have changed.
      this.seenTasks = null;
      this.status.walkedTasks += changes.added.length;
      for (const { task, listing } of changes.added) {
        const framework =
          listing === 'orphan'
            ? undefined
            : listing === 'retired'
              ? state.completed_frameworks.find((f) => f.id === task.framework_id)
              : snapshot.frameworksById.get(task.framework_id);
        this.noteTask(task, framework, snapshot, batch);
      }
    } else {
      this.status.fullWalks += 1;
      this.status.lastFullWalk = {
        at: snapshot.fetchedAt,
        why: started ?? this.whyWalk(state, present !== null),
      };
      const seen = (this.seenTasks ??= new WeakSet());
      const note = (tasks: readonly Task[], framework: Framework | undefined) => {
        // Every task of a polled snapshot: plain loops, nothing allocated for a task seen before.
        this.status.walkedTasks += tasks.length;
        for (let i = 0; i < tasks.length; i += 1) {
          const task = tasks[i]!;
          if (present) {
            let ids = present.get(task.framework_id);
            if (!ids) present.set(task.framework_id, (ids = new Set()));
            ids.add(task.id);
          }
          if (!seen.has(task)) this.noteTask(task, framework, snapshot, batch);
        }
      };
      for (const frameworks of [state.frameworks, state.completed_frameworks]) {
        for (const framework of frameworks) {
          note(framework.tasks, framework);
          note(framework.unreachable_tasks, framework);
          note(framework.completed_tasks, framework);
        }
      }
      note(state.orphan_tasks ?? [], undefined);
    }
    this.observed = state;
    this.enqueue(batch);
    if (present) {
      const at = snapshot.fetchedAt;
      this.writing = this.writing.then(() => this.reconcile(cluster, present, at)).catch(() => undefined);
    }
  }

  private whyWalk(state: MasterState, reconcile: boolean): string {
    if (reconcile) return 'reconcile';
    if (this.observed === null) return 'first snapshot';
    const changes = changesOf(state);
    if (!changes) return 'no changes (a polled or reset state)';
    return 'changes from a state not observed';
  }

  private noteAgent(agent: Agent, batch: QueuedBatch): void {
    if (this.seenObjects.has(agent)) return;
    this.seenObjects.add(agent);
    const row = agentWrite(agent);
    const text = `${row.host}\u0000${row.attributes ?? ''}`;
    if (this.agentRows.get(agent.id) === text) return;
    this.agentRows.set(agent.id, text);
    batch.agents.push(row);
  }

  private noteTask(
    task: Task,
    framework: Framework | undefined,
    snapshot: ClusterSnapshot,
    batch: QueuedBatch,
  ): void {
    this.seenTasks?.add(task);
    this.status.notedTasks += 1;
    if (!this.marks.changed(task)) return;
    batch.tasks.push(task);
    batch.listedBy.push(framework);
    batch.onAgent.push(snapshot.agentsById.get(task.slave_id));
  }

  private enqueue(batch: QueuedBatch): void {
    if (batch.tasks.length === 0 && batch.frameworks.length === 0 && batch.agents.length === 0) return;
    for (let at = 0; at < Math.max(batch.tasks.length, 1); at += BATCH_TASKS) {
      const end = at + BATCH_TASKS;
      const part: QueuedBatch =
        at === 0 && batch.tasks.length <= BATCH_TASKS
          ? batch
          : {
              ...batch,
              frameworks: at === 0 ? batch.frameworks : [],
              agents: at === 0 ? batch.agents : [],
              tasks: batch.tasks.slice(at, end),
              listedBy: batch.listedBy.slice(at, end),
              onAgent: batch.onAgent.slice(at, end),
            };
      this.queue.push(part);
      this.status.pending += part.tasks.length;
    }
    // Only while writing fails: a healthy store drains the queue, and a first snapshot bigger than the bound
    // must be queued whole (dropping part of it would make every next snapshot a full resync, for ever).
    const max = this.options.maxPending ?? 200_000;
    while (this.status.paused && this.status.pending > max && this.queue.length > 1) {
      const dropped = this.queue.shift()!;
      this.status.pending -= dropped.tasks.length;
      this.status.dropped += dropped.tasks.length;
      this.resync = true;
    }
  }

  /** Writes what is queued (one write at a time); resolves when it is written or has failed. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeQueued());
    return this.writing;
  }

  private async writeQueued(): Promise<void> {
    if (this.status.paused && this.now() < this.retryAt && !this.closed) return;
    let written = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      try {
        await this.options.store.write(next.cluster, writeBatchOf(next));
      } catch (error) {
        this.pause(error);
        return;
      }
      this.queue.shift();
      written += next.tasks.length;
      this.status.pending -= next.tasks.length;
      this.status.lastWriteAt = this.now();
      if (this.status.paused) {
        this.status.paused = false;
        this.status.error = null;
        this.options.warn?.('task history: writing again');
      }
      // SQLite writes synchronously: without a turn of the event loop between batches, a first backfill of
      // 200,000 tasks would hold every request for seconds.
      if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (written >= (this.options.collectAfterTasks ?? COLLECT_AFTER_TASKS))
      (this.options.collectGarbage ?? collectGarbage)();
  }

  private pause(error: unknown): void {
    const message = describeStoreError(error, this.options.store.location);
    if (!this.status.paused || this.status.error !== message) {
      this.options.warn?.(`task history paused: ${message}`);
    }
    this.status.paused = true;
    this.status.error = message;
    this.retryAt = this.now() + (this.options.retryMs ?? 5_000);
  }

  private async reconcile(
    cluster: string,
    present: ReadonlyMap<string, ReadonlySet<string>>,
    at: number,
  ): Promise<void> {
    await this.writeQueued();
    if (this.status.paused) {
      // Tried again once writing works: the next snapshot is recorded in full, and reconciled.
      this.resync = true;
      return;
    }
    try {
      const open = await this.options.store.openTasks(cluster);
      const gone = open.filter((task) => present.get(task.frameworkId)?.has(task.taskId) !== true);
      await this.options.store.markUnwatched(cluster, gone, at);
    } catch (error) {
      this.pause(error);
    }
  }

  /** Whether the next snapshot must be reconciled (a write was lost, or writing resumed after a pause). */
  get needsResync(): boolean {
    return this.resync;
  }

  /** Writes what is queued, then stops. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closed = true;
    await this.flush();
  }
}

function emptyBatch(cluster: string, seenAt: number): QueuedBatch {
  return { cluster, frameworks: [], agents: [], tasks: [], listedBy: [], onAgent: [], seenAt };
}

/** The rows of a queued batch, made as it is written. */
function writeBatchOf(queued: QueuedBatch): WriteBatch {
  const batch: WriteBatch = { frameworks: queued.frameworks, agents: queued.agents, tasks: [], statuses: [] };
  for (let i = 0; i < queued.tasks.length; i += 1) {
    const writes = taskWrites(queued.tasks[i]!, queued.listedBy[i], queued.onAgent[i], queued.seenAt);
    batch.tasks.push(writes.task);
    for (const status of writes.statuses) batch.statuses.push(status);
  }
  return batch;
}

/** A store error as an operator reads it: what happened, and where. */
export function describeStoreError(error: unknown, location: string): string {
  const code = (error as { code?: string }).code;
  const text = (error as Error).message ?? String(error);
  switch (code) {
    case 'SQLITE_FULL':
      return `the disk holding ${location} is full`;
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DBMOVED':
    case 'SQLITE_IOERR_WRITE':
    case 'SQLITE_CANTOPEN':
      return `${location} cannot be written (${text})`;
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case '57P01':
      return `the PostgreSQL at ${location} is not reachable (${text})`;
    default:
      return `writing to ${location} failed: ${text}`;
  }
}
