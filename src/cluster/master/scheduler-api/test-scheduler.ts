/** A bare scheduler-API client for the tests: real HTTP, RecordIO read byte by byte as a strict client would. */
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';

/** Test-side JSON: loosely typed on purpose, the tests assert its shape. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type SchedulerEvent = { type: string } & Json;

export interface CallReply {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
}

/** POSTs a body to a master path; `body` is sent as is when a string. */
export function post(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
  path = '/api/v1/scheduler',
  method = 'POST',
): Promise<CallReply> {
  const url = new URL(path, baseUrl);
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        }),
      );
    });
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : payload);
  });
}

/** A subscribed framework: its event stream and its calls. */
export class TestScheduler {
  readonly events: SchedulerEvent[] = [];
  /** When each event was read off the stream (ms since epoch), by index. */
  readonly arrivals: number[] = [];
  /** Raw records, to check their bytes. */
  readonly records: Buffer[] = [];
  frameworkId = '';
  streamId = '';
  ended = false;
  /** Acknowledge every update that has a uuid as it arrives (what a scheduler library does). */
  autoAcknowledge = true;
  private waiters: (() => void)[] = [];
  private res: IncomingMessage | undefined;
  private closeRequest: (() => void) | undefined;

  private constructor(readonly masterUrl: string) {}

  /** SUBSCRIBEs with this FrameworkInfo and waits for SUBSCRIBED. */
  static async subscribe(
    masterUrl: string,
    frameworkInfo: Record<string, unknown>,
    extraHeaders: Record<string, string> = {},
    autoAcknowledge = true,
  ): Promise<TestScheduler> {
    const scheduler = new TestScheduler(masterUrl);
    scheduler.autoAcknowledge = autoAcknowledge;
    const call: Record<string, unknown> = { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } };
    if (frameworkInfo.id) call.framework_id = frameworkInfo.id;
    await scheduler.open(call, extraHeaders);
    const subscribed = await scheduler.next((e) => e.type === 'SUBSCRIBED' || e.type === 'ERROR');
    if (subscribed.type === 'SUBSCRIBED') scheduler.frameworkId = subscribed.subscribed.framework_id.value;
    return scheduler;
  }

  private open(call: unknown, extraHeaders: Record<string, string>): Promise<void> {
    const url = new URL('/api/v1/scheduler', this.masterUrl);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...extraHeaders },
        },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`SUBSCRIBE answered ${res.statusCode}`));
            res.resume();
            return;
          }
          this.res = res;
          this.streamId = String(res.headers['mesos-stream-id'] ?? '');
          let buffer = Buffer.alloc(0);
          res.on('data', (chunk: Buffer) => {
            buffer = Buffer.concat([buffer, chunk]);
            for (;;) {
              const newline = buffer.indexOf(10);
              if (newline < 0) break;
              const length = Number(buffer.subarray(0, newline).toString());
              if (buffer.length < newline + 1 + length) break;
              const record = buffer.subarray(newline + 1, newline + 1 + length);
              buffer = buffer.subarray(newline + 1 + length);
              this.records.push(record);
              const event = JSON.parse(record.toString('utf8')) as SchedulerEvent;
              this.events.push(event);
              this.arrivals.push(Date.now());
              if (this.autoAcknowledge && event.type === 'UPDATE' && event.update.status.uuid) {
                void this.acknowledge(event).catch(() => undefined);
              }
            }
            this.wake();
          });
          res.on('close', () => {
            this.ended = true;
            this.wake();
          });
          resolve();
        },
      );
      this.closeRequest = () => req.destroy();
      req.on('error', (error) => {
        this.ended = true;
        this.wake();
        reject(error);
      });
      req.end(JSON.stringify(call));
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The first event (from `from` on) that matches; waits for it up to `timeoutMs`. */
  async next(match: (e: SchedulerEvent) => boolean, timeoutMs = 10_000, from = 0): Promise<SchedulerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.ended) throw new Error(`stream ended; events: ${this.events.map((e) => e.type).join(',')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; events: ${this.events.map((e) => e.type).join(',')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next OFFERS event after `from`, its offers. */
  async offers(from = this.events.length, timeoutMs = 10_000): Promise<Json[]> {
    const event = await this.next((e) => e.type === 'OFFERS', timeoutMs, from);
    return event.offers.offers as Json[];
  }

  /** The first UPDATE for a task in a given state. */
  update(taskId: string, state: string, timeoutMs = 10_000): Promise<SchedulerEvent> {
    return this.next(
      (e) =>
        e.type === 'UPDATE' && e.update.status.task_id.value === taskId && e.update.status.state === state,
      timeoutMs,
    );
  }

  /** Sends a call with this framework's id and stream id. */
  call(
    type: string,
    fields: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<CallReply> {
    return post(
      this.masterUrl,
      { framework_id: { value: this.frameworkId }, type, ...fields },
      { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId, ...headers },
    );
  }

  /** ACKNOWLEDGEs an UPDATE. */
  acknowledge(update: SchedulerEvent): Promise<CallReply> {
    const status = update.update.status;
    return this.call('ACKNOWLEDGE', {
      acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
    });
  }

  /** Drops the connection, as a scheduler that dies. */
  disconnect(): void {
    this.closeRequest?.();
    this.res?.destroy();
  }
}

/** A command TaskInfo for an offer. */
export function commandTask(
  offer: Json,
  taskId: string,
  command: string,
  resources: { cpus?: number; mem?: number } = {},
): Record<string, unknown> {
  return {
    name: taskId,
    task_id: { value: taskId },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: resources.cpus ?? 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: resources.mem ?? 32 } },
    ],
    command: { value: command },
  };
}

/** ACCEPT of one offer with a LAUNCH of these tasks. */
export function launch(offer: Json, tasks: unknown[], refuseSeconds?: number): Record<string, unknown> {
  return {
    accept: {
      offer_ids: [offer.id],
      operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }],
      ...(refuseSeconds !== undefined ? { filters: { refuse_seconds: refuseSeconds } } : {}),
    },
  };
}
