import type { FastifyInstance } from 'fastify';
import type { ClusterPoller } from '../reading/cluster-poller';

/** Data older than this many poll intervals is not fresh (one slow poll is fine, three missed are not). */
const STALE_AFTER_INTERVALS = 3;
const MIN_STALE_MS = 10_000;

interface Readiness {
  ready: boolean;
  reason: string;
}

/** Ready means: serving cluster data that is fresh. The reason says what is missing when it is not. */
export function readiness(poller: ClusterPoller, now = Date.now()): Readiness {
  const { lastSuccessAt, connected, lastError } = poller.status;
  if (lastSuccessAt === null) {
    return { ready: false, reason: `no cluster data yet${lastError ? `: ${lastError}` : ''}` };
  }
  const ageMs = now - lastSuccessAt;
  const limitMs = Math.max(STALE_AFTER_INTERVALS * poller.intervalMs, MIN_STALE_MS);
  if (!connected) {
    return { ready: false, reason: `cannot reach the cluster: ${lastError ?? 'unknown error'}` };
  }
  if (ageMs > limitMs) {
    return {
      ready: false,
      reason: `cluster data is ${Math.round(ageMs / 1000)} s old (limit ${limitMs / 1000} s)`,
    };
  }
  return { ready: true, reason: 'serving fresh cluster data' };
}

/**
 * `/readyz` for load balancers and orchestrators: 200 with fresh cluster data, else 503. It answers without
 * sign-in, so it says only ready or not ready: the reason (which names masters and their errors) goes to the
 * log when readiness flips, and to signed-in users through `/api/status`.
 */
export function registerReadiness(app: FastifyInstance, poller: ClusterPoller): void {
  let wasReady: boolean | null = null;
  app.get('/readyz', (_request, reply) => {
    const state = readiness(poller);
    if (state.ready !== wasReady) {
      app.log[state.ready ? 'info' : 'warn']({ reason: state.reason }, state.ready ? 'ready' : 'not ready');
    }
    wasReady = state.ready;
    return reply
      .code(state.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: state.ready ? 'ready' : 'not ready' });
  });
}
