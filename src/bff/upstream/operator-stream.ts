/**
 * One `SUBSCRIBE` connection to a master's v1 operator API: RecordIO-framed JSON events, the first being
 * `SUBSCRIBED` (the whole state), then `HEARTBEAT` and every change. The connection is declared stalled and
 * given up when the master sends nothing for `missedHeartbeats` heartbeat intervals (2 by default: a master
 * that still runs sends a heartbeat every interval, so two missed ones mean the data is falling behind).
 */
import { request } from 'undici';
import type { OperatorEvent, RecordProgress } from '../../mesos';
import { MesosParseError, OperatorEventReader, RecordIOError } from '../../mesos';
import type { MesosClient } from './mesos-client';
import { isRedirect, origin } from './mesos-client';
import { UpstreamError, toUpstreamError } from './upstream-error';

/** Mesos's `DEFAULT_HEARTBEAT_INTERVAL`, used until SUBSCRIBED says otherwise. */
export const DEFAULT_HEARTBEAT_SECONDS = 15;

/**
 * How many times longer than a stall the master may be silent before its first byte: it renders the whole
 * state first, which takes a big cluster's master tens of seconds.
 */
const FIRST_BYTE_PATIENCE = 4;

/** Heartbeat intervals of silence after which a stream is stalled. */
const MISSED_HEARTBEATS = 2;

interface OperatorStreamOptions {
  client: MesosClient;
  /** Base URL of the master to subscribe to. */
  base: string;
  /** Called for every event, in order; a throw ends the stream. */
  onEvent: (event: OperatorEvent) => void;
  /** While a big record (the first `SUBSCRIBED` of a big cluster) streams in: how far it has got. */
  onProgress?: (progress: RecordProgress) => void;
  /** Records of at least this size are read as they arrive (tests; default 4 MiB). */
  streamFromBytes?: number;
  /** Bytes received, as they arrive (for the upstream cost counters). */
  onBytes?: (bytes: number) => void;
  /** Heartbeat intervals of silence after which the stream is stalled (default {@link MISSED_HEARTBEATS}). */
  missedHeartbeats?: number;
  /** Overrides the heartbeat interval the master announces (tests). */
  heartbeatSeconds?: number;
  now?: () => number;
}

/** Why a stream ended. */
export type StreamEnd =
  /** The master has no SUBSCRIBE (404/405: no v1 API; 400/501: older v1 API). */
  | { kind: 'unsupported'; status: number }
  /** A standby answered: the leader is at `location`. */
  | { kind: 'redirect'; location: string }
  /** Connection lost, refused, silent for too long, or ended by the master. */
  | { kind: 'failed'; error: UpstreamError; subscribed: boolean }
  /** {@link OperatorStream.close} was called. */
  | { kind: 'closed' };

/**
 * Opens the stream and resolves when it ends (never rejects). Events are delivered through `onEvent` while it
 * runs; call `close()` to end it.
 */
export class OperatorStream {
  private readonly abort = new AbortController();
  private closed = false;
  private subscribedAt: number | null = null;
  private lastDataAt: number;
  private heartbeatMs: number;
  private chunks = 0;
  private held = 0;
  private readonly now: () => number;
  private settleAnswered!: (end: StreamEnd | null) => void;
  /** Settles when the master answered SUBSCRIBE: null once events flow, else how the stream ended before that. */
  readonly answered = new Promise<StreamEnd | null>((resolve) => (this.settleAnswered = resolve));
  readonly done: Promise<StreamEnd>;

