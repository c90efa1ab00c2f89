import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClusterPoller } from '../reading/cluster-poller';
import { upstreamEndpoint } from './upstream-endpoint';

/** A viewer is "connected" while it has asked for something in this window. The SPA polls every few seconds. */
const VIEWER_WINDOW_MS = 60_000;
const MAX_TRACKED_VIEWERS = 100_000;

const VIEW_ROUTES = new Set([
  '/api/overview',
  '/api/frameworks',
  '/api/agents',
  '/api/wall',
  '/api/tasks',
  '/api/tasks/facets',
  '/api/search',
  '/api/status',
  '/api/history',
]);

interface UndiciRequest {
  origin?: string | URL;
  path?: string;
  method?: string;
}

/** Anything with a size: the cluster history ring. */
interface Sized {
  readonly size: number;
}

/** What the task store's gauges read: its last measurement and whether recording is paused. */
interface TaskStoreReadings {
  readonly stats: { tasks: number; statuses: number; bytes: number; oldest: number | null } | null;
  readonly status: { enabled: boolean; paused: boolean };
  readonly recorder: { status: { pending: number; walkedTasks: number; fullWalks: number } } | null;
}

export interface MetricsHandle {
  registry: Registry;
  /** The history ring whose size `mesoscope_history_samples` reports. */
  watchHistory(history: Sized): void;
  /** The task store whose rows, bytes and oldest age `mesoscope_task_store_*` report. */
  watchTaskStore(store: TaskStoreReadings): void;
}

/**
 * Prometheus metrics of mesoscope itself at `/metrics`: HTTP requests it serves, every request it makes to Mesos
 * (observed on undici's diagnostics channels, so the poller, the passthrough and file reads are all counted
 * without wrapping them), view cache hits (ETag 304s), leader changes, viewers, history size, and the
 * process. Each app has its own registry.
 */
