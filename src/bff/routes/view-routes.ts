import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http-errors';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { sendView, viewOfContent } from '../view-sender';
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
  options?: { timeIsContent?: boolean },
) => FastifyReply;

/**
 * Compact views over the latest snapshot. Each answer carries an ETag that is a hash of its content (see
 * viewOfContent), so a browser polling a view whose content did not change gets a bodiless 304, even though
 * every poll makes a new snapshot. The body and its hash are made once per snapshot and query, whatever number
 * of viewers ask.
 */
export function registerViewRoutes(app: FastifyInstance, poller: ClusterPoller): void {
  const cache = new Map<string, { version: number; etag: string; body: string }>();

  const serve: ServeView = (request, reply, key, build, options) => {
    const snapshot = poller.snapshot;
    if (!snapshot) {
      const why = poller.status.lastError ?? 'the first poll is still running';
      return sendError(reply, 503, `No data from the cluster yet: ${why}`);
    }
    let entry = cache.get(key);
    if (!entry || entry.version !== snapshot.version) {
      if (cache.size > 1_000) cache.clear();
      entry = { version: snapshot.version, ...viewOfContent(build(snapshot), options) };
      cache.set(key, entry);
    }
    return sendView(request, reply, entry);
  };

  app.get('/api/overview', (request, reply) => serve(request, reply, 'overview', overviewView));
  registerListRoutes(app, serve);
  app.get('/api/flags', (request, reply) => serve(request, reply, 'flags', masterFlagsView));
  // The wall shows how old its data is: its snapshotAt must be fresh on every poll.
  app.get('/api/wall', (request, reply) => serve(request, reply, 'wall', wallView, { timeIsContent: true }));
  registerTaskRoutes(app, poller, serve);
}
