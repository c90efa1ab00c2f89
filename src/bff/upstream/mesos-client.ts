import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { UpstreamError, toUpstreamError } from './upstream-error';

export interface MesosClientOptions {
  /** Time allowed for a whole JSON call (headers and body). */
  timeoutMs: number;
}

export interface JsonResult {
  status: number;
  body: unknown;
}

/**
 * The one place that talks HTTP to Mesos masters and agents. Redirects are not followed: a 307 from a
 * standby master is information (where the leader is), not something to chase blindly.
 */
export class MesosClient {
  readonly dispatcher: Dispatcher;

  constructor(readonly options: MesosClientOptions) {
    this.dispatcher = new Agent({
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  /** GETs `base + path` and parses JSON; throws UpstreamError for anything but a 2xx JSON answer. */
  async getJson(base: string, path: string): Promise<unknown> {
    const { status, body, location } = await this.getText(base, path);
    if (status === 307 || status === 302) {
      throw new UpstreamError('http', `${origin(base)} redirected to ${location ?? 'nowhere'}`, status);
    }
    if (status < 200 || status >= 300) {
      throw new UpstreamError('http', `${origin(base)}${path} answered HTTP ${status}`, status);
    }
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new UpstreamError('malformed', `${origin(base)}${path} answered with malformed JSON`, status);
    }
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
      const body = await response.body.text();
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

/** scheme://host:port of a URL, never its userinfo or path. */
export function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the upstream';
  }
}
