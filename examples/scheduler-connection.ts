/**
 * The Mesos v1 scheduler HTTP API over Node's own `http`: one long SUBSCRIBE request whose chunked body is a
 * RecordIO stream of events (`<length>\n<json>`), and every other call a separate POST naming the stream.
 * Nothing here is specific to a framework: copy it as the base of your own.
 */
import { request } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** An event off the stream: `type` names which field carries it (`subscribed`, `offers`, `update`...). */
export type SchedulerEvent = { type: string } & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SubscribeHandlers {
  onEvent: (event: SchedulerEvent) => void;
  /** The stream ended: the master closed it, went away, or answered the SUBSCRIBE with an error. */
  onClose: (reason: string) => void;
}

/** Splits a RecordIO byte stream into records; lengths count bytes, so the buffer stays bytes until a record is whole. */
export class RecordIoReader {
  private buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const records: string[] = [];
    for (;;) {
      const newline = this.buffer.indexOf(10);
      if (newline < 0) break;
      const length = Number(this.buffer.subarray(0, newline).toString('ascii'));
      if (!Number.isInteger(length) || length < 0) throw new Error('the event stream is not RecordIO');
      if (this.buffer.length < newline + 1 + length) break;
      records.push(this.buffer.subarray(newline + 1, newline + 1 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(newline + 1 + length);
    }
    return records;
  }
}

export class SchedulerConnection {
  /** The `Mesos-Stream-Id` of the current subscription: every call must carry it. */
  streamId = '';
  private subscription: ClientRequest | undefined;

  constructor(readonly masterUrl: string) {}

  /** Opens the event stream with a SUBSCRIBE call; events and the end of the stream go to the handlers. */
  subscribe(call: Record<string, unknown>, handlers: SubscribeHandlers): void {
    const url = new URL('/api/v1/scheduler', this.masterUrl);
    let closed = false;
    const close = (reason: string) => {
      if (closed) return;
      closed = true;
      handlers.onClose(reason);
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            close(`SUBSCRIBE answered ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').trim()}`),
          );
          return;
        }
        this.streamId = String(res.headers['mesos-stream-id'] ?? '');
        const reader = new RecordIoReader();
        res.on('data', (chunk: Buffer) => {
          try {
            for (const record of reader.push(chunk)) handlers.onEvent(JSON.parse(record) as SchedulerEvent);
          } catch (error) {
            req.destroy();
            close((error as Error).message);
          }
        });
        res.on('end', () => close('the master closed the event stream'));
        res.on('error', (error) => close(error.message));
      },
    );
    req.on('error', (error) => close(error.message));
    req.end(JSON.stringify(call));
    this.subscription = req;
  }

  /** Sends one call (ACCEPT, DECLINE, ACKNOWLEDGE...) on the current subscription; Mesos answers 202. */
  call(frameworkId: string, type: string, body: Record<string, unknown> = {}): Promise<void> {
    const url = new URL('/api/v1/scheduler', this.masterUrl);
    const payload = JSON.stringify({ framework_id: { value: frameworkId }, type, ...body });
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status === 202 || status === 200) resolve();
            else
              reject(
                new Error(`${type} answered ${status}: ${Buffer.concat(chunks).toString('utf8').trim()}`),
              );
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Drops the event stream (the framework stays registered until its failover timeout passes). */
  disconnect(): void {
    this.subscription?.destroy();
    this.subscription = undefined;
  }
}
