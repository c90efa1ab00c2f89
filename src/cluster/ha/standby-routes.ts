import type { RouteHandler, RouteRequest, RouteResult } from '../http/http-server';
import { anyMethodRoute, jsonResult, textResult } from '../http/http-server';
import { systemMetrics } from '../master/master-json';
import { versionJson } from '../version';

/** How standby masters answer, by Mesos generation. */
export type StandbyStyle =
  /** Mesos 1.x: state and API requests get a 307 to `//leader:port<path>`; `leader_info` names the leader. */
  | 'redirect'
  /** Mesos 0.2x: a standby serves its own (empty) state with only the `leader` pid, and its
   * `/master/redirect` answers with an absolute `http://leader:port`. */
  | 'legacy';

/** What a master needs to know to answer as a standby. */
export interface StandbyContext {
  /** Is this master the elected leader right now? */
  isLeader(): boolean;
  /** The leader's advertised host and port, or null during an election. */
  leader(): { host: string; port: number; id: string; pid: string } | null;
  /** This master's own identity, for the state a legacy standby serves. */
  self(): { id: string; host: string; port: number; pid: string; startTime: number };
  clusterName: string;
  style: StandbyStyle;
  /** The metric keys a master registers (a standby has them all, with its own, idle values). */
  metricKeys?(): Iterable<string>;
  /** The leader's own state as a Mesos 0.2x leader served it (no `leader_info`), for the legacy style. */
  legacyLeaderState?(url: URL): RouteResult;
}

const STATE_PATHS = new Set(['/master/state', '/state', '/master/state.json', '/state.json']);
const HEALTH_PATHS = new Set(['/master/health', '/health']);
const REDIRECT_PATHS = new Set(['/master/redirect', '/redirect']);

/**
 * Wraps the leading master's routes so that the same server answers as a standby while it is not the leader,
 * like `Master::Http::redirect` (src/master/http.cpp): health is always 200, `/master/redirect` points at the
 * leader (503 "No leader elected" during an election), and everything else is a 307 to the leader.
 */
export function standbyAwareRoutes(
  leaderRoutes: ReadonlyMap<string, RouteHandler>,
  context: StandbyContext,
): Map<string, RouteHandler> {
  const routes = new Map<string, RouteHandler>();
  for (const [path, handler] of leaderRoutes) {
    const legacyState = context.style === 'legacy' && STATE_PATHS.has(path);
    const wrapped = async (url: URL, request: RouteRequest) => {
      if (!context.isLeader()) return standbyAnswer(url, context);
      // Masters before 1.0 had no `leader_info`: only the `leader` pid says who leads.
      if (legacyState && context.legacyLeaderState) return context.legacyLeaderState(url);
      return handler(url, request);
    };
    routes.set(path, handler.anyMethod ? anyMethodRoute(wrapped) : wrapped);
  }
  return routes;
}

function standbyAnswer(url: URL, context: StandbyContext): RouteResult {
  const path = url.pathname;
  if (HEALTH_PATHS.has(path)) return textResult(200, '');
  if (path === '/version') return jsonResult(versionJson());
  if (path === '/metrics/snapshot') return jsonResult(standbyMetrics(context));
  const leader = context.leader();
  if (context.style === 'legacy' && STATE_PATHS.has(path)) return jsonResult(legacyStandbyState(context));
  if (!leader) return textResult(503, 'No leader elected');
  if (REDIRECT_PATHS.has(path)) {
    const location =
      context.style === 'legacy' ? `http://${leader.host}:${leader.port}` : `//${leader.host}:${leader.port}`;
    return { kind: 'text', status: 307, body: '', headers: { Location: location } };
  }
  return {
    kind: 'text',
    status: 307,
    body: '',
    headers: { Location: `//${leader.host}:${leader.port}${path}${url.search}` },
  };
}

/** What a Mesos 0.2x standby served at `/master/state.json`: itself, the leader's pid, and no cluster data. */
function legacyStandbyState(context: StandbyContext): Record<string, unknown> {
  const self = context.self();
  const leader = context.leader();
  return {
    ...versionJson(),
    start_time: self.startTime,
    id: self.id,
    pid: self.pid,
    hostname: self.host,
    ...(leader ? { leader: leader.pid } : {}),
    cluster: context.clusterName,
    activated_slaves: 0,
    deactivated_slaves: 0,
    slaves: [],
    frameworks: [],
    completed_frameworks: [],
    orphan_tasks: [],
  };
}

/**
 * A standby's `/metrics/snapshot`: every key a master registers at start, read from its own state (no agents, no
 * frameworks, nothing counted yet), so `master/elected` is 0.
 */
function standbyMetrics(context: StandbyContext): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of context.metricKeys?.() ?? []) if (!key.startsWith('system/')) out[key] = 0;
  return { ...out, ...systemMetrics(), 'master/elected': 0, 'master/uptime_secs': uptime(context) };
}

function uptime(context: StandbyContext): number {
  return Date.now() / 1000 - context.self().startTime;
}
