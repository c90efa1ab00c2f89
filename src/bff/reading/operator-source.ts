/**
 * Reads a Mesos 1.x master through its v1 operator API instead of polling `/master/state`: one `SUBSCRIBE`
 * stream (the whole state once, then only changes) folded into a {@link StreamState}, plus cheap periodic
 * calls for what events never carry: metrics, offers and allocation (`GET_FRAMEWORKS`, no tasks), and agent
 * deactivation and drains (`GET_AGENTS`, also when the metrics' agent counts move). Masters without the API
 * (404/405, or older than 1.0) are reported as unsupported, and the poller falls back to `/master/state`.
 *
 * A big cluster's SUBSCRIBED takes its master seconds to render and mesoscope seconds to read, so the small
 * calls are asked first, and their agents and frameworks are served (with `loading`) until it is in.
 */
import type { MasterHeader, MetricsSnapshot, OperatorEvent, RecordProgress } from '../../mesos';
import { StreamState, parseMetricsSnapshot, unwrapV1, v1MasterHeaderToV0, v1TaskToV0 } from '../../mesos';
import type { MasterState } from '../../mesos';
import { SNAPSHOT_TASK_LISTS } from '../../mesos/operator-v1/stream-state';
import { SLICE_TASKS, nextTurn } from '../model/turns';
import { agentsMovedUnseen, streamPollPolicy } from '../poll-policy';
import type { LoadingView } from '../schemas/views';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import type { LeaderAnswer } from '../upstream/leader-request';
import { leaderRequest } from '../upstream/leader-request';
import type { MesosClient } from '../upstream/mesos-client';
import { origin } from '../upstream/mesos-client';
import type { CallCost, OperatorCallResult } from '../upstream/operator-calls';
import { callOperator } from '../upstream/operator-calls';
import { OperatorStream } from '../upstream/operator-stream';
import type { StreamEnd } from '../upstream/operator-stream';
import { UpstreamError } from '../upstream/upstream-error';

export interface StreamRead {
  /** The leader the stream comes from. */
  url: string;
  state: MasterState;
  metrics: MetricsSnapshot | null;
  /** Whether state or metrics changed since the previous read. */
  changed: boolean;
  /**
   * Set while the first snapshot of a big cluster is still being read: `state` then holds only what the master's
   * small calls said (agents, frameworks, allocation), and this says how far the snapshot has got.
   */
  loading: LoadingView | null;
}

/** A cluster from this many agents has its agents and frameworks shown before its snapshot arrives. */
export const PARTIAL_FROM_AGENTS = 1_000;

/**
 * A first snapshot with more tasks than this is folded into the model this many at a time, with a turn of the
 * event loop between slices: requests are answered meanwhile, and the tasks folded so far are served.
 */
export const FOLD_SLICE_TASKS = SLICE_TASKS;

/**
 * While a big first snapshot is read, the state folded so far is published at most this often. Each such
 * state republishes every framework and agent the slices touched, and its index and views live until the
 * next one: published after every slice, they made hundreds of MB of garbage at `massive`, which the heap
 * (and so RSS) grew to hold before it was collected. The progress in `/api/status` is read every time.
 */
export const PARTIAL_PUBLISH_MS = 10_000;

/** The small calls read alongside `SUBSCRIBE`, answered before a big master has rendered its snapshot. */
interface EarlyReads {
  at: number;
  metrics: unknown;
  agents: unknown;
  frameworks: unknown;
}

export interface OperatorSourceOptions {
  client: MesosClient;
  discovery: LeaderDiscovery;
  now?: () => number;
  /** Heartbeat intervals of silence before the stream is declared stalled and reconnected (default 2). */
  missedHeartbeats?: number;
  /** Overrides the heartbeat interval the master announces (tests). */
  heartbeatSeconds?: number;
  /** First and longest wait between reconnection attempts (default 1 s, doubling to 30 s). */
  backoffMs?: { first: number; max: number };
  log?: (line: string) => void;
  /** Called when the stream ends or (re)subscribes, so the reader can act now rather than at its next tick. */
  onWake?: () => void;
  /** Called when a subscribed stream ends (stalled, broken, closed by the master): its data is stale from now. */
  onDown?: (error: UpstreamError) => void;
  /** Records of at least this size are read as they arrive, with partial data shown meanwhile (tests). */
  streamFromBytes?: number;
  /** Tasks folded in one slice of a big first snapshot (default {@link FOLD_SLICE_TASKS}; tests). */
  foldSliceTasks?: number;
  /** A partial state is published at most this often (default {@link PARTIAL_PUBLISH_MS}; tests). */
  partialPublishMs?: number;
}

