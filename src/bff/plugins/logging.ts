import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController } from 'fastify';
import type { FastifyServerOptions } from 'fastify';

/** Headers and fields that never reach a log line, whatever logs them. */
export const REDACTED_PATHS = [
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

/** Fastify options for request ids: every log line of a request carries `reqId`, every answer `x-request-id`. */
export const requestIdOptions = {
  genReqId: requestId,
  logController: new LogController({ requestIdLogLabel: 'reqId' }),
} satisfies Partial<FastifyServerOptions>;

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
