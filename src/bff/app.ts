import { registerChronosRoutes } from './routes/chronos-routes';
import { registerMesosDnsRoutes } from './routes/mesos-dns-routes';
import type { MesosDnsClient } from './upstream/mesos-dns-client';
import { existsSync } from 'node:fs';
import path from 'node:path';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { readBuildId } from './build-id';
import { SpaDocument } from './spa-document';
import { AuditLog } from './audit-log';
import type { TaskStoreConfig } from './config';
import { registerHistory } from './history';
import { sendError } from './http-errors';
import type { Marathons } from './marathon/marathons';
import { AgentReadings } from './reading/agent-readings';
import type { ClusterPoller } from './reading/cluster-poller';
import { registerOperations, requestIdOptions } from './plugins';
import type { AccessControl, RateLimits, SignInThrottle } from './plugins';
import { registerDetailRoutes } from './routes/detail-routes';
import { registerTaskJsonRoute } from './routes/task-json-route';
import { registerFileRoutes } from './routes/file-routes';
import { registerMarathonRoutes } from './routes/marathon-routes';
import { registerOperationRoutes } from './routes/operation-routes';
import type { OperationsConfig } from './routes/operation-routes';
import { registerProxyRoutes } from './routes/proxy-routes';
import { registerSandboxRoute } from './routes/sandbox-route';
import { registerStatusRoutes } from './routes/status-routes';
import { registerViewRoutes } from './routes/view-routes';
import { registerTaskHistory } from './task-store';
import type { TaskStore } from './task-store/types';
import type { LeaderDiscovery } from './upstream/leader-discovery';
import type { MesosClient } from './upstream/mesos-client';

export interface AppDeps {
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  client: MesosClient;
  mode: 'local' | 'remote';
  masters: readonly string[];
  /** What the embedded cluster is (scenario and size): its history is kept apart from other clusters'. */
  localIdentity?: string;
  version: string;
  /** The built SPA (vite build output); null serves the API only. */
  uiDir: string | null;
  /** Where the cluster history is kept across restarts; null or absent keeps it in memory only. */
  dataDir?: string | null;
  /** The record of every task (`--task-store`...); absent or null records none. */
  taskStore?: (TaskStoreConfig & { open?: () => Promise<TaskStore>; flushMs?: number }) | null;
  /** Where the BFF reports problems that do not stop it (e.g. an unreadable history file). */
  warn?: (message: string) => void;
  logger?: FastifyServerOptions['logger'];
  /** Who may use the dashboard (default: anyone who reaches it; mesoscope listens on loopback by default). */
  access?: AccessControl;
  rateLimits?: RateLimits;
  /** Host header names served (default: loopback names only); see `acceptedHosts`. */
  acceptedHosts?: ReadonlySet<string>;
  signInThrottle?: SignInThrottle;
  /** `--allow-operations` (needs a sign-in): the cluster writes and who may send them; absent: read-only. */
  operations?: OperationsConfig | null;
  /** The Mesos-DNS whose HTTP API the task page asks (`--mesos-dns`, or the local cluster's); absent: none. */
  mesosDns?: MesosDnsClient | null;
  /** The Marathons read for the Marathon pages (`--marathon`, or found in the cluster); absent: none. */
  marathons?: Marathons;
  /** How long one read of a followed file's end answers every viewer (default 1 s; 0 reads it per request). */
  fileTailTtlMs?: number;
}

const API_PREFIXES = ['/api/', '/mesos/', '/agent/', '/healthz', '/readyz', '/metrics'];

/** Builds the BFF. It never listens: server.ts does, and tests use `inject` or listen on port 0. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    ...requestIdOptions,
    // Mesos ids can be long, but not unbounded.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });

  const metrics = await registerOperations(app, deps);
  await app.register(compress, { threshold: 1_024, encodings: ['br', 'gzip', 'deflate'] });

  const taskHistory = await registerTaskHistory(app, {
    ...deps,
    dataDir: deps.dataDir ?? null,
    where: deps.taskStore?.where ?? 'off',
    retentionMs: deps.taskStore?.retentionMs ?? 30 * 86_400_000,
    maxBytes: deps.taskStore?.maxBytes ?? null,
    openStore: deps.taskStore?.open,
    flushMs: deps.taskStore?.flushMs,
  });
  metrics.watchTaskStore(taskHistory);
  registerStatusRoutes(app, { ...deps, buildId: readBuildId(deps.uiDir), taskHistory });
  if (deps.operations) {
    if ((deps.access ?? { kind: 'open' }).kind === 'open') {
      throw new Error('operations need a sign-in (--htpasswd or --auth-proxy-header)');
    }
    const audit = new AuditLog(deps.dataDir ?? null);
    registerOperationRoutes(app, { ...deps, operations: deps.operations, audit });
  }
  metrics.watchHistory(await registerHistory(app, { ...deps, dataDir: deps.dataDir ?? null }));
  registerViewRoutes(app, deps.poller);
  registerTaskJsonRoute(app, { ...deps, taskHistory });
  registerMesosDnsRoutes(app, deps.poller, deps.mesosDns ?? null);
  registerChronosRoutes(app, deps.poller);
  registerMarathonRoutes(app, deps);
  // One reader of agents for every page that asks one, so their reads are shared and limited together.
  const agents = new AgentReadings(deps.client);
  registerDetailRoutes(app, { ...deps, agents });
  registerSandboxRoute(app, deps.poller, agents);
  registerFileRoutes(app, { ...deps, agents });
  registerProxyRoutes(app, deps);

  const uiDir = deps.uiDir && existsSync(path.join(deps.uiDir, 'index.html')) ? deps.uiDir : null;
  if (uiDir) {
    await app.register(fastifyStatic, {
      root: uiDir,
      wildcard: false,
      index: false,
      maxAge: 0,
      // Sent as the build compressed them (scripts/precompress.ts), not compressed again for every browser.
      preCompressed: true,
      setHeaders: (reply, file) => {
        // Their names change with their content: a browser keeps them until the HTML names others.
        if (file.includes(`${path.sep}assets${path.sep}`))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  const document = uiDir ? new SpaDocument(uiDir) : null;

  app.setNotFoundHandler((request, reply) => {
    const url = request.raw.url ?? '/';
    const isApi = API_PREFIXES.some((prefix) => url.startsWith(prefix));
    if (document && !isApi && (request.method === 'GET' || request.method === 'HEAD')) {
      // Client-side routes: every page has its own URL and a reload must land on the SPA.
      return reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(document.for(url));
    }
    return sendError(reply, 404, `No such endpoint: ${request.method} ${url.split('?')[0]}`);
  });

  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, 500, 'Internal error in mesoscope');
    }
    return sendError(reply, status, error.message ?? 'Bad request');
  });

  return app;
}
