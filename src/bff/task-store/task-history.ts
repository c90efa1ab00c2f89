import path from 'node:path';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { localClusterKey, remoteClusterKey } from '../history/cluster-identity';
import { PostgresTaskStore } from './postgres-store';
import { SQLITE_FILE, SqliteTaskStore } from './sqlite-store';
import { TaskRecorder } from './task-recorder';
import type { StoreStats, TaskStore } from './types';

export interface TaskHistoryOptions {
  poller: ClusterPoller;
  mode: 'local' | 'remote';
  masters: readonly string[];
  localIdentity?: string;
  /** Where the SQLite file goes; null with `sqlite` keeps no task history. */
  dataDir: string | null;
  /** `sqlite`, `off` or a PostgreSQL URL. */
  where: string;
  retentionMs: number;
  maxBytes: number | null;
  warn?: (message: string) => void;
  /** How often the store is pruned, and a store that could not be opened tried again (ms). */
  maintenanceMs?: number;
  /** How often the store is measured for `/metrics` (ms; default {@link MEASURE_MS}). */
  measureMs?: number;
  flushMs?: number;
  now?: () => number;
  /** Opens the store instead of `where` (tests put a store that fails in between). */
  openStore?: () => Promise<TaskStore>;
}

/**
 * Measuring the store counts every row and every status, a read of the whole table (about 60 ms of CPU at
 * 200,000 tasks): done every minute, it was a tenth of a quiet minute's CPU, for gauges that move slowly.
 */
export const MEASURE_MS = 10 * 60_000;

/** What `/api/status` says of the task history. */
export interface TaskHistoryStatus {
  enabled: boolean;
  kind: 'sqlite' | 'postgres' | null;
  /** Recording has stopped for now (cannot open or write the store); the live views are unaffected. */
  paused: boolean;
  error: string | null;
}

/**
 * The task history of the cluster mesoscope watches: opens the store (trying again later when it cannot:
 * a PostgreSQL down at start), records every snapshot the poller publishes, reconciles with the master when
 * reading it starts or resumes after a gap, and prunes by age and size.
 */
export class TaskHistory {
  store: TaskStore | null = null;
  recorder: TaskRecorder | null = null;
  clusterKey: string | null;
  stats: StoreStats | null = null;
  private measuredAt: number | null = null;
  private openError: string | null = null;
  private reconcileNext = true;
  private timer: NodeJS.Timeout | null = null;
  private opening: Promise<void> | null = null;
  private closed = false;
  private readonly now: () => number;
  private readonly localKey: string | null;

  constructor(private readonly options: TaskHistoryOptions) {
    this.now = options.now ?? Date.now;
    this.localKey = options.mode === 'local' ? localClusterKey(options.localIdentity ?? 'cluster') : null;
    this.clusterKey = this.localKey;
  }

  get enabled(): boolean {
    const { where, dataDir, openStore } = this.options;
    return openStore !== undefined || (where !== 'off' && (where !== 'sqlite' || dataDir !== null));
  }

  get status(): TaskHistoryStatus {
    const recorder = this.recorder?.status;
    return {
      enabled: this.enabled,
      kind: this.store?.kind ?? null,
      paused: this.enabled && (this.store === null || recorder?.paused === true),
      error: this.openError ?? recorder?.error ?? null,
    };
  }

  async start(): Promise<void> {
    if (!this.enabled) return;
    await this.open();
    const { poller } = this.options;
    poller.on('snapshot', this.onSnapshot);
    poller.on('poll-error', this.onPollError);
    if (poller.snapshot) this.onSnapshot(poller.snapshot);
    this.timer = setInterval(() => void this.maintain(), this.options.maintenanceMs ?? 60_000);
    this.timer.unref();
    void this.maintain();
  }

  private open(): Promise<void> {
    this.opening ??= this.openStore().finally(() => (this.opening = null));
    return this.opening;
  }

  private async openStore(): Promise<void> {
    if (this.store || this.closed) return;
    const { where, dataDir } = this.options;
    try {
      this.store = this.options.openStore
        ? await this.options.openStore()
        : where === 'sqlite'
          ? SqliteTaskStore.open(path.join(dataDir!, SQLITE_FILE), this.options.warn)
          : await PostgresTaskStore.open(where, this.options.warn);
    } catch (error) {
      const message = (error as Error).message;
      if (this.openError !== message) this.options.warn?.(`task history paused: ${message}`);
      this.openError = message;
      return;
    }
    if (this.closed) {
      await this.store.close();
      return;
    }
    if (this.openError) this.options.warn?.(`task history: ${this.store.location} opened, recording`);
    this.openError = null;
    this.reconcileNext = true;
    this.recorder = new TaskRecorder({
      store: this.store,
      warn: this.options.warn,
      flushMs: this.options.flushMs,
      now: this.now,
    });
  }

  private readonly onPollError = () => {
    // The master may change anything while it is not read: the next answer is compared with the store.
    this.reconcileNext = true;
  };

  private readonly onSnapshot = (snapshot: ClusterSnapshot) => {
    const key =
      this.localKey ?? remoteClusterKey(this.options.masters, snapshot.state.cluster, this.clusterKey);
    if (key !== this.clusterKey) this.reconcileNext = true;
    this.clusterKey = key;
    if (!this.recorder) return;
    // While a big first snapshot is still being read, a snapshot holds only part of the tasks: reconciling
    // with it would mark the rest as ended. The whole state is recorded once it is in.
    if (this.options.poller.status.loading) return;
    const leader = this.options.poller.status.leader?.id ?? null;
    if (leader !== this.lastLeader) this.reconcileNext = true;
    this.lastLeader = leader;
    this.recorder.observe(key, snapshot, this.reconcileNext);
    this.reconcileNext = false;
  };
  private lastLeader: string | null = null;

  /**
   * Prunes by age and size, and measures the store when it was not measured for a while; opens it when it could
   * not be opened before.
   */
  async maintain(): Promise<void> {
    if (this.closed) return;
    if (!this.store) {
      await this.open();
      if (this.store && this.options.poller.snapshot) this.onSnapshot(this.options.poller.snapshot);
      return;
    }
    try {
      await this.store.prune({
        before: this.now() - this.options.retentionMs,
        maxBytes: this.options.maxBytes,
      });
      const now = this.now();
      if (this.measuredAt === null || now - this.measuredAt >= (this.options.measureMs ?? MEASURE_MS)) {
        this.stats = await this.store.stats();
        this.measuredAt = now;
      }
    } catch {
      // Writing says why it cannot; pruning waits for the next round.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.options.poller.off('snapshot', this.onSnapshot);
    this.options.poller.off('poll-error', this.onPollError);
    await this.opening;
    await this.recorder?.close();
    await this.store?.close();
  }
}
