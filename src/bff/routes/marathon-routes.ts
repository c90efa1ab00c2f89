import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendError, sendBadRequest, statusForUpstream } from '../http-errors';
import { MarathonParseError } from '../marathon/marathon-json';
import { UpstreamError } from '../upstream/upstream-error';
import { hashKey, sendView } from '../view-sender';
import type { MarathonSnapshot, MarathonSource } from '../marathon/marathon-source';
import type { Marathons } from '../marathon/marathons';
import { appView, appsView, deploymentView, freshness, statusCounts } from '../marathon/marathon-views';
import type { ClusterPoller } from '../reading/cluster-poller';
import type {
  MarathonDeploymentsView,
  MarathonStatusView,
  MarathonSummaryView,
  MarathonVersionsView,
} from '../schemas/marathon';

const KeyQuery = z.object({ marathon: z.string().max(300).optional() });
const AppQuery = KeyQuery.extend({
  // Marathon's own grammar: segments of letters, digits, '-' and '.', never '..' (the id goes into a path).
  id: z
    .string()
    .max(1_000)
    .regex(/^(\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)+\/?$/i, 'must be an app id such as /prod/web')
    .refine((id) => !id.includes('..'), 'must be an app id such as /prod/web'),
});

/** What `/api/status` says about each Marathon. */
export function marathonStatus(marathons: Marathons | undefined): MarathonStatusView[] {
  return (marathons?.list() ?? []).map((source) => {
    const info = source.snapshot?.info ?? null;
    return {
      ...freshness(source, source.snapshot),
      origin: source.origin,
      frameworkId: info?.frameworkId ?? null,
      name: info?.name ?? null,
      version: info?.version ?? null,
      lastSuccessAt: source.status.lastSuccessAt,
      lastAttemptAt: source.status.lastAttemptAt,
      events: source.status.events,
      pollIntervalMs: source.intervalMs,
    };
  });
}

/**
 * The Marathon pages' data, read from each Marathon's latest snapshot (one reading for all viewers). Each
 * answer has an ETag of the Marathon's data version, whether it is connected and the query, so a page polling an
 * unchanged Marathon gets a bodiless 304; when Marathon is down the last good data is served, saying so.
 */
export function registerMarathonRoutes(
  app: FastifyInstance,
  deps: { marathons?: Marathons; poller: ClusterPoller },
): void {
  const cache = new Map<string, { stamp: string; etag: string; body: string }>();

  const serve = (
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    build: (source: MarathonSource, snapshot: MarathonSnapshot) => unknown,
    extraStamp = '',
  ): FastifyReply => {
    const parsed = KeyQuery.safeParse(request.query);
    if (!parsed.success) return sendBadRequest(reply, 'marathon= must name a Marathon');
    const source = deps.marathons?.get(parsed.data.marathon);
    if (!source) {
      return sendError(
        reply,
        404,
        parsed.data.marathon
          ? `No Marathon '${parsed.data.marathon}' is known`
          : 'No Marathon is known: give one with --marathon, or run one as a framework of this cluster',
      );
    }
    const snapshot = source.snapshot;
    if (!snapshot) {
      const why = source.status.lastError ?? 'the first read is still running';
      return sendError(reply, 503, `No data from Marathon at ${source.url} yet: ${why}`);
    }
    const health = source.status.connected ? 'up' : `down${source.status.lastAttemptAt ?? ''}`;
    const stamp = `${snapshot.version}:${health}:${extraStamp}`;
    const cacheKey = `${source.key} ${key}`;
    let entry = cache.get(cacheKey);
    if (!entry || entry.stamp !== stamp) {
      const body = build(source, snapshot);
      if (body === null) return sendError(reply, 404, `No such app in Marathon at ${source.url}`);
      if (cache.size > 1_000) cache.clear();
      entry = { stamp, etag: `"m${hashKey(`${stamp} ${cacheKey}`)}"`, body: JSON.stringify(body) };
      cache.set(cacheKey, entry);
    }
    return sendView(request, reply, entry);
  };

  app.get('/api/marathon/apps', (request, reply) => serve(request, reply, 'apps', appsView));

  app.get('/api/marathon/deployments', (request, reply) =>
    serve(request, reply, 'deployments', (source, snapshot): MarathonDeploymentsView => ({
      marathon: freshness(source, snapshot),
      deployments: snapshot.deployments.map(deploymentView),
    })),
  );

  app.get('/api/marathon/app', (request, reply) => {
    const parsed = AppQuery.safeParse(request.query);
    if (!parsed.success) {
      return sendBadRequest(reply, `id ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
    }
    const id = parsed.data.id.replace(/\/+$/, '');
    // The App page links tasks to the cluster's own, so it changes with either reading.
    const cluster = deps.poller.snapshot;
    return serve(
      request,
      reply,
      `app ${id}`,
      (source, snapshot) => appView(source, snapshot, cluster, id),
      String(cluster?.version ?? 0),
    );
  });

  app.get('/api/marathon/versions', async (request, reply) => {
    const parsed = AppQuery.safeParse(request.query);
    if (!parsed.success) {
      return sendBadRequest(reply, `id ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
    }
    const source = deps.marathons?.get(parsed.data.marathon);
    if (!source) return sendError(reply, 404, 'No such Marathon is known');
    const id = parsed.data.id.replace(/\/+$/, '');
    if (!source.snapshot?.apps.some((candidate) => candidate.id === id)) {
      return sendError(reply, 404, `No such app in Marathon at ${source.url}`);
    }
    try {
      const body: MarathonVersionsView = { versions: await source.versions(id) };
      return reply.header('cache-control', 'no-cache').send(body);
    } catch (error) {
      if (error instanceof UpstreamError) return sendError(reply, statusForUpstream(error), error.message);
      if (error instanceof MarathonParseError) return sendError(reply, 502, error.message);
      throw error;
    }
  });

  app.get('/api/marathon/summary', (_request, reply) => {
    const body: MarathonSummaryView = {
      marathons: (deps.marathons?.list() ?? []).map((source) => {
        const snapshot = source.snapshot;
        return {
          marathon: freshness(source, snapshot),
          name: snapshot?.info?.name ?? null,
          apps: snapshot?.apps.length ?? 0,
          counts: snapshot ? statusCounts(snapshot) : null,
          deployments: snapshot?.deployments.length ?? 0,
        };
      }),
    };
    return reply.header('cache-control', 'no-store').send(body);
  });
}
