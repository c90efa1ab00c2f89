import type { FastifyReply, FastifyRequest } from 'fastify';
import { fnv1a } from '../mesos/hash';

/** A view ready to send: its JSON text and the ETag that names exactly that text. */
export interface ViewBody {
  etag: string;
  body: string;
}

/**
 * Sends a JSON view with its ETag. A browser that already holds that ETag gets a bodiless 304, so polling an
 * unchanged cluster costs neither side a body.
 */
export function sendView(request: FastifyRequest, reply: FastifyReply, view: ViewBody): FastifyReply {
  reply.header('etag', view.etag).header('cache-control', 'no-cache');
  if (request.headers['if-none-match'] === view.etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(view.body);
}

/** A view whose ETag is a hash of its own text, for views that have no version to name them by. */
export function viewOfContent(view: unknown): ViewBody {
  const body = JSON.stringify(view);
  return { etag: `"${hashKey(body)}${fnv1a(body, 0x01000193, 0x5bd1e995).toString(36)}"`, body };
}

/** A short hash of a cache key or body, for the part of an ETag that tells keys apart. */
export function hashKey(text: string): string {
  return fnv1a(text).toString(36);
}
