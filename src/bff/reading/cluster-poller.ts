import { EventEmitter } from 'node:events';
import type { MasterState, MetricsSnapshot } from '../../mesos';
import { MesosParseError, parsePid, parseMasterState, parseMetricsSnapshot } from '../../mesos';
import { hasLeader, isLeader, leaderAddress } from '../../mesos/master-state';
import { compactV0Tasks } from '../../mesos/operator-v1/compact-task';
import { defaultPollIntervalMs, streamPublishMs } from '../poll-policy';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import type { MesosClient } from '../upstream/mesos-client';
import { origin } from '../upstream/mesos-client';
import { EndpointForms } from '../upstream/endpoint-forms';
import { answerOrRedirect, leaderRequest } from '../upstream/leader-request';
import { PollLoop } from '../upstream/poll-loop';
import { UpstreamError } from '../upstream/upstream-error';
import type { UpstreamErrorKind } from '../upstream/upstream-error';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { LoadingView } from '../schemas/views';
import { buildSnapshot, listedByIds } from '../model/cluster-snapshot';
import { DepartureMemory } from '../model/departed-agents';
import { TaskModel } from '../model/task-index';
import { diffPolledState } from '../model/polled-changes';
import { OperatorSource } from './operator-source';
import type { OperatorSourceOptions, StreamRead } from './operator-source';

/** The master the data came from, as its own state describes it. */
interface LeaderIdentity {
  /** The base URL mesoscope reads it at. */
  url: string;
  /** The master's id (a new one each time a master process starts). */
  id: string;
  hostname: string;
  port: number;
}

interface PollStatus {
  connected: boolean;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  /** What kind of failure `lastError` is (`unauthorized`, `tls`, `timeout`...), null when fine. */
  lastErrorKind: UpstreamErrorKind | 'invalid' | null;
  /** The leader the last good data came from. */
  leader: LeaderIdentity | null;
  /** The leader before the last change, and when mesoscope first read the new one (ms). */
  previousLeader: LeaderIdentity | null;
  leaderChangedAt: number | null;
  /** Set while the first snapshot of a big cluster is still being read (the snapshot so far is partial). */
  loading: LoadingView | null;
}

export interface ClusterPollerOptions {
  client: MesosClient;
  discovery: LeaderDiscovery;
  /** Fixed interval; when absent it follows the cluster size (poll-policy). */
  intervalMs?: number;
  now?: () => number;
  /**
   * `stream` (default): follow the leader's v1 operator event stream where it has one (Mesos 1.x), and poll
   * `/master/state` only masters without it; `poll`: always poll `/master/state`.
   */
  read?: 'stream' | 'poll';
  /** Tuning of the event stream (heartbeat and backoff, for tests). */
  stream?: Pick<
    OperatorSourceOptions,
    | 'heartbeatSeconds'
    | 'missedHeartbeats'
    | 'backoffMs'
    | 'log'
    | 'streamFromBytes'
    | 'foldSliceTasks'
    | 'partialPublishMs'
  >;
}

/**
 * Reads the leading master once per interval, however many browsers watch, and keeps the last good snapshot
 * when a poll fails (the views say how stale it is). Polls never overlap: the next starts after one ends.
 */
