import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { checkBasicAuth } from '../ha/http-auth';
import type { ServerSecurity } from '../ha/http-auth';

/** What a server has been asked and has sent (see {@link LibprocessServer.traffic}). */
export interface ServerTraffic {
  requests: number;
  bytesSent: number;
  byPath: Record<string, number>;
}

/** What a route handler returns; {@link LibprocessServer} turns it into an HTTP response. */
export type RouteResult =
  | { kind: 'json'; status?: number; body: unknown }
  | { kind: 'text'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'stream'; write: (req: IncomingMessage, res: ServerResponse) => void | Promise<void> };

/** The request a route may need beyond its URL: writes read the method and the body. */
export interface RouteRequest {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  /** The whole body as text; rejects with {@link BodyTooLarge} past {@link MAX_BODY_BYTES}. */
  body(): Promise<string>;
}

/**
 * A route: receives the parsed URL (and the request); returns a result (or a promise of one). Routes answer
 * GET and HEAD only, unless made with {@link anyMethodRoute}.
 */
export type RouteHandler = ((url: URL, request: RouteRequest) => RouteResult | Promise<RouteResult>) & {
  readonly anyMethod?: true;
};

/** A route that takes every method and checks it itself, like Mesos's write endpoints. */
export function anyMethodRoute(
  handler: (url: URL, request: RouteRequest) => RouteResult | Promise<RouteResult>,
): RouteHandler {
  return Object.assign((url: URL, request: RouteRequest) => handler(url, request), {
    anyMethod: true as const,
  });
}

/** The largest request body a route reads (operator writes are small forms and JSON lists). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A body longer than {@link MAX_BODY_BYTES}: answered 413. */
export class BodyTooLarge extends Error {}

/**
 * libprocess's endpoint lookup (`ProcessBase::consume`): a trailing `/` is dropped, and a path with no handler
 * of its own falls back to the longest prefix that has one, so `/master/frameworks/` and `/master/state/x` are
 * `/master/frameworks` and `/master/state`.
 */
export function resolveRoute<T>(routes: ReadonlyMap<string, T>, pathname: string): T | undefined {
  const exact = routes.get(pathname);
  if (exact !== undefined) return exact;
  const tokens = pathname.split('/').filter((token) => token !== '');
  for (let length = tokens.length; length > 0; length--) {
    const handler = routes.get(`/${tokens.slice(0, length).join('/')}`);
    if (handler !== undefined) return handler;
  }
  return undefined;
}

/** jsonp callback names libprocess would accept, minus script injection. */
const JSONP_CALLBACK = /^[A-Za-z_$][\w$.]{0,127}$/;

/** Shorthand for a plain-text error reply, the way libprocess answers bad requests. */
export function textResult(status: number, body: string): RouteResult {
  return { kind: 'text', status, body };
}

/** Shorthand for a JSON reply. */
export function jsonResult(body: unknown, status = 200): RouteResult {
  return { kind: 'json', status, body };
}

/**
 * A tiny libprocess-like HTTP server: GET/HEAD only (405 otherwise), exact-path routing,
 * `?jsonp=cb` wrapping of JSON replies, 404 for unknown paths. It can be stopped and
 * started again on the same port (used to simulate a master outage).
 */
