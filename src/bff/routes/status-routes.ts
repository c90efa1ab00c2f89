import type { FastifyInstance } from 'fastify';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { Marathons } from '../marathon/marathons';
import type { StatusView } from '../schemas/views';
import { marathonStatus } from './marathon-routes';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import { mayOperate } from './operation-routes';
import type { OperationsConfig } from './operation-routes';

interface StatusDeps {
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  mode: 'local' | 'remote';
  masters: readonly string[];
  version: string;
  /** The id of the SPA build being served (see build-id.ts). */
  buildId?: string | null;
  operations?: OperationsConfig | null;
  marathons?: Marathons;
  /** The task history, whose state (recording or paused, and why) the status says. */
  taskHistory?: { status: StatusView['taskHistory'] };
}

export function registerStatusRoutes(app: FastifyInstance, deps: StatusDeps): void {
  app.get('/healthz', (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/api/status', (request, reply) => {
    const { poller, discovery } = deps;
    const discovered = discovery.leader;
    const leader =
      poller.status.leader && (poller.status.connected || !discovered)
        ? poller.status.leader
        : discovered
          ? { url: discovered, id: null, hostname: new URL(discovered).hostname, port: portOf(discovered) }
          : null;
    const previous = poller.status.previousLeader;
    const discoveryStatus = discovery.status;
    const body: StatusView = {
      mode: deps.mode,
      masters: discoveryStatus.source.map(shownSource),
      leader: leader && { ...leader, url: withoutCredentials(leader.url) },
      leaderChangedAt: poller.status.leaderChangedAt,
      previousLeader: previous && { hostname: previous.hostname, port: previous.port },
      discovery: { mode: discoveryStatus.mode, degraded: discoveryStatus.degraded },
      lastErrorKind: poller.status.lastErrorKind,
      connected: poller.status.connected,
      loading: poller.status.loading,
      lastSuccessAt: poller.status.lastSuccessAt,
      lastAttemptAt: poller.status.lastAttemptAt,
      lastError: poller.status.lastError,
      pollIntervalMs: poller.intervalMs,
      nextReadInMs: poller.nextReadInMs,
      snapshotVersion: poller.snapshot?.version ?? null,
      version: deps.version,
      buildId: deps.buildId ?? null,
      marathons: marathonStatus(deps.marathons),
      operations: {
        enabled: Boolean(deps.operations),
        user: request.user,
        mayOperate: mayOperate(deps.operations, request.user),
      },
      taskHistory: deps.taskHistory?.status ?? { enabled: false, kind: null, paused: false, error: null },
    };
    return reply.header('cache-control', 'no-store').send(body);
  });
}

function portOf(url: string): number {
  const parsed = new URL(url);
  return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
}

/** zk:// URLs (several hosts, not a WHATWG URL) are already shown without credentials. */
function shownSource(source: string): string {
  return source.startsWith('zk://') ? source : withoutCredentials(source);
}

/** A URL as it may be shown: no userinfo, no query. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}