export class ClusterPoller extends EventEmitter<{
  snapshot: [ClusterSnapshot];
  'poll-error': [string];
  'leader-change': [LeaderIdentity, LeaderIdentity | null];
}> {
  private latest: ClusterSnapshot | null = null;
  private version = 0;
  private readonly polls = new PollLoop(
    () => this.poll(),
    () => this.intervalMs,
  );
  private readonly now: () => number;
  readonly status: PollStatus = {
    connected: false,
    lastSuccessAt: null,
    lastAttemptAt: null,
    lastError: null,
    lastErrorKind: null,
    leader: null,
    previousLeader: null,
    leaderChangedAt: null,
    loading: null,
  };
  /** A new leader named by discovery (ZooKeeper, a redirect) is read at once, not at the next tick. */
  // A leader the ZooKeeper watch names during a read is read once more after it: that read was of the old one.
  private readonly onLeaderFound = (_leader: string | null, byWatch: boolean) =>
    this.polls.soon({ rereadIfBusy: byWatch });
  /** The event stream reader, when reading by stream; `null` polls `/master/state` only. */
  readonly stream: OperatorSource | null;
  /** The tasks indexed, kept from one snapshot to the next (updated from what changed, when streamed). */
  private readonly tasks = new TaskModel();
  private readonly departures = new DepartureMemory();
  private readonly listed = listedByIds();
  /** The last state polled, to which the next one is compared, so that only changed tasks are re-indexed. */
  private polled: MasterState | null = null;
  /** Which masters serve `/master/state.json` only (before Mesos 0.25). */
  private readonly forms = new EndpointForms();

  constructor(private readonly options: ClusterPollerOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.stream =
      options.read === 'poll'
        ? null
        : new OperatorSource({
            client: options.client,
            discovery: options.discovery,
            now: this.now,
            onWake: () => this.polls.soon(),
            onDown: (error) => this.markDown(error),
            ...options.stream,
          });
  }

  get snapshot(): ClusterSnapshot | null {
    return this.latest;
  }

  get intervalMs(): number {
    // A stream that failed is tried again as its backoff says (1 s, 2 s... 30 s), even under a long
    // --poll-interval: a failover caught mid-way (a standby still naming the old leader) heals in a second.
    const retry = this.stream?.retryInMs ?? null;
    const interval = this.options.intervalMs ?? this.defaultIntervalMs();
    return retry === null ? interval : Math.min(interval, retry);
  }

  /** Streamed changes cost nothing to publish; polled states cost a /master/state each. */
  private defaultIntervalMs(): number {
    if (this.stream?.active) return streamPublishMs(this.stream.agentCount);
    return defaultPollIntervalMs(this.latest?.state.slaves.length ?? 0);
  }

  /** How long until the cluster is read (and, if it changed, published) again; null when no read is scheduled. */
  get nextReadInMs(): number | null {
    return this.polls.nextReadInMs();
  }

  start(): void {
    if (this.polls.running) return;
    this.options.discovery.on('change', this.onLeaderFound);
    this.polls.start();
  }

  stop(): void {
    this.polls.stop();
    this.stream?.close();
    this.options.discovery.off('change', this.onLeaderFound);
  }

  /**
   * Polls now unless a poll is already under way, in which case it waits for that one (single flight: a
   * leader that discovery names during a poll, even before its first await, does not start a second poll
   * and a second stream; the poll under way reads it).
   */
  pollOnce(): Promise<void> {
    return this.polls.once();
  }

  /** Resolves once a first snapshot exists or the first attempt failed. */
  async ready(): Promise<void> {
    if (this.latest || this.status.lastAttemptAt !== null) return;
    await this.pollOnce();
  }

  private async poll(): Promise<void> {
    this.status.lastAttemptAt = this.now();
    const namedBefore = this.options.discovery.namedByWatch;
    try {
      const found = await this.options.discovery.find();
      const streamed = this.stream ? await this.stream.read(found) : null;
      if (streamed) {
        this.acceptStreamed(streamed);
        return;
      }
      const { url: leaderUrl, state } = await this.readLeaderState(found);
      compactV0Tasks(state);
      if (this.polled) diffPolledState(this.polled, state);
      this.polled = state;
      const metrics = await this.fetchMetrics(leaderUrl);
      this.version += 1;
      this.latest = buildSnapshot(
        { version: this.version, fetchedAt: this.now(), leaderUrl, state, metrics },
        this.tasks,
        this.departures,
        this.listed,
      );
      this.noteLeader(identify(leaderUrl, state));
      this.status.connected = true;
      this.status.lastSuccessAt = this.latest.fetchedAt;
      this.status.lastError = null;
      this.status.lastErrorKind = null;
      this.status.loading = null;
      this.emit('snapshot', this.latest);
    } catch (error) {
      const kind = error instanceof UpstreamError ? error.kind : 'invalid';
      // The leader may have gone, or answers what no leader would (a foreign redirect, a broken state): look
      // again next time. Not when mesoscope was refused (credentials, TLS): every master would refuse it.
      if (kind !== 'unauthorized' && kind !== 'tls') this.options.discovery.forget(namedBefore);
      this.markDown(error);
    }
  }

  /** The data is stale from now on (the views say so, with why), until the next good read. */
  private markDown(error: unknown): void {
    const message = describePollError(error);
    this.status.connected = false;
    this.status.lastError = message;
    this.status.lastErrorKind = error instanceof UpstreamError ? error.kind : 'invalid';
    this.status.loading = null;
    this.emit('poll-error', message);
  }

  /** A streamed state becomes the new snapshot only when something changed, so unchanged views keep their ETag. */
  private acceptStreamed(read: StreamRead): void {
    const now = this.now();
    this.status.loading = read.loading;
    if (read.changed || !this.latest || this.latest.leaderUrl !== read.url) {
      this.version += 1;
      this.latest = buildSnapshot(
        {
          version: this.version,
          fetchedAt: now,
          leaderUrl: read.url,
          state: read.state,
          metrics: read.metrics,
        },
        this.tasks,
        this.departures,
        this.listed,
      );
      this.noteLeader(identify(read.url, read.state));
      this.markConnected(now);
      this.emit('snapshot', this.latest);
    } else {
      this.markConnected(now);
    }
  }

  private markConnected(at: number): void {
    this.status.connected = true;
    this.status.lastSuccessAt = at;
    this.status.lastError = null;
    this.status.lastErrorKind = null;
  }

  /**
   * Reads the state of the master discovery named, and makes sure it is the leader's: a standby redirects
   * (307), and a Mesos 0.2x standby serves its own state with only a `leader` pid. Either way the leader it
   * names is read instead, once (see leaderRequest).
   */
  private async readLeaderState(found: string): Promise<{ url: string; state: MasterState }> {
    const { base, answer } = await leaderRequest<MasterState>(
      this.options.discovery,
      found,
      async (target) => {
        const read = await this.forms.read(target, '/master/state', (path) =>
          this.options.client.getText(target, path),
        );
        const redirect = answerOrRedirect(read.status, read.location, read);
        if ('redirect' in redirect) return redirect;
        const state = parseMasterState(this.stateJson(target, read));
        return isLeader(state) ? { answer: state } : { redirect: namedLeader(target, state) };
      },
    );
    return { url: base, state: answer };
  }

  /** Remembers which master the data came from, and when that changed. */
  private noteLeader(leader: LeaderIdentity): void {
    const before = this.status.leader;
    this.status.leader = leader;
    if (before && (before.id !== leader.id || before.url !== leader.url)) {
      this.status.previousLeader = before;
      this.status.leaderChangedAt = this.now();
      this.emit('leader-change', leader, before);
    }
  }

  /** The JSON of a state read that was not a redirect; any other status is the error it stands for. */
  private stateJson(base: string, read: { status: number; body: string }): unknown {
    if (read.status < 200 || read.status >= 300) {
      throw this.options.client.statusError(read.status, `the leading master (${origin(base)})`);
    }
    try {
      return JSON.parse(read.body) as unknown;
    } catch {
      throw new UpstreamError(
        'malformed',
        `the leading master (${origin(base)}) answered its state with malformed JSON`,
      );
    }
  }

  /** Metrics are optional: a master that refuses them (401/403, rate limit) still gives a usable state. */
  private async fetchMetrics(leaderUrl: string): Promise<MetricsSnapshot | null> {
    try {
      const read = await this.forms.read(leaderUrl, '/metrics/snapshot', (path) =>
        this.options.client.getText(leaderUrl, path),
      );
      return parseMetricsSnapshot(this.options.client.jsonOf(leaderUrl, '/metrics/snapshot', read));
    } catch {
      return null;
    }
  }
}

