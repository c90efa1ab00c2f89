import type { FastifyInstance } from 'fastify';
import type { ClusterPoller } from '../reading/cluster-poller';
import { registerAccessControl } from './access-control';
import type { AccessControl } from './access-control';
import { acceptedHosts, registerHostCheck } from './host-check';
import type { MetricsHandle } from './metrics';
import { registerMetrics } from './metrics';
import { DEFAULT_RATE_LIMITS, registerRateLimits } from './rate-limits';
import type { RateLimits } from './rate-limits';
import { registerRequestLog } from './logging';
import { registerReadiness } from './readiness';
import { registerSecurityHeaders } from './security-headers';
import type { SignInThrottle } from './sign-in-throttle';
import { registerUrlGuard } from './url-guard';

export type { AccessControl } from './access-control';
export { TrustedProxies, TrustedProxyError } from './access-control';
export { HtpasswdError, HtpasswdUsers } from './htpasswd';
export { loggerOptions, requestIdOptions } from './logging';
export type { MetricsHandle } from './metrics';
export { acceptedHosts } from './host-check';
export { DEFAULT_RATE_LIMITS } from './rate-limits';
export type { RateLimits } from './rate-limits';
export { SignInThrottle } from './sign-in-throttle';

interface OperationsOptions {
  poller: ClusterPoller;
  /** Who may use mesoscope; absent: anyone who can reach it (mesoscope listens on loopback by default). */
  access?: AccessControl;
  rateLimits?: RateLimits;
  /** Host header names served (default: loopback names only); anything else gets 421. */
  acceptedHosts?: ReadonlySet<string>;
  /** How failed sign-ins are throttled (default: a few, then waits that double). */
  signInThrottle?: SignInThrottle;
}

/**
 * What running mesoscope in production needs, registered before any route: the Host check and access control
 * first (nothing runs for a refused request), then security headers, per-client rate limits, metrics and
 * readiness.
 */
export async function registerOperations(
  app: FastifyInstance,
  options: OperationsOptions,
): Promise<MetricsHandle> {
  // Every answer names its request id, which every log line of that request carries too.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerRequestLog(app);
  registerHostCheck(app, options.acceptedHosts ?? acceptedHosts('127.0.0.1', []));
  registerUrlGuard(app);
  registerAccessControl(app, options.access ?? { kind: 'open' }, options.signInThrottle);
  await registerSecurityHeaders(app);
  await registerRateLimits(app, options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const metrics = registerMetrics(app, { poller: options.poller });
  registerReadiness(app, options.poller);
  return metrics;
}
