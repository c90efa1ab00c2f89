import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http-errors';
import type { ClusterPoller } from '../model/cluster-poller';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { masterFlagsView } from '../views/flags-view';
import { overviewView } from '../views/overview-view';
import { wallView } from '../views/wall-view';
import { registerListRoutes } from './list-routes';
import { registerTaskRoutes } from './task-routes';

/** Answers a view request from the latest snapshot, with an ETag and a per-snapshot cache of the body. */
export type ServeView = (
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  build: (snapshot: ClusterSnapshot) => unknown,
) => FastifyReply;

/**
 * Compact views over the latest snapshot. Each answer carries an ETag made of the snapshot version and the
 * query, so a browser polling an unchanged cluster gets a bodiless 304.
 */
export function registerViewRoutes(app: FastifyInstance, poller: ClusterPoller): void {
  const cache = new Map<string, { version: number; etag: string; body: string }>();

  const serve: ServeView = (request, reply, key, build) => {
    const snapshot = poller.snapshot;
    if (!snapshot) {
      const why = poller.status.lastError ?? 'the first poll is still running';
      return sendError(reply, 503, `No data from the cluster yet: ${why}`);
    }
    let entry = cache.get(key);
    if (!entry || entry.version !== snapshot.version) {
      if (cache.size > 1_000) cache.clear();
      entry = {
        version: snapshot.version,
        etag: `"${snapshot.version}-${hash(key)}"`,
        body: JSON.stringify(build(snapshot)),
      };
      cache.set(key, entry);
    }
    reply.header('etag', entry.etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(entry.body);
  };

  app.get('/api/overview', (request, reply) => serve(request, reply, 'overview', overviewView));
  registerListRoutes(app, serve);
  app.get('/api/flags', (request, reply) => serve(request, reply, 'flags', masterFlagsView));
  app.get('/api/wall', (request, reply) => serve(request, reply, 'wall', wallView));
  registerTaskRoutes(app, poller, serve);
}

/** FNV-1a, enough to tell query strings apart inside an ETag. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
