import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { bodyTooLarge, DEFAULT_UPSTREAM_BODY, MAX_WHOLE_BODY, readCapped } from './body-limit';
import type { MesosCredentials } from './credentials';
import { UpstreamError, toUpstreamError } from './upstream-error';

/** PEM material for TLS to Mesos: a CA bundle to trust, and a client certificate where masters ask for one. */
export interface MesosTlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface MesosClientOptions {
  /** Time allowed for a whole call (connect, headers and body). */
  timeoutMs: number;
  /** HTTP basic credentials sent with every request to masters and agents. */
  credentials?: MesosCredentials | null;
  tls?: MesosTlsOptions | null;
  /**
   * Talk HTTPS to every Mesos process, also those known only by a pid or an http:// address (the agents):
   * Mesos turns TLS on per process (LIBPROCESS_SSL_ENABLED), so a cluster with https masters has https agents.
   */
  httpsEverywhere?: boolean;
  /** The largest body read from Mesos (`--max-upstream-body`); a bigger one is an error naming the endpoint. */
  maxBodyBytes?: number;
}

/**
 * The one place that talks HTTP to Mesos masters and agents. Every request made with its `dispatcher` (the
 * passthrough and file reads use it too) gets the credentials, the TLS settings and the timeouts. Redirects are
 * not followed: a 307 from a standby master is information (where the leader is), not something to chase.
 */
export class MesosClient {
  readonly dispatcher: Dispatcher;

  constructor(readonly options: MesosClientOptions) {
    const agent = upstreamPool(options.timeoutMs, options.tls);
    const credentials = options.credentials ?? null;
    const interceptors: Dispatcher.DispatcherComposeInterceptor[] = [];
    if (options.httpsEverywhere) interceptors.push(upgradeToHttps);
    if (credentials) interceptors.push(withAuthorization(credentials.authorization()));
    this.dispatcher = agent.compose(interceptors);
  }

  /** The largest answer mesoscope reads from Mesos (`--max-upstream-body`); a streamed record may reach it. */
  get maxBodyBytes(): number {
    return this.options.maxBodyBytes ?? DEFAULT_UPSTREAM_BODY;
  }

  /** Reads a whole answer under {@link maxBodyBytes} (and what one string holds); `what` names the endpoint in the error. */
  readBody(
    response: {
      body: AsyncIterable<unknown> & { destroy(): unknown };
      headers: Dispatcher.ResponseData['headers'];
    },
    what: string,
  ): Promise<Buffer> {
    const limit = Math.min(this.maxBodyBytes, MAX_WHOLE_BODY);
    return readCapped(response.body, response.headers, limit, () =>
      bodyTooLarge(what, limit, limit < MAX_WHOLE_BODY ? '--max-upstream-body' : null),
    );
  }

  /** Whether requests carry credentials (for messages only; the credentials themselves stay inside). */
  get authenticates(): boolean {
    return Boolean(this.options.credentials);
  }

  /** GETs `base + path` and parses JSON; throws UpstreamError for anything but a 2xx JSON answer. */
  async getJson(base: string, path: string): Promise<unknown> {
    return this.jsonOf(base, path, await this.getText(base, path));
  }

  /** The JSON of an answer to `base + path` read with {@link getText}; the same errors as {@link getJson}. */
  jsonOf(
    base: string,
    path: string,
    { status, body, location }: { status: number; body: string; location: string | null },
  ): unknown {
    if (isRedirect(status)) {
      const to = location ? safeHost(base, location) : 'nowhere';
      throw new UpstreamError('http', `${origin(base)}${path} redirected to ${to}; not followed`, status);
    }
    if (status < 200 || status >= 300) throw this.statusError(status, `${origin(base)}${path}`);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new UpstreamError('malformed', `${origin(base)}${path} answered with malformed JSON`, status);
    }
  }

  /** The error for a non-2xx answer; 401 and 403 say what to do about the credentials. */
  statusError(status: number, what: string): UpstreamError {
    if (status === 401) {
      return new UpstreamError(
        'unauthorized',
        this.authenticates
          ? "Mesos refused mesoscope's credentials (HTTP 401)"
          : 'Mesos requires authentication (HTTP 401): give mesoscope credentials with --credentials-file or MESOS_CREDENTIALS',
        401,
      );
    }
    if (status === 403) {
      const principal = this.options.credentials?.principal;
      return new UpstreamError(
        'unauthorized',
        `Mesos does not allow ${principal ? `principal '${principal}'` : 'anonymous requests'} to read ${what} (HTTP 403)`,
        403,
      );
    }
    return new UpstreamError('http', `${what} answered HTTP ${status}`, status);
  }

  /** GETs and returns the raw status, body text and Location header (for redirect handling). */
  async getText(
    base: string,
    path: string,
  ): Promise<{ status: number; body: string; location: string | null }> {
    const target = origin(base);
    try {
      const response = await request(base + path, {
        method: 'GET',
        dispatcher: this.dispatcher,
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const body = (await this.readBody(response, `${target}${path}`)).toString('utf8');
      const location = response.headers['location'];
      return { status: response.statusCode, body, location: typeof location === 'string' ? location : null };
    } catch (error) {
      if (
        (error as { name?: string }).name === 'TimeoutError' ||
        (error as { name?: string }).name === 'AbortError'
      ) {
        throw new UpstreamError('timeout', `${target} did not answer within ${this.options.timeoutMs} ms`);
      }
      throw toUpstreamError(error, target);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/** The statuses a master redirects with. Nothing here follows them (see leaderRequest). */
export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** scheme://host:port of a URL, never its userinfo or path. */
export function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the upstream';
  }
}

/** The host a Location names, as a URL spells it (never the rest of it, which the upstream chose). */
function safeHost(base: string, location: string): string {
  try {
    return new URL(location, base).host || 'nowhere';
  } catch {
    return 'a location that is not a URL';
  }
}

/** A connection pool to an upstream (Mesos, Marathon): a whole call within `timeoutMs`, with these TLS settings. */
export function upstreamPool(
  timeoutMs: number,
  tls: MesosTlsOptions | null | undefined,
  tuning: Pick<Agent.Options, 'connections' | 'keepAliveTimeout'> = {},
): Agent {
  return new Agent({
    ...tuning,
    connectTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: tuning.keepAliveTimeout ?? 10_000,
    connect: {
      ...(tls?.ca ? { ca: tls.ca } : {}),
      ...(tls?.cert ? { cert: tls.cert } : {}),
      ...(tls?.key ? { key: tls.key } : {}),
    },
  });
}

/** Sends `authorization: value` with every request, whatever form the request's headers take. */
export function withAuthorization(value: string): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch({ ...options, headers: { ...headerObject(options.headers), authorization: value } }, handler);
}

/** Sends requests for `http://host:port` to `https://host:port`. */
const upgradeToHttps: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
  const from = options.origin === undefined ? null : new URL(String(options.origin));
  if (from?.protocol !== 'http:') return dispatch(options, handler);
  return dispatch({ ...options, origin: `https://${from.host}` }, handler);
};

function headerObject(headers: Dispatcher.DispatchOptions['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!headers) return out;
  if (Array.isArray(headers) && !Array.isArray(headers[0])) {
    // The flat form: [name, value, name, value...].
    for (let i = 0; i + 1 < headers.length; i += 2) {
      out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
    }
    return out;
  }
  const entries: Iterable<[string, unknown]> =
    Symbol.iterator in headers
      ? (headers as Iterable<[string, unknown]>)
      : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}
