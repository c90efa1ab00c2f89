/**
 * A scheduler driver for frameworks that run inside the local cluster, over the Mesos v1 scheduler HTTP API
 * (`docs/scheduler-http-api.md`): one long SUBSCRIBE whose body is a RecordIO stream of events, every other
 * call a POST carrying `Mesos-Stream-Id`. It re-subscribes with its framework id after the stream breaks (the
 * master keeps the framework for its `failover_timeout`), follows a standby master's 307 to the leader, retries
 * while masters answer 503 (no leader yet), drops a stream whose heartbeats stop, and acknowledges every
 * status update that carries a uuid once listeners have seen it.
 */
import { EventEmitter } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RecordIOJsonDecoder } from '../../mesos/recordio';

/** v1 JSON as the master writes it; fields are read by name. */
export type V1 = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SchedulerDriverOptions {
  /** Master URLs to try in turn, e.g. `http://127.0.0.1:5050`; a standby's redirect is followed. */
  masters: string | string[];
  /** FrameworkInfo of the SUBSCRIBE call (`user`, `name`, `roles`, `failover_timeout`, `webui_url`...). */
  frameworkInfo: V1;
  /** Re-subscribe as this framework (a framework that restarts within its failover timeout). */
  frameworkId?: string;
  /** Pause between attempts after a refused or broken subscription (default 1000 ms). */
  retryDelayMs?: number;
  /** Heartbeat intervals without a byte from the master before the stream counts as dead (default 3). */
  missedHeartbeats?: number;
  /** Acknowledge updates that carry a uuid after the `update` listeners ran (default true). */
  autoAcknowledge?: boolean;
  /** Extra request headers on every request (e.g. `Authorization`). */
  headers?: Record<string, string>;
}

/** Events of the driver: the master's events by their type in lower case, plus the connection's own. */
export interface SchedulerDriverEvents {
  subscribed: [subscribed: V1];
  offers: [offers: V1[]];
  inverse_offers: [offers: V1[]];
  rescind: [offerId: string];
  update: [status: V1];
  message: [message: V1];
  failure: [failure: V1];
  /** The master refused the framework (e.g. removed after its failover timeout): the driver stops. */
  refused: [message: string];
  heartbeat: [];
  /** The stream ended; the driver re-subscribes unless stopped. */
  disconnected: [reason: string];
  /** Every event off the stream, as sent. */
  event: [event: V1];
}

/** Resources as the v1 API writes them. */
export function scalarResource(name: string, value: number, role?: string): V1 {
  return { name, type: 'SCALAR', scalar: { value }, ...(role ? { role } : {}) };
}

export function rangesResource(name: string, ranges: [number, number][], role?: string): V1 {
  return {
    name,
    type: 'RANGES',
    ranges: { range: ranges.map(([begin, end]) => ({ begin, end })) },
    ...(role ? { role } : {}),
  };
}

const DEFAULT_HEARTBEAT_SECONDS = 15;
const MAX_REDIRECTS = 5;

export class SchedulerDriver extends EventEmitter<SchedulerDriverEvents> {
  /** The framework's id once SUBSCRIBED (kept across re-subscriptions). */
  frameworkId: string | undefined;
  /** The `Mesos-Stream-Id` of the current subscription. */
  streamId = '';
  /** The master the current subscription goes to (after redirects). */
  masterUrl: string;
  /** True between SUBSCRIBED and the end of that stream. */
  connected = false;

  private readonly masters: string[];
  private nextMaster = 0;
  private stopped = true;
  private subscription: ClientRequest | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;

  constructor(private readonly options: SchedulerDriverOptions) {
    super();
    this.masters = typeof options.masters === 'string' ? [options.masters] : [...options.masters];
    if (this.masters.length === 0) throw new Error('A scheduler driver needs at least one master URL');
    this.masterUrl = this.masters[0] as string;
    this.frameworkId = options.frameworkId;
  }

  /** Subscribes (and keeps re-subscribing until {@link stop}); resolves on the first SUBSCRIBED. */
  start(): Promise<V1> {
    this.stopped = false;
    const subscribed = new Promise<V1>((resolve, reject) => {
      const onSubscribed = (event: V1) => {
        this.off('refused', onRefused);
        resolve(event);
      };
      const onRefused = (message: string) => {
        this.off('subscribed', onSubscribed);
        reject(new Error(message));
      };
      this.once('subscribed', onSubscribed);
      this.once('refused', onRefused);
    });
    this.subscribe(this.masterUrl, 0);
    return subscribed;
  }

