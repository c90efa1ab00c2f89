/**
 * The master's endpoints by path, the same for every master model (the local cluster's and the simulated
 * ones): the documents come from the one renderer (master-json.ts), read from the model at request time.
 */
import { FileAttachments } from './files-api';
import { jsonResult, textResult } from './http-server';
import type { RouteHandler, RouteResult } from './http-server';
import { tasksJson } from '../master/master-fields';
import {
  frameworksPieces,
  masterMetricsJson,
  masterStatePieces,
  rolesJson,
  quotaJson,
  stateSummaryJson,
  weightsJson,
} from '../master/master-json';
import type { RenderedMaster } from '../master/master-json';
import type { Pieces } from '../operator-api/json-pieces';
import { sendPieces } from '../operator-api/send-pieces';
import { masterWriteRoutes } from '../operator-api/master-write-routes';
import type { MasterWrites } from '../operator-api/master-writes';
import { slavesJson } from '../operator-api/master-writers';
import type { OperatorEndpoint } from '../operator-api/operator-endpoint';
import { versionJson } from '../version';

/** A JSON document written as pieces (`?jsonp=` wrapped, gzipped for clients that accept it). */
export function piecesResult(url: URL, build: () => Pieces): RouteResult {
  return {
    kind: 'stream',
    write: (req, res) => sendPieces(req, res, build(), { jsonp: url.searchParams.get('jsonp') }),
  };
}

/** Mesos's `TASK_LIMIT`, the default page size of `/master/tasks`. */
const TASK_LIMIT = 100;

/** The master's v0 GET family, `/api/v1` and `/files/*` (serving the master's log). */
export function masterV0Routes(
  master: RenderedMaster,
  operatorApi: Pick<OperatorEndpoint, 'handle'>,
  /** The operator writes this master supports (`/master/teardown`, `/master/machine/down`, ...). */
  writes?: MasterWrites,
  /** What `/master/maintenance/schedule` and `/master/maintenance/status` serve. */
  maintenance: { readonly schedule: unknown; readonly status: unknown } = master.maintenance,
): Map<string, RouteHandler> {
  const files = new FileAttachments();
  files.attach('/master/log', master.log.path);

  const routes = new Map<string, RouteHandler>();
  const add = (paths: string[], handler: RouteHandler) => paths.forEach((p) => routes.set(p, handler));
  const both = (name: string) => [`/master/${name}`, `/${name}`];

  add([...both('state'), ...both('state.json')], (url) => piecesResult(url, () => masterStatePieces(master)));
  add(both('state-summary'), () => jsonResult(stateSummaryJson(master)));
  add(both('frameworks'), (url) =>
    piecesResult(url, () => frameworksPieces(master, url.searchParams.get('framework_id'))),
  );
  add(both('slaves'), (url) => jsonResult(slavesJson(master.agentViews(), url.searchParams.get('slave_id'))));
  add(both('roles'), () => jsonResult(rolesJson(master)));
  add(both('flags'), () => jsonResult({ flags: master.flags() }));
  add(both('health'), () => textResult(200, ''));
  add(['/version'], () => jsonResult(versionJson()));
  add(['/metrics/snapshot'], () => jsonResult(masterMetricsJson(master)));
  add(both('maintenance/schedule'), () => jsonResult(maintenance.schedule));
  add(both('maintenance/status'), () => jsonResult(maintenance.status));
  add(['/api/v1', '/master/api/v1'], () => ({
    kind: 'stream',
    write: (req, res) => operatorApi.handle(req, res),
  }));
  add(both('redirect'), () => ({
    kind: 'text',
    status: 307,
    body: '',
    headers: { Location: `//${master.host}:${master.masterPort}` },
  }));
  add(both('tasks'), (url) => {
    const limit = sizeParameter(url, 'limit', TASK_LIMIT);
    const offset = sizeParameter(url, 'offset', 0);
    const frameworks = [...master.frameworks.values(), ...master.completedFrameworks];
    return jsonResult(
      tasksJson(frameworks, {
        limit,
        offset,
        order: url.searchParams.get('order') === 'asc' ? 'asc' : 'desc',
        frameworkId: url.searchParams.get('framework_id'),
        taskId: url.searchParams.get('task_id'),
      }),
    );
  });
  add(both('quota'), () => jsonResult(quotaJson(master)));
  add(both('weights'), () => jsonResult(weightsJson(master)));
  for (const [path, handler] of files.routes()) routes.set(path, handler);
  if (writes) {
    for (const [path, handler] of masterWriteRoutes(writes, () => maintenance.schedule))
      routes.set(path, handler);
  }
  return routes;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * `/master/tasks`'s `limit` and `offset` as Mesos 1.11 reads them: `numify<int>`, the default for anything
 * that is not an int, then cast to `size_t`, so `-1` is 2^64 - 1 (every task, as a limit).
 */
function sizeParameter(url: URL, name: string, fallback: number): bigint {
  const raw = url.searchParams.get(name);
  const value = raw !== null && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  const int = Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX ? value : fallback;
  return BigInt.asUintN(64, BigInt(int));
}
