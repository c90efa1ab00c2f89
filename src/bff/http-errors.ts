import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { FileErrorBody } from './schemas/files';
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
function errorBody(statusCode: number, message: string): ApiErrorBody {
  return { error: reasons[statusCode] ?? 'Error', message, statusCode };
}

/** Sends the one error shape the SPA understands. A 400 is always sent as `sendBadRequest` sends it. */
export function sendError(reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  if (statusCode === 400) return sendBadRequest(reply, message);
  return reply.code(statusCode).header('cache-control', 'no-store').send(errorBody(statusCode, message));
}

/**
 * Every request mesoscope refuses as malformed gets this one answer: 400 in the one error shape, with the
 * reason the file viewer reads (the file APIs' shape, of which the others' is part).
 */
export function sendBadRequest(reply: FastifyReply, message: string): FastifyReply {
  const body: FileErrorBody = { ...errorBody(400, message), reason: 'bad-request' };
  return reply.code(400).header('cache-control', 'no-store').send(body);
}

/** Refuses a request whose query (or path parameters) zod rejected, naming the first parameter at fault. */
export function sendInvalidQuery(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const issue = error.issues[0];
  const where = issue?.path.join('.') ?? '';
  const problem = issue?.message ?? 'not understood';
  return sendBadRequest(
    reply,
    where ? `Invalid query parameter '${where}': ${problem}` : `Invalid query: ${problem}`,
  );
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
