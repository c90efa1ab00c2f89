import type { FastifyReply } from 'fastify';
import type { ApiErrorBody } from './schemas/views';
import type { UpstreamError } from './upstream/upstream-error';

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The one error shape the SPA understands. */
export function errorBody(statusCode: number, message: string): ApiErrorBody {
  return { error: reasons[statusCode] ?? 'Error', message, statusCode };
}

/** Sends the one error shape the SPA understands. */
export function sendError(reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  return reply.code(statusCode).header('cache-control', 'no-store').send(errorBody(statusCode, message));
}

/** The HTTP status a browser should see for an upstream failure. */
export function statusForUpstream(error: UpstreamError): number {
  if (error.kind === 'timeout') return 504;
  if (error.kind === 'no-leader') return 503;
  if (error.kind === 'unauthorized' && (error.status === 401 || error.status === 403)) return error.status;
  if (error.kind === 'http' && (error.status === 401 || error.status === 403 || error.status === 404)) {
    return error.status;
  }
  return 502;
}
