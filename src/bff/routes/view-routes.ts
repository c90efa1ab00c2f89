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

/**
 * Answers a view request from the latest snapshot, with an ETag and a per-snapshot cache of the body. A view
 * that has to look at many tasks first (a filter asked for the first time) answers later: `build` then
 * returns a promise.
 */
export type ServeView = (
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  build: (snapshot: ClusterSnapshot) => unknown,
  options?: { timeIsContent?: boolean },
) => FastifyReply | Promise<FastifyReply>;

type CachedView = { version: number } & ReturnType<typeof viewOfContent>;

/**
 * Compact views over the latest snapshot. Each answer carries an ETag that is a hash of its content (see
 * viewOfContent), so a browser polling a view whose content did not change gets a bodiless 304, even though
 * every poll makes a new snapshot. The body and its hash are made once per snapshot and query, whatever number
 * of viewers ask, also while a slow one is being made.
 */
export function registerViewRoutes(app: FastifyInstance, poller: ClusterPoller): void {
  const cache = new Map<string, CachedView>();
  const building = new Map<string, { version: number; view: Promise<CachedView> }>();

  const remember = (key: string, view: CachedView): CachedView => {
    const cached = cache.get(key);
    // A slow view done after a newer snapshot's view was cached leaves that one in place.
    if (cached && cached.version > view.version) return view;
    if (cache.size > 1_000) cache.clear();
    cache.set(key, view);
    return view;
  };

  const serve: ServeView = (request, reply, key, build, options) => {
    const snapshot = poller.snapshot;
    if (!snapshot) {
      const why = poller.status.lastError ?? 'the first poll is still running';
      return sendError(reply, 503, `No data from the cluster yet: ${why}`);
    }
    const { version } = snapshot;
    const entry = cache.get(key);
    if (entry && entry.version === version) return sendView(request, reply, entry);
    const pending = building.get(key);
    if (pending && pending.version === version) {
      return pending.view.then((view) => sendView(request, reply, view));
    }
    const built = build(snapshot);
    if (!(built instanceof Promise)) {
      return sendView(request, reply, remember(key, { version, ...viewOfContent(built, options) }));
    }
    const view = built
      .then((content: unknown) => remember(key, { version, ...viewOfContent(content, options) }))
      .finally(() => {
        if (building.get(key)?.view === view) building.delete(key);
      });
    building.set(key, { version, view });
    return view.then((made) => sendView(request, reply, made));
  };

  app.get('/api/overview', (request, reply) => serve(request, reply, 'overview', overviewView));
  registerListRoutes(app, serve);
  app.get('/api/flags', (request, reply) => serve(request, reply, 'flags', masterFlagsView));
  // The wall shows how old its data is: its snapshotAt must be fresh on every poll.
  app.get('/api/wall', (request, reply) => serve(request, reply, 'wall', wallView, { timeIsContent: true }));
  registerTaskRoutes(app, poller, serve);
}