interface Connection {
  url: string;
  header: MasterHeader;
  stream: OperatorStream;
  model: StreamState | null;
  /** Settles when SUBSCRIBED arrives (or the stream ends before it does). */
  subscribed: Promise<void>;
  /** Metrics, offers and agents have been read once since SUBSCRIBED. */
  primed: boolean;
  early: EarlyReads | null;
  /** The early reads' agents and frameworks are in {@link model} already (a big snapshot folded from them). */
  earlyApplied: boolean;
  /** Agents and frameworks from the early reads, shown while a big SUBSCRIBED is still arriving. */
  partial: StreamState | null;
  /** The partial state last published, of which model, and when. */
  shown: { state: MasterState; from: StreamState; at: number } | null;
  /** How far the SUBSCRIBED being read has got (null before it starts and once it is in). */
  progress: RecordProgress | null;
  /** Settles when {@link partial} may be shown. */
  partialShown: Promise<void>;
  showPartial: () => void;
  /** {@link partial} has been offered to readers (it may have been served before SUBSCRIBE was answered). */
  partialOffered: boolean;
  /**
   * While a big SUBSCRIBED is folded in slices (it is then {@link partial}): the events that arrived after it,
   * applied once it is whole.
   */
  folding: OperatorEvent[] | null;
}

/** Thrown by {@link OperatorSource.read} while there is no live stream; the poller reports it as an outage. */
export class StreamDown extends UpstreamError {}

export class OperatorSource {
  /** Upstream requests made and bytes received (stream and calls), for benchmarks and `/api/status`. */
  readonly cost: CallCost = { requests: 0, bytes: 0 };
  /** Subscriptions opened (the first one plus every reconnection). */
  subscriptions = 0;
  /** Slices of first snapshots folded in with a turn of the event loop before each (see {@link FOLD_SLICE_TASKS}). */
  foldedSlices = 0;
  private readonly support = new Map<string, 'unsupported'>();
  private connection: Connection | null = null;
  /** The connection being set up, shared by concurrent reads (one stream per leader, never two). */
  private connecting: Promise<boolean> | null = null;
  private failures = 0;
  private retryAt = 0;
  /** The master the backoff is for: a different leader is tried at once. */
  private retryUrl: string | null = null;
  private lastError: UpstreamError | null = null;
  private metrics: MetricsSnapshot | null = null;
  private metricsChanged = false;
  private lastMetricsAt = 0;
  private lastFrameworksAt = 0;
  private lastAgentsAt = 0;
  private agentsDue = false;
  /** The streamed model and its agent count when the metrics were last taken in, to tell what the stream said. */
  private agentsAtMetrics: { model: StreamState; count: number } | null = null;
  private background: Promise<void> | null = null;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: OperatorSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True while a stream is open (subscribed or about to be). */
  get active(): boolean {
    return this.connection !== null;
  }

  /**
   * How long until the stream that failed may be subscribed to again, while backing off (null otherwise): the
   * reader comes back then, not a whole poll interval later (30 s on a big cluster).
   */
  get retryInMs(): number | null {
    if (this.closed || this.connection || !this.lastError) return null;
    const wait = this.retryAt - this.now();
    return wait > 0 ? wait : null;
  }

  /** Agents in the streamed state (0 before SUBSCRIBED). */
  get agentCount(): number {
    return this.connection?.model?.agentCount ?? 0;
  }

  close(): void {
    this.closed = true;
    this.connection?.stream.close();
    this.connection = null;
  }

