import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeProxyPath } from '../routes/proxy-paths';

/** Requests per client per minute on the endpoints that make mesoscope read files from agents. */
export interface RateLimits {
  /** `/api/files/search`: scans a whole file on the agent. */
  searchPerMinute: number;
  /** `/agent/<id>/files/download` and `/mesos/files/download`: whole files through mesoscope. */
  downloadsPerMinute: number;
  /** Any other `/agent/<id>/files/...` passthrough (browse, read). */
  agentFilesPerMinute: number;
  /** `/api/files/lines`: pages of up to 4 MiB (a viewer following a log asks up to 4 times a second). */
  linesPerMinute: number;
  /** `/api/files/line-text`: one line of up to 8 MiB. */
  lineTextPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  searchPerMinute: 30,
  downloadsPerMinute: 60,
  agentFilesPerMinute: 600,
  linesPerMinute: 3_000,
  lineTextPerMinute: 300,
};

type Group = keyof RateLimits;

const ROUTE_GROUPS: Record<string, Group> = {
  '/api/files/search': 'searchPerMinute',
  '/api/files/lines': 'linesPerMinute',
  '/api/files/line-text': 'lineTextPerMinute',
};

/**
 * Which limit, if any, applies to a request, from the route the router matched (so `/api/files/%73earch` counts
 * as a search) and, for the passthrough, from its path decoded as the passthrough decodes it (so
 * `/mesos/files%2Fdownload` counts as a download). Cheap views (polled by every browser) are not limited.
 */
function rateLimitGroup(route: string | undefined, rawUrl: string): Group | null {
  if (route === undefined) return null;
  const direct = ROUTE_GROUPS[route];
  if (direct) return direct;
  const isMaster = route === '/mesos/*';
  if (!isMaster && route !== '/agent/:agentId/*') return null;
  // Raw slashes separate segments; an encoded one (%2F) belongs to its segment until decoded below.
  const segments = rawUrl.split('?')[0]!.split('/');
  const decoded = decodeProxyPath(segments.slice(isMaster ? 2 : 3).join('/'));
  // A path the passthrough refuses is refused before it reaches anything worth limiting.
  if (!decoded.ok) return null;
  if (/^files\/download(\.json)?\/?$/.test(decoded.decoded)) return 'downloadsPerMinute';
  if (!isMaster && decoded.decoded.startsWith('files/')) return 'agentFilesPerMinute';
  return null;
}

/** A client is its signed-in user when there is one, else its address. */
function clientKey(request: FastifyRequest): string {
  return request.user ? `user:${request.user}` : `ip:${request.ip}`;
}

/**
 * Per-client limits with @fastify/rate-limit: one bucket per client and group, checked in an onRequest hook
 * (after routing, so the matched route is known) for routes registered anywhere. Over the limit: 429 with
 * Retry-After.
 */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    keyGenerator: clientKey,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `Too many requests to this endpoint: at most ${context.max} a minute; try again in ${context.after}`,
    }),
  });
  const limiters = Object.fromEntries(
    (Object.keys(limits) as Group[]).map((group) => [
      group,
      app.rateLimit({ max: limits[group], timeWindow: 60_000, groupId: group }),
    ]),
  ) as Record<Group, ReturnType<FastifyInstance['rateLimit']>>;

  app.addHook('onRequest', async (request, reply) => {
    const group = rateLimitGroup(request.routeOptions.url, request.raw.url ?? '/');
    if (group) await limiters[group].call(app, request, reply);
  });
}
