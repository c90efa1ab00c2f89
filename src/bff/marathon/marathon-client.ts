import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { bodyTooLarge, MAX_WHOLE_BODY, readCapped } from '../upstream/body-limit';
import type { MesosCredentials } from '../upstream/credentials';
import type { MesosTlsOptions } from '../upstream/mesos-client';
import { origin, upstreamPool, withAuthorization } from '../upstream/mesos-client';
import { UpstreamError, toUpstreamError } from '../upstream/upstream-error';

/** The largest answer read from a Marathon found in the cluster (not given with --marathon). */
const DISCOVERED_BODY_LIMIT = 64 * 1024 * 1024;

interface MarathonClientOptions {
  timeoutMs: number;
  /** Sent only to the Marathons given with `--marathon`, never to one found in the cluster's state. */
  credentials?: MesosCredentials | null;
  tls?: MesosTlsOptions | null;
  maxBodyBytes: number;
}

/**
 * Talks HTTP to Marathons. Two connection pools: one that sends the configured credentials (for the Marathons
 * the operator named) and one that never does (for Marathons found from a framework's `webui_url`, which the
 * cluster chose); and, without credentials either, one connection per web UI for asking whether it is
 * Marathon at all. Redirects are not followed: a standby Marathon proxies to its leader itself.
 */
export class MarathonClient {
  private readonly trusted: Dispatcher;
  private readonly untrusted: Dispatcher;
  /**
   * For {@link probe}: each web UI is asked once and then not for minutes, so it gets one connection (a pool
   * per origin set up a queue of 2,048 slots, 16 kB) not kept open for the next request. At 1,000 frameworks
   * the pools and connections of the probes were a fifth of what reached the old generation.
   */
  private readonly probing: Dispatcher;

  constructor(readonly options: MarathonClientOptions) {
    const credentials = options.credentials ?? null;
    const plain = upstreamPool(options.timeoutMs, options.tls);
    this.untrusted = plain;
    this.trusted = credentials
      ? upstreamPool(options.timeoutMs, options.tls).compose(withAuthorization(credentials.authorization()))
      : plain;
    this.probing = upstreamPool(options.timeoutMs, options.tls, { connections: 1, keepAliveTimeout: 1 });
  }

  dispatcher(trusted: boolean): Dispatcher {
    return trusted ? this.trusted : this.untrusted;
  }

  /** GETs `base + path`: the body text of a 2xx answer, else an UpstreamError naming Marathon and the path. */
  async getText(
    base: string,
    path: string,
    trusted: boolean,
    timeoutMs = this.options.timeoutMs,
    dispatcher = this.dispatcher(trusted),
  ): Promise<string> {
    const what = `Marathon at ${origin(base)}${path.split('?')[0]}`;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(base + path, {
        method: 'GET',
        dispatcher,
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw timeoutOr(error, origin(base), timeoutMs);
    }
    // A Marathon the cluster named gets a smaller allowance than one the operator gave.
    const limit = Math.min(this.options.maxBodyBytes, trusted ? MAX_WHOLE_BODY : DISCOVERED_BODY_LIMIT);
    let body: Buffer;
    try {
      body = await readCapped(response.body, response.headers, limit, () =>
        bodyTooLarge(what, limit, trusted && limit < MAX_WHOLE_BODY ? '--max-upstream-body' : null),
      );
    } catch (error) {
      throw timeoutOr(error, origin(base), timeoutMs);
    }
    const status = response.statusCode;
    if (status === 401 || status === 403) {
      throw new UpstreamError(
        'unauthorized',
        trusted && this.options.credentials
          ? `${what} refused mesoscope's credentials (HTTP ${status})`
          : `${what} requires authentication (HTTP ${status})${trusted ? ': give mesoscope credentials with --marathon-credentials-file' : ''}`,
        status,
      );
    }
    if (status < 200 || status >= 300)
      throw new UpstreamError('http', `${what} answered HTTP ${status}`, status);
    return body.toString('utf8');
  }

  /** GETs and parses JSON; malformed JSON is an UpstreamError. Returns the text too, to tell changes apart. */
  async getJson(
    base: string,
    path: string,
    trusted: boolean,
    dispatcher = this.dispatcher(trusted),
  ): Promise<{ json: unknown; text: string }> {
    const text = await this.getText(base, path, trusted, undefined, dispatcher);
    try {
      return { json: JSON.parse(text) as unknown, text };
    } catch {
      throw new UpstreamError(
        'malformed',
        `Marathon at ${origin(base)}${path.split('?')[0]} answered with malformed JSON`,
      );
    }
  }

  /** Asks a framework's web UI for Marathon's `/v2/info`, without credentials. */
  async probe(base: string): Promise<unknown> {
    return (await this.getJson(base, '/v2/info', false, this.probing)).json;
  }

  async close(): Promise<void> {
    await Promise.all([
      this.probing.close(),
      this.trusted.close(),
      this.untrusted === this.trusted ? null : this.untrusted.close(),
    ]);
  }
}

function timeoutOr(error: unknown, target: string, timeoutMs: number): UpstreamError {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new UpstreamError('timeout', `Marathon at ${target} did not answer within ${timeoutMs} ms`);
  }
  return toUpstreamError(error, `Marathon at ${target}`);
}
