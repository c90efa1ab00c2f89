import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController } from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/** Headers and fields that never reach a log line, whatever logs them. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-forwarded-user"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'password',
  'credentials',
  'secret',
];

/** An incoming `x-request-id` is kept when it looks like an id, so a proxy's id follows the request. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Fastify options for request ids (every log line of a request carries `reqId`, every answer `x-request-id`),
 * with Fastify's own two lines a request turned off: `registerRequestLog` writes one instead.
 */
export const requestIdOptions = {
  genReqId: requestId,
  logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: true }),
} satisfies Partial<FastifyServerOptions>;

/** An answer slower than this is logged at `info` even when it succeeded. */
const SLOW_REQUEST_MS = 1_000;

/**
 * One compact line per request, when it has been answered. Fastify's default is two lines at `info` for every
 * request, which under hundreds of polling viewers cost the BFF about 7 % of its busy time to say "200" and
 * "304" again and again. So a request is logged at `info` only when it says something to an operator (an
 * error or refusal, status 400 and above, or a slow answer), and every request at `debug`: `--log-level
 * debug` gives the full access log back.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const ms = Math.round(reply.elapsedTime);
    const notable = status >= 400 || ms >= SLOW_REQUEST_MS;
    const line = { method: request.method, url: request.url, status, ms };
    if (notable) request.log.info(line, 'request');
    else request.log.debug(line, 'request');
    done();
  });
}

/**
 * Structured JSON logs (one object a line, for log shippers), or readable lines through pino-pretty when a
 * person watches a terminal. Credentials are redacted wherever they would appear.
 */
export function loggerOptions(options: { pretty: boolean; level?: string }): FastifyServerOptions['logger'] {
  return {
    level: options.level ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(options.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
}
