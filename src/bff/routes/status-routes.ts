import type { FastifyInstance } from 'fastify';
import type { ClusterPoller } from '../model/cluster-poller';
import type { StatusView } from '../schemas/views';
import type { LeaderDiscovery } from '../upstream/leader-discovery';

export interface StatusDeps {
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  mode: 'local' | 'remote';
  masters: readonly string[];
  version: string;
  /** The id of the SPA build being served (see build-id.ts). */
  buildId?: () => string | null;
}

export function registerStatusRoutes(app: FastifyInstance, deps: StatusDeps): void {
  app.get('/healthz', (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/api/status', (_request, reply) => {
    const { poller } = deps;
    const snapshot = poller.snapshot;
    const leaderUrl = deps.discovery.leader ?? snapshot?.leaderUrl ?? null;
    const info = snapshot?.state.leader_info;
    const body: StatusView = {
      mode: deps.mode,
      masters: deps.masters.map(withoutCredentials),
      leader: leaderUrl
        ? {
            url: withoutCredentials(leaderUrl),
            hostname: info?.hostname ?? new URL(leaderUrl).hostname,
            port: info?.port ?? Number(new URL(leaderUrl).port || 80),
            id: info?.id ?? snapshot?.state.id ?? null,
          }
        : null,
      connected: poller.status.connected,
      lastSuccessAt: poller.status.lastSuccessAt,
      lastAttemptAt: poller.status.lastAttemptAt,
      lastError: poller.status.lastError,
      pollIntervalMs: poller.intervalMs,
      version: deps.version,
      buildId: deps.buildId?.() ?? null,
    };
    return reply.header('cache-control', 'no-store').send(body);
  });
}

/** A URL as it may be shown: no userinfo, no query. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}
