import { EventEmitter } from 'node:events';
import type { MetricsSnapshot } from '../../mesos';
import { MesosParseError, parseMasterState, parseMetricsSnapshot } from '../../mesos';
import { defaultPollIntervalMs } from '../poll-policy';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import type { MesosClient } from '../upstream/mesos-client';
import { resolveLeaderLocation } from '../upstream/leader-discovery';
import { UpstreamError } from '../upstream/upstream-error';
import type { ClusterSnapshot } from './cluster-snapshot';
import { buildSnapshot } from './cluster-snapshot';

export interface PollStatus {
  connected: boolean;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
}

export interface ClusterPollerOptions {
  client: MesosClient;
  discovery: LeaderDiscovery;
  /** Fixed interval; when absent it follows the cluster size (poll-policy). */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Reads the leading master once per interval, however many browsers watch, and keeps the last good snapshot
 * when a poll fails (the views say how stale it is). Polls never overlap: the next starts after one ends.
 */
export class ClusterPoller extends EventEmitter<{ snapshot: [ClusterSnapshot]; 'poll-error': [string] }> {
  private latest: ClusterSnapshot | null = null;
  private version = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  private readonly now: () => number;
  readonly status: PollStatus = {
    connected: false,
    lastSuccessAt: null,
    lastAttemptAt: null,
    lastError: null,
  };

  constructor(private readonly options: ClusterPollerOptions) {
    super();
    this.now = options.now ?? Date.now;
  }

  get snapshot(): ClusterSnapshot | null {
    return this.latest;
  }

  get intervalMs(): number {
    return this.options.intervalMs ?? defaultPollIntervalMs(this.latest?.state.slaves.length ?? 0);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Polls now unless a poll is already under way, in which case it waits for that one (single flight). */
  pollOnce(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Resolves once a first snapshot exists or the first attempt failed. */
  async ready(): Promise<void> {
    if (this.latest || this.status.lastAttemptAt !== null) return;
    await this.pollOnce();
  }

  private async loop(): Promise<void> {
    await this.pollOnce();
    if (!this.running) return;
    this.timer = setTimeout(() => void this.loop(), this.intervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.status.lastAttemptAt = this.now();
    try {
      const leaderUrl = await this.options.discovery.find();
      const [stateJson, metrics] = await Promise.all([
        this.fetchState(leaderUrl),
        this.fetchMetrics(leaderUrl),
      ]);
      const state = parseMasterState(stateJson);
      this.version += 1;
      this.latest = buildSnapshot({
        version: this.version,
        fetchedAt: this.now(),
        leaderUrl: this.options.discovery.leader ?? leaderUrl,
        state,
        metrics,
      });
      this.status.connected = true;
      this.status.lastSuccessAt = this.latest.fetchedAt;
      this.status.lastError = null;
      this.emit('snapshot', this.latest);
    } catch (error) {
      const message = describePollError(error);
      if (
        !(error instanceof UpstreamError && error.kind === 'malformed') &&
        !(error instanceof MesosParseError)
      ) {
        // The leader may have gone: ask the masters again next time.
        this.options.discovery.forget();
      }
      this.status.connected = false;
      this.status.lastError = message;
      this.emit('poll-error', message);
    }
  }

  /** Reads /master/state; a 307 means this master is a standby, so adopt the leader it names and retry once. */
  private async fetchState(leaderUrl: string): Promise<unknown> {
    const { client, discovery } = this.options;
    const first = await client.getText(leaderUrl, '/master/state');
    if ((first.status === 307 || first.status === 302) && first.location) {
      const next = resolveLeaderLocation(leaderUrl, first.location);
      discovery.adopt(next);
      return client.getJson(next, '/master/state');
    }
    if (first.status < 200 || first.status >= 300) {
      throw new UpstreamError(
        'http',
        `the leading master answered HTTP ${first.status} for its state`,
        first.status,
      );
    }
    try {
      return JSON.parse(first.body) as unknown;
    } catch {
      throw new UpstreamError('malformed', 'the leading master answered its state with malformed JSON');
    }
  }

  /** Metrics are optional: a master that refuses them (401/403, rate limit) still gives a usable state. */
  private async fetchMetrics(leaderUrl: string): Promise<MetricsSnapshot | null> {
    try {
      return parseMetricsSnapshot(await this.options.client.getJson(leaderUrl, '/metrics/snapshot'));
    } catch {
      return null;
    }
  }
}

function describePollError(error: unknown): string {
  if (error instanceof UpstreamError) return error.message;
  if (error instanceof MesosParseError) return `the master's state could not be read: ${error.message}`;
  return 'unexpected error while reading the cluster';
}