export class LibprocessServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private closedSocketBytes = 0;
  private requestCount = 0;
  private readonly pathCounts = new Map<string, number>();
  private boundPort = 0;

  constructor(
    private readonly host: string,
    private readonly routes: ReadonlyMap<string, RouteHandler>,
    /** TLS and HTTP authentication, both off by default. */
    private readonly security: ServerSecurity = {},
  ) {}

  /** Requests received (in all and by path) and bytes sent on the wire since the server was made. */
  get traffic(): ServerTraffic {
    let live = 0;
    for (const socket of this.sockets) live += socket.bytesWritten;
    return {
      requests: this.requestCount,
      bytesSent: this.closedSocketBytes + live,
      byPath: Object.fromEntries(this.pathCounts),
    };
  }

  /** The bound port (0 before the first start). */
  get port(): number {
    return this.boundPort;
  }

  /** Starts listening; `port` 0 picks a free port, later restarts reuse the bound one. */
  async start(port = this.boundPort): Promise<void> {
    if (this.server) return;
    const listener: RequestListener = (req, res) => void this.handle(req, res);
    const tls = this.security.tls;
    const server = tls ? createTlsServer({ ...tls }, listener) : createServer(listener);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.closedSocketBytes += socket.bytesWritten;
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    this.server = server;
  }

  /** Stops listening and drops open connections, so clients see "connection refused". */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requestCount++;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (this.pathCounts.size < 1000 || this.pathCounts.has(url.pathname)) {
        this.pathCounts.set(url.pathname, (this.pathCounts.get(url.pathname) ?? 0) + 1);
      }
      const handler = resolveRoute(this.routes, url.pathname);
      // `/api/v1` (the operator API) and the writes take POST calls and check the method themselves.
      const apiCall = /^\/(master\/)?api\//.test(url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD' && !apiCall && !handler?.anyMethod) {
        send(
          req,
          res,
          405,
          'text/plain; charset=utf-8',
          `Expecting 'GET' or 'HEAD', received '${req.method}'\n`,
          {
            Allow: 'GET, HEAD',
          },
        );
        return;
      }
      const refusal = checkBasicAuth(this.security, url.pathname, req.headers.authorization);
      if (refusal) {
        send(req, res, 401, 'text/plain; charset=utf-8', '', refusal);
        return;
      }
      if (!handler) {
        send(req, res, 404, 'text/plain; charset=utf-8', '');
        return;
      }
      const jsonp = url.searchParams.get('jsonp');
      if (jsonp !== null && !JSONP_CALLBACK.test(jsonp)) {
        send(req, res, 400, 'text/plain; charset=utf-8', 'Invalid jsonp callback name\n');
        return;
      }
      const result = await handler(url, routeRequest(req));
      if (result.kind === 'stream') {
        await result.write(req, res);
        return;
      }
      if (result.kind === 'text') {
        send(req, res, result.status, 'text/plain; charset=utf-8', result.body, result.headers);
        return;
      }
      const json = JSON.stringify(result.body);
      if (jsonp !== null) send(req, res, result.status ?? 200, 'text/javascript', `${jsonp}(${json});`);
      else send(req, res, result.status ?? 200, 'application/json', json);
    } catch (error) {
      if (error instanceof BodyTooLarge && !res.headersSent) {
        send(req, res, 413, 'text/plain; charset=utf-8', `${error.message}\n`);
        return;
      }
      if (!res.headersSent) {
        send(req, res, 500, 'text/plain; charset=utf-8', `${(error as Error).message}\n`);
      } else res.destroy();
    }
  }
}

function routeRequest(req: IncomingMessage): RouteRequest {
  let body: Promise<string> | undefined;
  return {
    method: req.method ?? 'GET',
    headers: req.headers,
    body: () =>
      (body ??= new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        req.on('end', () => {
          if (size > MAX_BODY_BYTES) {
            reject(new BodyTooLarge(`Request body is larger than ${MAX_BODY_BYTES} bytes`));
          } else resolve(Buffer.concat(chunks).toString('utf8'));
        });
        req.on('error', reject);
      })),
  };
}

/** libprocess gzips bodies from this size for clients that accept gzip (`GZIP_MINIMUM_BODY_LENGTH`). */
const GZIP_MINIMUM_BODY_LENGTH = 1024;

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  let bytes = Buffer.from(body, 'utf8');
  const compress =
    bytes.length >= GZIP_MINIMUM_BODY_LENGTH && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (compress) {
    bytes = gzipSync(bytes);
    headers = { ...headers, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' };
  }
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...headers });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