  /** Closes the stream without tearing the framework down (it fails over); with `teardown`, removes it. */
  async stop(teardown = false): Promise<void> {
    if (teardown && this.connected) await this.teardown().catch(() => undefined);
    this.stopped = true;
    this.connected = false;
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    this.subscription?.destroy();
    this.subscription = undefined;
  }

  /** Breaks the current stream as a network failure would; the driver re-subscribes. */
  dropConnection(): void {
    this.subscription?.destroy();
  }

  // Calls (docs/scheduler-http-api.md, "Calls").

  /** ACCEPT these offers with LAUNCH operations of these tasks (an empty list declines them). */
  launch(offerIds: string[], taskInfos: V1[], filters?: { refuse_seconds?: number }): Promise<void> {
    return this.accept(offerIds, [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }], filters);
  }

  accept(offerIds: string[], operations: V1[], filters?: { refuse_seconds?: number }): Promise<void> {
    return this.call('ACCEPT', {
      accept: { offer_ids: offerIds.map(id), operations, ...(filters ? { filters } : {}) },
    });
  }

  decline(offerIds: string[], filters?: { refuse_seconds?: number }): Promise<void> {
    return this.call('DECLINE', {
      decline: { offer_ids: offerIds.map(id), ...(filters ? { filters } : {}) },
    });
  }

  revive(roles?: string[]): Promise<void> {
    return this.call('REVIVE', roles ? { revive: { roles } } : {});
  }

  suppress(roles?: string[]): Promise<void> {
    return this.call('SUPPRESS', roles ? { suppress: { roles } } : {});
  }

  kill(taskId: string, agentId?: string): Promise<void> {
    return this.call('KILL', {
      kill: { task_id: id(taskId), ...(agentId ? { agent_id: id(agentId) } : {}) },
    });
  }

  /** Asks for the latest state of these tasks (all of the framework's tasks when empty). */
  reconcile(tasks: { taskId: string; agentId?: string }[] = []): Promise<void> {
    return this.call('RECONCILE', {
      reconcile: {
        tasks: tasks.map((t) => ({
          task_id: id(t.taskId),
          ...(t.agentId ? { agent_id: id(t.agentId) } : {}),
        })),
      },
    });
  }

  acknowledge(status: V1): Promise<void> {
    return this.call('ACKNOWLEDGE', {
      acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
    });
  }

  teardown(): Promise<void> {
    return this.call('TEARDOWN');
  }

  /** Sends one call of the current subscription; resolves on 202, rejects with the master's answer. */
  async call(type: string, fields: V1 = {}): Promise<void> {
    if (!this.frameworkId || !this.streamId) throw new Error(`${type}: the framework is not subscribed`);
    const payload = JSON.stringify({ framework_id: id(this.frameworkId), type, ...fields });
    let url = new URL('/api/v1/scheduler', this.masterUrl);
    for (let hop = 0; ; hop++) {
      const reply = await post(url, payload, {
        ...this.options.headers,
        'Content-Type': 'application/json',
        'Mesos-Stream-Id': this.streamId,
      });
      if (reply.status === 202 || reply.status === 200) return;
      if (reply.status === 307 && reply.location && hop < MAX_REDIRECTS) {
        url = new URL(reply.location, url);
        continue;
      }
      throw new Error(`${type} answered ${reply.status}: ${reply.body.trim()}`);
    }
  }

  private subscribe(masterUrl: string, redirects: number): void {
    if (this.stopped) return;
    const frameworkInfo = { ...this.options.frameworkInfo };
    const call: V1 = { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } };
    if (this.frameworkId) {
      frameworkInfo.id = id(this.frameworkId);
      call.framework_id = id(this.frameworkId);
    }
    const url = new URL('/api/v1/scheduler', masterUrl);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let ended = false;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(this.silenceTimer);
      const wasConnected = this.connected;
      this.connected = false;
      if (this.subscription === req) this.subscription = undefined;
      if (wasConnected) this.emit('disconnected', reason);
      this.retry();
    };
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...this.options.headers, 'Content-Type': 'application/json', Accept: 'application/json' },
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (status === 307 && res.headers.location && redirects < MAX_REDIRECTS) {
          res.resume();
          ended = true;
          this.subscribe(new URL(res.headers.location, url).origin, redirects + 1);
          return;
        }
        if (status !== 200) {
          readBody(res).then(
            (body) => {
              const reason = `SUBSCRIBE answered ${status}: ${body.trim()}`;
              // 503 (no leader elected yet) and other server errors pass; a 4xx will not change by retrying.
              if (status >= 400 && status < 500) this.refuse(reason);
              end(reason);
            },
            (error: Error) => end(error.message),
          );
          return;
        }
        this.masterUrl = url.origin;
        this.streamId = String(res.headers['mesos-stream-id'] ?? '');
        const decoder = new RecordIOJsonDecoder();
        this.watchSilence(req);
        res.on('data', (chunk: Buffer) => {
          this.watchSilence(req);
          let events: unknown[];
          try {
            events = decoder.push(chunk);
          } catch (error) {
            req.destroy();
            end((error as Error).message);
            return;
          }
          for (const event of events) this.dispatch(event as V1, req);
        });
        res.on('end', () => end('the master closed the event stream'));
        res.on('error', (error) => end(error.message));
        res.on('close', () => end('the event stream closed'));
      },
    );
    req.on('error', (error) => end(error.message));
    req.end(JSON.stringify(call));
    this.subscription = req;
  }

  private dispatch(event: V1, req: ClientRequest): void {
    this.emit('event', event);
    switch (event.type) {
      case 'SUBSCRIBED': {
        const subscribed = event.subscribed as V1;
        this.frameworkId = subscribed.framework_id?.value ?? this.frameworkId;
        this.heartbeatSeconds = Number(subscribed.heartbeat_interval_seconds) || DEFAULT_HEARTBEAT_SECONDS;
        this.connected = true;
        this.watchSilence(req);
        this.emit('subscribed', subscribed);
        break;
      }
      case 'OFFERS':
        this.emit('offers', (event.offers?.offers ?? []) as V1[]);
        if (event.offers?.inverse_offers?.length) this.emit('inverse_offers', event.offers.inverse_offers);
        break;
      case 'INVERSE_OFFERS':
        this.emit('inverse_offers', (event.inverse_offers?.inverse_offers ?? []) as V1[]);
        break;
      case 'RESCIND':
        this.emit('rescind', String(event.rescind?.offer_id?.value ?? ''));
        break;
      case 'UPDATE': {
        const status = event.update?.status as V1;
        this.emit('update', status);
        if (status?.uuid && this.options.autoAcknowledge !== false) {
          this.acknowledge(status).catch(() => undefined);
        }
        break;
      }
      case 'MESSAGE':
        this.emit('message', event.message as V1);
        break;
      case 'FAILURE':
        this.emit('failure', event.failure as V1);
        break;
      case 'HEARTBEAT':
        this.emit('heartbeat');
        break;
      case 'ERROR':
        // The master will not have this framework (removed, or refused): re-subscribing cannot help.
        this.refuse(String(event.error?.message ?? 'ERROR from the master'));
        req.destroy();
        break;
      default:
        break;
    }
  }

  private refuse(message: string): void {
    this.stopped = true;
    this.connected = false;
    clearTimeout(this.silenceTimer);
    clearTimeout(this.retryTimer);
    this.emit('refused', message);
  }

  /** Restarts the silence watch: no byte for `missedHeartbeats` intervals means the stream is dead. */
  private watchSilence(req: ClientRequest): void {
    clearTimeout(this.silenceTimer);
    if (this.stopped) return;
    const intervals = this.options.missedHeartbeats ?? 3;
    this.silenceTimer = setTimeout(() => req.destroy(), this.heartbeatSeconds * intervals * 1000);
    this.silenceTimer.unref();
  }

  private retry(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.nextMaster = (this.nextMaster + 1) % this.masters.length;
    const next = this.masters.length > 1 ? (this.masters[this.nextMaster] as string) : this.masterUrl;
    this.retryTimer = setTimeout(() => this.subscribe(next, 0), this.options.retryDelayMs ?? 1000);
    this.retryTimer.unref();
  }
}

function id(value: string): { value: string } {
  return { value };
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function post(
  url: URL,
  payload: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; location?: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers }, (res) => {
      readBody(res).then(
        (body) => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }),
        reject,
      );
    });
    req.on('error', reject);
    req.end(payload);
  });
}
