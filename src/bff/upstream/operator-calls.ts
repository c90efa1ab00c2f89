/**
 * One-shot calls to a master's v1 operator API (`POST /api/v1`), gzip-accepting like a browser (libprocess
 * compresses bodies over 1 KiB), so the periodic reads a big cluster needs stay cheap on the wire.
 */
import { createGunzip } from 'node:zlib';
import { request } from 'undici';
import type { MesosClient } from './mesos-client';
import { isRedirect, origin } from './mesos-client';
import { UpstreamError, toUpstreamError } from './upstream-error';

/** What a call cost, for the byte and request counters. */
export interface CallCost {
  requests: number;
  /** Bytes received on the wire (compressed when the master compressed). */
  bytes: number;
}

export type OperatorCallResult =
  | { kind: 'ok'; body: unknown }
  /** The master has no v1 API (404/405, Mesos before 1.0) or does not know the call (400, 501). */
  | { kind: 'unsupported'; status: number }
  /** A standby: the leader is elsewhere (see leaderRequest; never followed here). */
  | { kind: 'redirect'; location: string };

/** Calls `type` on `base/api/v1`; throws UpstreamError for network failures and refusals (401, 403, 5xx). */
export async function callOperator(
  client: MesosClient,
  base: string,
  type: string,
  cost?: CallCost,
): Promise<OperatorCallResult> {
  const target = origin(base);
  try {
    const response = await request(`${base}/api/v1`, {
      method: 'POST',
      dispatcher: client.dispatcher,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ type }),
      signal: AbortSignal.timeout(client.options.timeoutMs * 4),
    });
    const status = response.statusCode;
    const compressed = response.headers['content-encoding'] === 'gzip';
    let wire = 0;
    if (compressed) response.body.on('data', (chunk: Buffer) => (wire += chunk.length));
    // The limit holds for what the body inflates to, so a small gzip bomb is as harmless as a big answer.
    const gunzip = compressed ? response.body.pipe(createGunzip()) : null;
    const source = gunzip
      ? {
          [Symbol.asyncIterator]: () => gunzip[Symbol.asyncIterator](),
          destroy: () => {
            response.body.destroy();
            gunzip.destroy();
          },
        }
      : response.body;
    const text = await client.readBody(
      { body: source, headers: compressed ? {} : response.headers },
      `${target}/api/v1 ${type}`,
    );
    if (!compressed) wire = text.length;
    if (cost) {
      cost.requests += 1;
      cost.bytes += wire;
    }
    const location = response.headers['location'];
    if (isRedirect(status) && typeof location === 'string') return { kind: 'redirect', location };
    if (status === 404 || status === 405 || status === 400 || status === 501)
      return { kind: 'unsupported', status };
    if (status < 200 || status >= 300) throw client.statusError(status, `${target}/api/v1 ${type}`);
    try {
      return { kind: 'ok', body: JSON.parse(text.toString('utf8')) as unknown };
    } catch {
      throw new UpstreamError('malformed', `${target}/api/v1 ${type} answered with malformed JSON`, status);
    }
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new UpstreamError('timeout', `${target} did not answer ${type} in time`);
    }
    throw toUpstreamError(error, target);
  }
}
