/**
 * One `SUBSCRIBE` connection to a master's v1 operator API: RecordIO-framed JSON events, the first being
 * `SUBSCRIBED` (the whole state), then `HEARTBEAT` and every change. The connection is given up when the
 * master goes quiet for `missedHeartbeats` heartbeat intervals (the operator API docs suggest 5), or ends.
 */
import { request } from 'undici';
import type { OperatorEvent } from '../../mesos';
import { MesosParseError, RecordIOError, RecordIOJsonDecoder, parseOperatorEvent } from '../../mesos';
import type { MesosClient } from './mesos-client';
import { origin } from './mesos-client';
import { UpstreamError, toUpstreamError } from './upstream-error';

/** Mesos's `DEFAULT_HEARTBEAT_INTERVAL`, used until SUBSCRIBED says otherwise. */
export const DEFAULT_HEARTBEAT_SECONDS = 15;

export interface OperatorStreamOptions {
  client: MesosClient;
  /** Base URL of the master to subscribe to. */
  base: string;
  /** Called for every event, in order; a throw ends the stream. */
  onEvent: (event: OperatorEvent) => void;
  /** Bytes received, as they arrive (for the upstream cost counters). */
  onBytes?: (bytes: number) => void;
  /** Heartbeat intervals of silence after which the stream is considered dead (default 5). */
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
  private readonly now: () => number;
  readonly done: Promise<StreamEnd>;

  constructor(private readonly options: OperatorStreamOptions) {
    this.now = options.now ?? Date.now;
    this.lastDataAt = this.now();
    this.heartbeatMs = (options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * 1000;
    this.done = this.run();
  }

  /** True once SUBSCRIBED arrived. */
  get subscribed(): boolean {
    return this.subscribedAt !== null;
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
    const missed = this.options.missedHeartbeats ?? 5;
    const watchdog = setInterval(() => {
      if (this.now() - this.lastDataAt > missed * this.heartbeatMs)
        this.abort.abort(new Error('heartbeats stopped'));
    }, 250);
    watchdog.unref();
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
        if ((status === 307 || status === 302) && typeof location === 'string')
          return { kind: 'redirect', location };
        if ([400, 404, 405, 501].includes(status)) return { kind: 'unsupported', status };
        return {
          kind: 'failed',
          error: client.statusError(status, `${target}/api/v1 SUBSCRIBE`),
          subscribed: false,
        };
      }
      const decoder = new RecordIOJsonDecoder(client.maxBodyBytes);
      for await (const chunk of response.body) {
        this.lastDataAt = this.now();
        const bytes = chunk as Buffer;
        this.options.onBytes?.(bytes.length);
        for (const record of decoder.push(bytes)) {
          const event = parseOperatorEvent(record);
          if (event.type === 'SUBSCRIBED') {
            this.subscribedAt = this.now();
            if (this.options.heartbeatSeconds === undefined && event.heartbeatIntervalSeconds) {
              this.heartbeatMs = event.heartbeatIntervalSeconds * 1000;
            }
          }
          this.options.onEvent(event);
        }
      }
      if (this.closed) return { kind: 'closed' };
      return {
        kind: 'failed',
        error: new UpstreamError('unreachable', `${target} ended the event stream`),
        subscribed: this.subscribed,
      };
    } catch (error) {
      if (this.closed) return { kind: 'closed' };
      const reason = this.abort.signal.reason as Error | undefined;
      let upstream: UpstreamError;
      if (this.abort.signal.aborted && reason?.message === 'heartbeats stopped') {
        upstream = new UpstreamError(
          'timeout',
          `${target} sent nothing for ${missed} heartbeat intervals (${Math.round((missed * this.heartbeatMs) / 1000)} s)`,
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
      clearInterval(watchdog);
    }
  }
}
