import type { ClusterCore } from './cluster-core';
import { FileAttachments } from './files-api';
import type { ServerSecurity } from './ha/http-auth';
import { operatorMasterOf } from './operator-api/core-master';
import { createOperatorEndpoint } from './operator-api/operator-endpoint';
import type { OperatorApiOptions } from './operator-api/operator-endpoint';
import { LibprocessServer, jsonResult, textResult } from './http-server';
import type { RouteHandler } from './http-server';
import {
  frameworksJson,
  masterFlags,
  masterMetricsJson,
  masterStateJson,
  quotaJson,
  rolesJson,
  slavesJson,
  stateSummaryJson,
  tasksJson,
  weightsJson,
} from './master-json';
import { versionJson } from './version';

/** Maintenance data served by `/master/maintenance/*` (empty objects when nothing is scheduled). */
export interface MaintenanceState {
  schedule: Record<string, unknown>;
  status: Record<string, unknown>;
}

/** Mesos's `TASK_LIMIT`, the default page size of `/master/tasks`. */
const TASK_LIMIT = 100;

/** Builds the master's HTTP server (GET/HEAD, jsonp, libprocess-style routing). */
export function createMasterServer(
  core: ClusterCore,
  maintenance: MaintenanceState,
  security: ServerSecurity = {},
): LibprocessServer {
  return new LibprocessServer(core.host, masterRoutes(core, maintenance), security);
}

/** The leading master's endpoints, by path (standby masters wrap these, see ha/standby-routes.ts). */
export function masterRoutes(
  core: ClusterCore,
  maintenance: MaintenanceState,
  operatorApi: OperatorApiOptions = {},
): Map<string, RouteHandler> {
  const files = new FileAttachments();
  files.attach('/master/log', core.log.path);

  const routes = new Map<string, RouteHandler>();
  const add = (paths: string[], handler: RouteHandler) => paths.forEach((p) => routes.set(p, handler));
  const both = (name: string) => [`/master/${name}`, `/${name}`];

  add([...both('state'), ...both('state.json')], () => jsonResult(masterStateJson(core)));
  add(both('state-summary'), () => jsonResult(stateSummaryJson(core)));
  add(both('frameworks'), (url) => jsonResult(frameworksJson(core, url.searchParams.get('framework_id'))));
  add(both('slaves'), (url) => jsonResult(slavesJson(core, url.searchParams.get('slave_id'))));
  add(both('roles'), () => jsonResult(rolesJson(core)));
  add(both('flags'), () => jsonResult({ flags: masterFlags(core) }));
  add(both('health'), () => textResult(200, ''));
  add(['/version'], () => jsonResult(versionJson()));
  add(['/metrics/snapshot'], () => jsonResult(masterMetricsJson(core)));
  add(both('maintenance/schedule'), () => jsonResult(maintenance.schedule));
  add(both('maintenance/status'), () => jsonResult(maintenance.status));
  add(both('quota'), () => jsonResult(quotaJson(core)));
  add(both('weights'), () => jsonResult(weightsJson(core)));
  const api = createOperatorEndpoint(operatorMasterOf(core), operatorApi);
  add(['/api/v1'], () => ({ kind: 'stream', write: (req, res) => api.handle(req, res) }));
  add(both('redirect'), () => ({
    kind: 'text',
    status: 307,
    body: '',
    headers: { Location: `//${core.host}:${core.masterPort}` },
  }));
  add(both('tasks'), (url) => {
    const limit = parseCount(url, 'limit', TASK_LIMIT);
    const offset = parseCount(url, 'offset', 0);
    if (typeof limit === 'string') return textResult(400, limit);
    if (typeof offset === 'string') return textResult(400, offset);
    return jsonResult(
      tasksJson(core, {
        limit,
        offset,
        order: url.searchParams.get('order') === 'asc' ? 'asc' : 'desc',
        frameworkId: url.searchParams.get('framework_id'),
        taskId: url.searchParams.get('task_id'),
      }),
    );
  });
  for (const [path, handler] of files.routes()) routes.set(path, handler);
  return routes;
}

/** Parses a non-negative integer query parameter; returns an error message when invalid. */
function parseCount(url: URL, name: string, fallback: number): number | string {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw.trim()))
    return `Failed to parse query parameter ${name}: '${raw}' is not a non-negative integer\n`;
  return Number(raw);
}