/** Seconds: a request to mesoscope or to Mesos, from a cached view to a slow master. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function registerMetrics(app: FastifyInstance, deps: { poller: ClusterPoller }): MetricsHandle {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mesoscope_' });

  const httpDuration = new Histogram({
    name: 'mesoscope_http_request_duration_seconds',
    help: 'Time to answer a request to mesoscope, by route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'mesoscope_upstream_request_duration_seconds',
    help: 'Time from sending a request to Mesos to its response headers, by Mesos endpoint and status code',
    labelNames: ['endpoint', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: 'mesoscope_upstream_errors_total',
    help: 'Requests to Mesos that failed without an answer (refused, reset, timed out), by endpoint and error',
    labelNames: ['endpoint', 'code'] as const,
    registers: [registry],
  });
  const viewCacheHits = new Counter({
    name: 'mesoscope_view_cache_hits_total',
    help: 'View requests answered 304 Not Modified (the browser already had this snapshot), by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const viewCacheMisses = new Counter({
    name: 'mesoscope_view_cache_misses_total',
    help: 'View requests answered with a body, by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const leaderChanges = new Counter({
    name: 'mesoscope_leader_changes_total',
    help: 'Times the leading Mesos master changed since mesoscope started',
    registers: [registry],
  });
  const pollErrors = new Counter({
    name: 'mesoscope_cluster_poll_errors_total',
    help: 'Polls of the leading master that failed',
    registers: [registry],
  });
  const polls = new Counter({
    name: 'mesoscope_cluster_polls_total',
    help: 'Polls of the leading master that brought a new snapshot',
    registers: [registry],
  });

  const viewers = new Map<string, number>();
  new Gauge({
    name: 'mesoscope_connected_viewers',
    help: `Distinct clients (user or address, and user agent) that asked for something in the last ${VIEWER_WINDOW_MS / 1000} s`,
    registers: [registry],
    collect() {
      const since = Date.now() - VIEWER_WINDOW_MS;
      for (const [key, at] of viewers) if (at < since) viewers.delete(key);
      this.set(viewers.size);
    },
  });
  let inFlight = 0;
  new Gauge({
    name: 'mesoscope_http_requests_in_flight',
    help: 'Requests being answered now (open streams included)',
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  let history: Sized | null = null;
  new Gauge({
    name: 'mesoscope_history_samples',
    help: 'Samples held in the cluster history ring',
    registers: [registry],
    collect() {
      this.set(history?.size ?? 0);
    },
  });
  let taskStore: TaskStoreReadings | null = null;
  new Gauge({
    name: 'mesoscope_task_store_rows',
    help: 'Rows in the task store (as last measured, every minute), by table',
    labelNames: ['table'] as const,
    registers: [registry],
    collect() {
      this.set({ table: 'tasks' }, taskStore?.stats?.tasks ?? 0);
      this.set({ table: 'statuses' }, taskStore?.stats?.statuses ?? 0);
    },
  });
  new Gauge({
    name: 'mesoscope_task_store_bytes',
    help: 'Size of the task store (used pages for SQLite, relations for PostgreSQL)',
    registers: [registry],
    collect() {
      this.set(taskStore?.stats?.bytes ?? 0);
    },
  });
  new Gauge({
    name: 'mesoscope_task_store_oldest_age_seconds',
    help: 'Age of the oldest ended task kept in the task store',
    registers: [registry],
    collect() {
      const oldest = taskStore?.stats?.oldest;
      this.set(oldest === null || oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
    },
  });
  new Gauge({
    name: 'mesoscope_task_store_paused',
    help: '1 when task history is on but not being recorded (store unreachable, disk full or read-only)',
    registers: [registry],
    collect() {
      this.set(taskStore?.status.paused ? 1 : 0);
    },
  });
  new Gauge({
    name: 'mesoscope_task_store_pending_tasks',
    help: 'Task changes waiting to be written to the task store',
    registers: [registry],
    collect() {
      this.set(taskStore?.recorder?.status.pending ?? 0);
    },
  });
  new Gauge({
    name: 'mesoscope_task_recorder_tasks_walked',
    help: 'Tasks the task history looked at since start (after the first snapshot, only the changed ones)',
    registers: [registry],
    collect() {
      this.set(taskStore?.recorder?.status.walkedTasks ?? 0);
    },
  });
  new Gauge({
    name: 'mesoscope_task_recorder_full_walks',
    help: 'Snapshots the task history walked task by task since start (the first, reconciles, resyncs)',
    registers: [registry],
    collect() {
      this.set(taskStore?.recorder?.status.fullWalks ?? 0);
    },
  });
  new Gauge({
    name: 'mesoscope_cluster_connected',
    help: '1 when the last poll of the leading master succeeded',
    registers: [registry],
    collect() {
      this.set(deps.poller.status.connected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'mesoscope_cluster_data_age_seconds',
    help: 'Age of the cluster data mesoscope serves (-1 before the first successful poll)',
    registers: [registry],
    collect() {
      const at = deps.poller.status.lastSuccessAt;
      this.set(at === null ? -1 : (Date.now() - at) / 1000);
    },
  });

  deps.poller.on('leader-change', (_leader, before) => {
    if (before) leaderChanges.inc();
  });
  deps.poller.on('snapshot', () => polls.inc());
  deps.poller.on('poll-error', () => pollErrors.inc());

  const started = new WeakMap<object, { at: bigint; endpoint: string }>();
  const onCreate = (message: unknown) => {
    const { request } = message as { request: UndiciRequest };
    started.set(request, { at: process.hrtime.bigint(), endpoint: upstreamEndpoint(request.path ?? '') });
  };
  const onHeaders = (message: unknown) => {
    const { request, response } = message as { request: object; response: { statusCode: number } };
    const start = started.get(request);
    if (!start) return;
    const seconds = Number(process.hrtime.bigint() - start.at) / 1e9;
    upstreamDuration.observe({ endpoint: start.endpoint, status: String(response.statusCode) }, seconds);
  };
  const onError = (message: unknown) => {
    const { request, error } = message as { request: object; error: { code?: string; name?: string } };
    const start = started.get(request);
    if (!start) return;
    upstreamErrors.inc({ endpoint: start.endpoint, code: error.code ?? error.name ?? 'error' });
    started.delete(request);
  };
  diagnostics.subscribe('undici:request:create', onCreate);
  diagnostics.subscribe('undici:request:headers', onHeaders);
  diagnostics.subscribe('undici:request:error', onError);

  app.addHook('onRequest', async (request, reply) => {
    inFlight += 1;
    // 'close' comes once for every response, finished or aborted.
    reply.raw.once('close', () => (inFlight -= 1));
    if (viewers.size < MAX_TRACKED_VIEWERS || viewers.has(viewerKey(request))) {
      viewers.set(viewerKey(request), Date.now());
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (VIEW_ROUTES.has(route)) {
      if (reply.statusCode === 304) viewCacheHits.inc({ route });
      else if (reply.statusCode === 200) viewCacheMisses.inc({ route });
    }
  });
  app.addHook('onClose', async () => {
    diagnostics.unsubscribe('undici:request:create', onCreate);
    diagnostics.unsubscribe('undici:request:headers', onHeaders);
    diagnostics.unsubscribe('undici:request:error', onError);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(body);
  });

  return {
    registry,
    watchHistory(sized) {
      history = sized;
    },
    watchTaskStore(readings) {
      taskStore = readings;
    },
  };
}

function viewerKey(request: { user: string | null; ip: string; headers: Record<string, unknown> }): string {
  const agent = typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : '';
  return `${request.user ?? request.ip}\u0000${agent.slice(0, 200)}`;
}