  /**
   * The current state of the leader `found`, subscribing first if needed. Null when that master has no
   * operator event stream (read `/master/state` instead); throws `UpstreamError` while the stream is down.
   */
  async read(found: string): Promise<StreamRead | null> {
    if (this.support.has(found)) return null;
    // Let pending socket events land first: a master that just went away must not look alive for one more read.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.connection && this.connection.url !== found) {
      // A new leader: its state is a new subscription.
      this.options.log?.(`leader is now ${origin(found)}: subscribing to its event stream`);
      this.drop();
    }
    if (!this.connection) {
      if (this.retryUrl === found && this.now() < this.retryAt && this.lastError) throw this.lastError;
      this.connecting ??= this.connect(found).finally(() => {
        this.connecting = null;
      });
      const opened = await this.connecting;
      if (!opened) return null;
    }
    const connection = this.connection as Connection | null;
    if (!connection) throw this.lastError ?? new StreamDown('unreachable', 'the event stream is down');
    if (!connection.model) await Promise.race([connection.subscribed, connection.partialShown]);
    const partial = connection.partial;
    if (!connection.model && partial && this.connection === connection) {
      const now = this.now();
      let { shown } = connection;
      let changed = this.metricsChanged;
      if (
        !shown ||
        shown.from !== partial ||
        now - shown.at >= (this.options.partialPublishMs ?? PARTIAL_PUBLISH_MS)
      ) {
        changed ||= partial.changed;
        shown = { state: partial.publish(), from: partial, at: now };
        connection.shown = shown;
      }
      this.metricsChanged = false;
      return {
        url: connection.url,
        state: shown.state,
        metrics: this.metrics,
        changed,
        loading: this.loading(connection),
      };
    }
    await connection.subscribed;
    const model = connection.model;
    if (!model || this.connection !== connection) {
      if (connection.url && this.support.has(connection.url)) return null;
      throw (
        this.lastError ?? new StreamDown('unreachable', `${origin(connection.url)} ended the event stream`)
      );
    }
    // Metrics are small and feed every page: read them in line when due. Offers and agents can be big on a
    // big cluster: read them in the background (but before the first publish, so it is complete).
    await this.readMetricsIfDue(connection, !connection.primed);
    if (!connection.primed) {
      await this.readDetailsIfDue(connection, true);
      connection.primed = true;
    } else {
      this.background ??= this.readDetailsIfDue(connection, false).finally(() => {
        this.background = null;
      });
    }
    const changed = model.changed || this.metricsChanged;
    this.metricsChanged = false;
    return { url: connection.url, state: model.publish(), metrics: this.metrics, changed, loading: null };
  }

  /** How far the first snapshot has got, as the status view says it. */
  private loading(connection: Connection): LoadingView {
    const read = connection.progress?.read;
    const metrics = this.metrics;
    const active = ['staging', 'starting', 'running', 'killing', 'unreachable'].map(
      (state) => metrics?.[`master/tasks_${state}`],
    );
    return {
      tasksRead: read ? read.tasks + read.unreachable_tasks : 0,
      tasksExpected: active.some((n) => n !== undefined)
        ? active.reduce<number>((sum, n) => sum + (n ?? 0), 0)
        : null,
      bytesRead: connection.progress?.bytesRead ?? 0,
      bytes: connection.progress?.bytes ?? null,
    };
  }

  private drop(): void {
    this.connection?.stream.close();
    this.connection = null;
  }

  private async call(url: string, type: string): Promise<OperatorCallResult> {
    return callOperator(this.options.client, url, type, this.cost);
  }

  /** A call whose answer is read by the model from its bytes (see `StreamState.applyAgentsJson`). */
  private async callForBytes(url: string, type: string): Promise<OperatorCallResult<Buffer>> {
    return callOperator(this.options.client, url, type, this.cost, (bytes) => bytes);
  }

  /** Probes the leader, reads its header, opens the stream. False when it has no operator event stream. */
  private async connect(found: string): Promise<boolean> {
    let url = found;
    try {
      const { base, answer } = await leaderRequest(this.options.discovery, found, (target) => {
        url = target;
        return this.subscribe(target);
      });
      url = base;
      if (answer.kind === 'unsupported') {
        this.markUnsupported(found, base, answer.why);
        return false;
      }
      return true;
    } catch (error) {
      this.fail(
        url,
        error instanceof UpstreamError
          ? error
          : new StreamDown('unreachable', `${origin(url)}: ${String(error)}`),
      );
      throw this.lastError;
    }
  }

  /** One attempt at `target`; a standby's redirect at any step (probe, header, SUBSCRIBE) is handed back. */
  private async subscribe(
    target: string,
  ): Promise<LeaderAnswer<{ kind: 'open' } | { kind: 'unsupported'; why: string }>> {
    const version = await this.call(target, 'GET_VERSION');
    if (version.kind === 'redirect') return { redirect: version.location };
    if (version.kind !== 'ok' || majorVersion(version.body) < 1) {
      const why = version.kind === 'ok' ? 'older than 1.0' : `HTTP ${version.status}`;
      return { answer: { kind: 'unsupported', why } };
    }
    // Answered before SUBSCRIBE is sent: a big master renders its snapshot for seconds and answers nothing
    // meanwhile (not even what it had begun to send), and these are what is shown until the snapshot is in.
    const earlyReads = this.readEarly(target);
    const [master, flags] = await Promise.all([
      this.call(target, 'GET_MASTER'),
      this.call(target, 'GET_FLAGS'),
      earlyReads,
    ]);
    if (master.kind === 'redirect') return { redirect: master.location };
    if (master.kind !== 'ok') return { answer: { kind: 'unsupported', why: 'no GET_MASTER' } };
    const header = v1MasterHeaderToV0({
      getMaster: master.body,
      getVersion: version.body,
      getFlags: flags.kind === 'ok' ? flags.body : undefined,
    });
    const connection = this.open(target, header, earlyReads);
    // A big master answers SUBSCRIBE only once it has taken its snapshot, seconds later: what the small calls
    // said is served from the moment it may be shown. A refusal after that ends the stream (see `ended`).
    const early = await Promise.race([connection.stream.answered, connection.partialShown.then(() => null)]);
    if (early === null) return { answer: { kind: 'open' } };
    // Ended before any event: the stream is this attempt's answer, not an outage of a running stream.
    if (this.connection === connection) this.connection = null;
    switch (early.kind) {
      case 'redirect':
        return { redirect: early.location };
      case 'unsupported':
        return { answer: { kind: 'unsupported', why: `SUBSCRIBE answered HTTP ${early.status}` } };
      case 'failed':
        throw early.error;
      case 'closed':
        throw new StreamDown('unreachable', `the event stream from ${origin(target)} was closed`);
    }
  }

  private open(url: string, header: MasterHeader, early: Promise<EarlyReads>): Connection {
    let settle!: () => void;
    const subscribed = new Promise<void>((resolve) => (settle = resolve));
    let showPartial!: () => void;
    const partialShown = new Promise<void>((resolve) => (showPartial = resolve));
    const connection: Connection = {
      url,
      header,
      model: null,
      subscribed,
      primed: false,
      early: null,
      earlyApplied: false,
      partial: null,
      shown: null,
      progress: null,
      partialShown,
      showPartial: () => {
        connection.partialOffered = true;
        showPartial();
      },
      partialOffered: false,
      folding: null,
      stream: new OperatorStream({
        client: this.options.client,
        base: url,
        heartbeatSeconds: this.options.heartbeatSeconds,
        missedHeartbeats: this.options.missedHeartbeats,
        streamFromBytes: this.options.streamFromBytes,
        onBytes: (bytes) => (this.cost.bytes += bytes),
        onProgress: (progress) => {
          const starting = connection.progress === null;
          connection.progress = progress;
          if (starting) this.offerPartial(connection);
        },
        onEvent: (event) => {
          if (event.type === 'SUBSCRIBED') {
            const slice = this.options.foldSliceTasks ?? FOLD_SLICE_TASKS;
            if (taskCount(event.getState) > slice) {
              void this.foldInSlices(connection, event.getState, slice, settle);
              return;
            }
            connection.progress = null;
            connection.partial = null;
            connection.shown = null;
            connection.model = new StreamState(connection.header, event.getState);
            this.subscribed(connection, connection.model, settle);
            return;
          }
          if (connection.folding) connection.folding.push(event);
          else connection.model?.apply(event);
        },
      }),
    };
    void early.then((reads) => {
      if (this.connection !== connection || connection.model || connection.folding) return;
      connection.early = reads;
      connection.partial = this.partialModel(header, reads);
      this.offerPartial(connection);
    });
    this.connection = connection;
    this.subscriptions += 1;
    this.cost.requests += 1;
    void connection.stream.done.then((end) => {
      settle();
      this.ended(connection, end);
    });
    return connection;
  }

  /** The model of a connection is whole: it is served from now on. */
  private subscribed(connection: Connection, model: StreamState, settle: () => void): void {
    connection.model = model;
    // What the stream adds and removes is counted from its snapshot on.
    this.agentsAtMetrics = { model, count: model.agentCount };
    this.primeFromEarly(connection, model);
    this.failures = 0;
    this.lastError = null;
    settle();
    this.options.onWake?.();
  }

  /**
   * Folds a big SUBSCRIBED into a model a slice of tasks at a time, letting requests in between slices. The
   * model is served meanwhile as partial data (with `loading`), the tasks folded so far included; events that
   * arrive meanwhile wait until it is whole. Each task's v1 JSON is let go as soon as it is folded.
   */
  private async foldInSlices(
    connection: Connection,
    getState: unknown,
    slice: number,
    settle: () => void,
  ): Promise<void> {
    connection.folding = [];
    let model: StreamState;
    try {
      model = StreamState.withoutTasks(connection.header, getState);
      if (this.metrics) model.setUnreachableAgents(this.metrics['master/slaves_unreachable'] ?? 0);
      const early = connection.early;
      if (early?.frameworks) model.applyFrameworks(early.frameworks);
      if (early?.agents) model.applyAgents(early.agents);
      connection.earlyApplied = true;
      connection.partial = model;
      connection.showPartial();
      this.options.onWake?.();
      const tasks = unwrapV1(unwrapV1(getState, 'subscribed'), 'get_state')['get_tasks'];
      for (const list of SNAPSHOT_TASK_LISTS) {
        const raw = listOf(tasks, list);
        for (let start = 0; start < raw.length; start += slice) {
          await nextTurn();
          if (this.connection !== connection) return;
          const end = Math.min(raw.length, start + slice);
          const folded = [];
          for (let i = start; i < end; i += 1) {
            folded.push(v1TaskToV0(raw[i], `get_tasks.${list}[${i}]`));
            raw[i] = undefined;
          }
          model.addSnapshotTasks(list, folded);
          this.foldedSlices += 1;
          this.options.onWake?.();
        }
      }
      model.finishSnapshot();
    } catch (error) {
      if (this.connection !== connection) return;
      const failure = new StreamDown(
        'malformed',
        `${origin(connection.url)} sent an event mesoscope cannot read: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.options.log?.(`event stream from ${origin(connection.url)} ended: ${failure.message}`);
      this.drop();
      this.fail(connection.url, failure);
      this.options.onDown?.(failure);
      settle();
      return;
    }
    if (this.connection !== connection) return;
    const waiting = connection.folding;
    connection.folding = null;
    for (const event of waiting) model.apply(event);
    connection.progress = null;
    connection.partial = null;
    connection.shown = null;
    this.subscribed(connection, model, settle);
  }

  private ended(connection: Connection, end: StreamEnd): void {
    if (this.connection !== connection) return;
    this.connection = null;
    if (this.closed) return;
    // A redirect or refusal ends a stream before it starts: the connect that opened it dealt with that, unless
    // partial data was served before the answer. Then a refusal falls back to polling, and a redirect (the
    // master stopped leading meanwhile) is followed by the next read.
    if (end.kind !== 'failed') {
      if (!connection.partialOffered) return;
      if (end.kind === 'unsupported')
        this.markUnsupported(connection.url, connection.url, `SUBSCRIBE answered HTTP ${end.status}`);
      queueMicrotask(() => this.options.onWake?.());
      return;
    }
    queueMicrotask(() => this.options.onWake?.());
    this.options.log?.(`event stream from ${origin(connection.url)} ended: ${end.error.message}`);
    this.fail(connection.url, end.error, end.subscribed);
    // Partial data shown while the snapshot was read is as stale as a subscribed stream's.
    if (end.subscribed || connection.partial) this.options.onDown?.(end.error);
  }

  private fail(url: string, error: UpstreamError, wasHealthy = false): void {
    const { first, max } = this.options.backoffMs ?? { first: 1_000, max: 30_000 };
    // A stream that was fine is retried at once; after that, reconnecting in a loop would hammer a struggling
    // master (dcos-ui#2919): back off, doubling.
    this.failures = wasHealthy ? 0 : this.failures + 1;
    this.retryAt = this.failures === 0 ? 0 : this.now() + Math.min(max, first * 2 ** (this.failures - 1));
    this.retryUrl = url;
    this.lastError = error;
  }

  /** Metrics, agents and frameworks, each null when its call failed (the stream is what counts). */
  private async readEarly(target: string): Promise<EarlyReads> {
    const body = (type: string) =>
      this.call(target, type).then(
        (result) => (result.kind === 'ok' ? result.body : null),
        () => null,
      );
    const at = this.now();
    const [metrics, agents, frameworks] = await Promise.all([
      body('GET_METRICS'),
      body('GET_AGENTS'),
      body('GET_FRAMEWORKS'),
    ]);
    return { at, metrics, agents, frameworks };
  }

  /** The cluster without its tasks, from the early reads; null when they did not all answer. */
  private partialModel(header: MasterHeader, reads: EarlyReads): StreamState | null {
    if (reads.metrics !== null) this.acceptMetrics(reads.metrics, null);
    if (reads.agents === null || reads.frameworks === null) return null;
    try {
      const model = new StreamState(header, {
        get_agents: unwrapV1(reads.agents, 'get_agents'),
        get_frameworks: unwrapV1(reads.frameworks, 'get_frameworks'),
      });
      // No task is counted yet: what the master says is allocated is all there is to show.
      model.useListedAllocation();
      model.setUnreachableAgents(this.metrics?.['master/slaves_unreachable'] ?? 0);
      return model;
    } catch {
      return null;
    }
  }

  /** Shows the partial model once the snapshot is known to take a while: it is big, or the cluster is. */
  private offerPartial(connection: Connection): void {
    const partial = connection.partial;
    if (!partial || connection.model || this.connection !== connection) return;
    if (connection.progress === null && partial.agentCount < PARTIAL_FROM_AGENTS) return;
    connection.showPartial();
    this.options.onWake?.();
  }

  /**
   * What the early reads said is as good as reading it again right after SUBSCRIBED: they are seconds old.
   * Their answers are let go then: kept with the connection, `GET_AGENTS`' parsed JSON alone held about
   * 85 MB at `gigantic` (30,000 agents) for as long as the stream lived.
   */
  private primeFromEarly(connection: Connection, model: StreamState): void {
    const early = connection.early;
    connection.early = null;
    if (this.metrics) model.setUnreachableAgents(this.metrics['master/slaves_unreachable'] ?? 0);
    if (!early || early.agents === null || early.frameworks === null || early.metrics === null) return;
    // A folded snapshot started from them, and each task folded in took its share out of what they said is
    // allocated: reading them again would only convert 30,000 agents once more at `gigantic`.
    if (!connection.earlyApplied) {
      model.applyFrameworks(early.frameworks);
      model.applyAgents(early.agents);
    }
    this.lastMetricsAt = early.at;
    this.lastFrameworksAt = early.at;
    this.lastAgentsAt = early.at;
    connection.primed = true;
  }

  private markUnsupported(found: string, url: string, why: string): void {
    this.support.set(found, 'unsupported');
    this.support.set(url, 'unsupported');
    this.options.log?.(`${origin(url)} has no operator event stream (${why}): polling /master/state instead`);
  }

  private async readMetricsIfDue(connection: Connection, force: boolean): Promise<void> {
    const model = connection.model;
    if (!model) return;
    const now = this.now();
    if (!force && now - this.lastMetricsAt < streamPollPolicy(model.agentCount).metricsMs) return;
    this.lastMetricsAt = now;
    // A failed periodic read keeps the previous values; the stream itself says whether the master is there.
    await this.readMetrics(connection, model).catch(() => undefined);
  }

  /** Offers and allocation (`GET_FRAMEWORKS`) and agents (`GET_AGENTS`), when due (both with `force`). */
  private async readDetailsIfDue(connection: Connection, force: boolean): Promise<void> {
    const model = connection.model;
    if (!model) return;
    const policy = streamPollPolicy(model.agentCount);
    const now = this.now();
    const reads: Promise<void>[] = [];
    if (force || now - this.lastFrameworksAt >= policy.frameworksMs) {
      this.lastFrameworksAt = now;
      reads.push(
        this.call(connection.url, 'GET_FRAMEWORKS').then((r) => {
          if (r.kind === 'ok' && this.connection === connection) model.applyFrameworks(r.body);
        }),
      );
    }
    if (force || this.agentsDue || now - this.lastAgentsAt >= policy.agentsMs) {
      this.lastAgentsAt = now;
      this.agentsDue = false;
      reads.push(
        this.callForBytes(connection.url, 'GET_AGENTS').then((r) => {
          if (r.kind === 'ok' && this.connection === connection) model.applyAgentsJson(r.body);
        }),
      );
    }
    await Promise.all(reads.map((read) => read.catch(() => undefined)));
  }

  private async readMetrics(connection: Connection, model: StreamState): Promise<void> {
    const result = await this.call(connection.url, 'GET_METRICS');
    if (result.kind !== 'ok' || this.connection !== connection) return;
    this.acceptMetrics(result.body, model);
  }

  private acceptMetrics(body: unknown, model: StreamState | null): void {
    const list = (body as { get_metrics?: { metrics?: { name?: unknown; value?: unknown }[] } }).get_metrics
      ?.metrics;
    const flat: Record<string, number> = {};
    for (const entry of list ?? []) {
      if (typeof entry.name === 'string' && typeof entry.value === 'number') flat[entry.name] = entry.value;
    }
    const metrics = parseMetricsSnapshot(flat);
    const previous = this.metrics;
    // Deactivation and drains have no event: when the agent counts move beyond what the stream's AGENT_ADDED and
    // AGENT_REMOVED say, read the agents again.
    const since = this.agentsAtMetrics;
    const streamedDelta = model && since?.model === model ? model.agentCount - since.count : null;
    if (previous && agentsMovedUnseen(previous, metrics, streamedDelta)) this.agentsDue = true;
    this.agentsAtMetrics = model ? { model, count: model.agentCount } : null;
    model?.setUnreachableAgents(metrics['master/slaves_unreachable'] ?? 0);
    this.metrics = metrics;
    this.metricsChanged = true;
  }
}

/** How many tasks a `GET_STATE` lists. */
function taskCount(getState: unknown): number {
  const tasks = unwrapV1(unwrapV1(getState, 'subscribed'), 'get_state')['get_tasks'];
  return SNAPSHOT_TASK_LISTS.reduce((sum, list) => sum + listOf(tasks, list).length, 0);
}

function listOf(tasks: unknown, list: string): unknown[] {
  const found = (tasks as Record<string, unknown> | undefined)?.[list];
  return Array.isArray(found) ? (found as unknown[]) : [];
}

function majorVersion(getVersion: unknown): number {
  const version = (getVersion as { get_version?: { version_info?: { version?: unknown } } })?.get_version
    ?.version_info?.version;
  const major = typeof version === 'string' ? Number(version.split('.')[0]) : NaN;
  return Number.isFinite(major) ? major : 0;
}