  constructor(private readonly options: OperatorStreamOptions) {
    this.now = options.now ?? Date.now;
    this.lastDataAt = this.now();
    this.heartbeatMs = (options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * 1000;
    this.done = this.run().then((end) => {
      this.settleAnswered(end);
      return end;
    });
  }

  /** True once SUBSCRIBED arrived. */
  get subscribed(): boolean {
    return this.subscribedAt !== null;
  }

  /** Times the silence limit passed only because mesoscope's own event loop was held (data was waiting). */
  get heldLoops(): number {
    return this.held;
  }

  /** When data last arrived (ms). */
  get lastActivityAt(): number {
    return this.lastDataAt;
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
  }

  private async run(): Promise<StreamEnd> {
    const { client, base } = this.options;
    const target = origin(base);
    const missed = this.options.missedHeartbeats ?? MISSED_HEARTBEATS;
    // Restarted by every chunk (refresh() costs next to nothing), so silence is noticed as it reaches the limit.
    // A timer due while mesoscope's own thread was busy (a big publish) runs before the socket reads that
    // waited meanwhile: those are let in first, and the stream is stalled only if nothing came with them.
    const stalled = () => {
      const before = this.chunks;
      setImmediate(() => {
        if (this.abort.signal.aborted) return;
        if (this.chunks === before) this.abort.abort(new Error('heartbeats stopped'));
        else {
          this.held += 1;
          watchdog.refresh();
        }
      });
    };
    let watchdog = setTimeout(stalled, FIRST_BYTE_PATIENCE * missed * this.heartbeatMs).unref();
    let bytesSeen = false;
    try {
      const response = await request(`${base}/api/v1`, {
        method: 'POST',
        dispatcher: client.dispatcher,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ type: 'SUBSCRIBE' }),
        signal: this.abort.signal,
        headersTimeout: client.options.timeoutMs,
        // Silence is detected from heartbeats instead.
        bodyTimeout: 0,
      });
      const status = response.statusCode;
      if (status !== 200) {
        await response.body.dump().catch(() => undefined);
        const location = response.headers['location'];
        if (isRedirect(status) && typeof location === 'string') return { kind: 'redirect', location };
        if ([400, 404, 405, 501].includes(status)) return { kind: 'unsupported', status };
        return {
          kind: 'failed',
          error: client.statusError(status, `${target}/api/v1 SUBSCRIBE`),
          subscribed: false,
        };
      }
      this.settleAnswered(null);
      const reader = new OperatorEventReader({
        maxRecordBytes: client.maxBodyBytes,
        streamFromBytes: this.options.streamFromBytes,
        onProgress: this.options.onProgress,
        onEvent: (event) => {
          if (event.type === 'SUBSCRIBED') {
            this.subscribedAt = this.now();
            if (this.options.heartbeatSeconds === undefined && event.heartbeatIntervalSeconds) {
              this.heartbeatMs = event.heartbeatIntervalSeconds * 1000;
              clearTimeout(watchdog);
              watchdog = setTimeout(stalled, missed * this.heartbeatMs).unref();
            }
          }
          this.options.onEvent(event);
        },
      });
      for await (const chunk of response.body) {
        this.lastDataAt = this.now();
        this.chunks += 1;
        if (bytesSeen) {
          watchdog.refresh();
        } else {
          bytesSeen = true;
          clearTimeout(watchdog);
          watchdog = setTimeout(stalled, missed * this.heartbeatMs).unref();
        }
        const bytes = chunk as Buffer;
        this.options.onBytes?.(bytes.length);
        reader.push(bytes);
      }
      if (this.closed) return { kind: 'closed' };
      const where = reader.idle ? '' : ' in the middle of a record';
      return {
        kind: 'failed',
        error: new UpstreamError('unreachable', `${target} ended the event stream${where}`),
        subscribed: this.subscribed,
      };
    } catch (error) {
      if (this.closed) return { kind: 'closed' };
      const reason = this.abort.signal.reason as Error | undefined;
      let upstream: UpstreamError;
      if (this.abort.signal.aborted && reason?.message === 'heartbeats stopped') {
        const silence = (missed * this.heartbeatMs) / 1000;
        upstream = new UpstreamError(
          'timeout',
          bytesSeen
            ? `the event stream from ${target} stalled: nothing for ${missed} heartbeat intervals (${silence} s)`
            : `the event stream from ${target} sent nothing in ${FIRST_BYTE_PATIENCE * silence} s after SUBSCRIBE`,
        );
      } else if (error instanceof RecordIOError || error instanceof MesosParseError) {
        upstream = new UpstreamError(
          'malformed',
          `${target} sent an event mesoscope cannot read: ${error.message}`,
        );
      } else if (error instanceof UpstreamError) {
        upstream = error;
      } else {
        upstream = toUpstreamError(error, target);
      }
      return { kind: 'failed', error: upstream, subscribed: this.subscribed };
    } finally {
      clearTimeout(watchdog);
    }
  }
}