/** Who the leader is, from its own state (`leader_info` in 1.x, else its id and pid). */
function identify(url: string, state: MasterState): LeaderIdentity {
  const info = state.leader_info;
  const pid = parsePid(state.pid ?? '');
  return {
    url,
    id: info?.id ?? state.id,
    hostname: info?.hostname ?? state.hostname ?? pid?.ip ?? new URL(url).hostname,
    port: info?.port ?? pid?.port ?? Number(new URL(url).port || 80),
  };
}

/** Where a standby's own state says the leader is (`//host:port`), as a redirect would say it. */
function namedLeader(standby: string, state: MasterState): string {
  const address = hasLeader(state) ? leaderAddress(state) : null;
  if (!address) {
    throw new UpstreamError('no-leader', `${origin(standby)} is not leading and knows no leader yet`);
  }
  const named = `//${hostForUrl(address.hostname)}:${address.port}`;
  if (new URL(named, standby).host === new URL(standby).host) {
    throw new UpstreamError('no-leader', `${origin(standby)} is not leading; it names itself`);
  }
  return named;
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function describePollError(error: unknown): string {
  if (error instanceof UpstreamError) return error.message;
  if (error instanceof MesosParseError) return `the master's state could not be read: ${error.message}`;
  return 'unexpected error while reading the cluster';
}
