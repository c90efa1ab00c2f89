import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Requests per client per minute on the endpoints that make mesoscope read whole files from agents. */
export interface RateLimits {
  /** `/api/files/search`: scans a whole file on the agent. */
  searchPerMinute: number;
  /** `/agent/<id>/files/download` and `/mesos/files/download`: whole files through mesoscope. */
  downloadsPerMinute: number;
  /** Any other `/agent/<id>/files/...` passthrough (browse, read). */
  agentFilesPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  searchPerMinute: 30,
  downloadsPerMinute: 60,
  agentFilesPerMinute: 600,
};

type Group = keyof RateLimits;

/** Which limit, if any, applies to a raw request URL. Cheap views (polled by every browser) are not limited. */
export function rateLimitGroup(url: string): Group | null {
  const path = url.split('?')[0]!;
  if (path === '/api/files/search' || path === '/api/files/search/') return 'searchPerMinute';
  if (/^\/(mesos|agent\/[^/]+)\/files\/download(\.json)?\/?$/.test(path)) return 'downloadsPerMinute';
  if (/^\/agent\/[^/]+\/files\//.test(path)) return 'agentFilesPerMinute';
  return null;
}

/** A client is its signed-in user when there is one, else its address. */
function clientKey(request: FastifyRequest): string {
  return request.user ? `user:${request.user}` : `ip:${request.ip}`;
}

/**
 * Per-client limits with @fastify/rate-limit: one bucket per client and group, checked in an onRequest hook by
 * URL so it holds for routes registered anywhere. Over the limit: 429 with Retry-After.
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
    const group = rateLimitGroup(request.raw.url ?? '/');
    if (group) await limiters[group].call(app, request, reply);
  });
}
