import type { FastifyInstance } from 'fastify';
import type { ClusterPoller } from '../model/cluster-poller';
import { registerAccessControl } from './access-control';
import type { AccessControl } from './access-control';
import type { MetricsHandle } from './metrics';
import { registerMetrics } from './metrics';
import { DEFAULT_RATE_LIMITS, registerRateLimits } from './rate-limits';
import type { RateLimits } from './rate-limits';
import { registerReadiness } from './readiness';
import { registerSecurityHeaders } from './security-headers';
import { registerUrlGuard } from './url-guard';

export type { AccessControl } from './access-control';
export { TrustedProxies, TrustedProxyError } from './access-control';
export { HtpasswdError, HtpasswdUsers } from './htpasswd';
export { loggerOptions, requestIdOptions } from './logging';
export type { MetricsHandle } from './metrics';
export { DEFAULT_RATE_LIMITS } from './rate-limits';
export type { RateLimits } from './rate-limits';

export interface OperationsOptions {
  poller: ClusterPoller;
  /** Who may use mesoscope; absent: anyone who can reach it (mesoscope listens on loopback by default). */
  access?: AccessControl;
  rateLimits?: RateLimits;
}

/**
 * What running mesoscope in production needs, registered before any route: access control first (nothing
 * runs for a refused request), then security headers, per-client rate limits, metrics and readiness.
 */
export async function registerOperations(
  app: FastifyInstance,
  options: OperationsOptions,
): Promise<MetricsHandle> {
  // Every answer names its request id, which every log line of that request carries too.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerUrlGuard(app);
  registerAccessControl(app, options.access ?? { kind: 'open' });
  await registerSecurityHeaders(app);
  await registerRateLimits(app, options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const metrics = registerMetrics(app, { poller: options.poller });
  registerReadiness(app, options.poller);
  return metrics;
}
