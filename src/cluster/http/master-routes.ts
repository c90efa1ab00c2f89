/**
 * The master's endpoints by path, wired the same way for the embedded and the simulated cluster: each
 * supplies the documents from its own state, this table decides the paths, query parameters and replies.
 */
import { FileAttachments } from './files-api';
import { jsonResult, textResult } from './http-server';
import type { RouteHandler, RouteResult } from './http-server';
import { tasksJson } from '../master/master-fields';
import { masterWriteRoutes } from '../operator-api/master-write-routes';
import type { MasterWrites } from '../operator-api/master-writes';
import { slavesJson } from '../operator-api/master-writers';
import type { AgentView } from '../operator-api/master-writers';
import type { FrameworkRecord } from '../master/model';
import type { OperatorEndpoint } from '../operator-api/operator-endpoint';
import { versionJson } from '../version';

/** What a master serves on its v0 endpoints; every call reads the master's state at request time. */
export interface MasterDocuments {
  /** `/master/state`: a reply rather than a body, so that a massive state can be streamed. */
  state(url: URL): RouteResult;
  /** `/master/frameworks?framework_id=`, a reply for the same reason. */
  frameworks(url: URL, frameworkId: string | null): RouteResult;
  stateSummary(): unknown;
  /** Every agent, as `/master/slaves` writes it. */
  agentViews(): AgentView[];
  roles(): unknown;
  flags(): Record<string, string>;
  metrics(): unknown;
  /** `/master/maintenance/schedule` and `/master/maintenance/status`. */
  readonly maintenance: { readonly schedule: unknown; readonly status: unknown };
}

/** The master a route table serves for; its port is read per request (it is known only once listening). */
export interface RoutedMaster {
  readonly host: string;
  readonly masterPort: number;
  readonly frameworks: ReadonlyMap<string, FrameworkRecord>;
  readonly completedFrameworks: readonly FrameworkRecord[];
}

/** Mesos's `TASK_LIMIT`, the default page size of `/master/tasks`. */
const TASK_LIMIT = 100;

/** The master's v0 GET family, `/api/v1` and `/files/*` (serving the master's log). */
export function masterV0Routes(
  master: RoutedMaster,
  logPath: string,
  documents: MasterDocuments,
  operatorApi: Pick<OperatorEndpoint, 'handle'>,
  /** The operator writes this master supports (`/master/teardown`, `/master/machine/down`, ...). */
  writes?: MasterWrites,
): Map<string, RouteHandler> {
  const files = new FileAttachments();
  files.attach('/master/log', logPath);

  const routes = new Map<string, RouteHandler>();
  const add = (paths: string[], handler: RouteHandler) => paths.forEach((p) => routes.set(p, handler));
  const both = (name: string) => [`/master/${name}`, `/${name}`];

  add([...both('state'), ...both('state.json')], (url) => documents.state(url));
  add(both('state-summary'), () => jsonResult(documents.stateSummary()));
  add(both('frameworks'), (url) => documents.frameworks(url, url.searchParams.get('framework_id')));
  add(both('slaves'), (url) =>
    jsonResult(slavesJson(documents.agentViews(), url.searchParams.get('slave_id'))),
  );
  add(both('roles'), () => jsonResult(documents.roles()));
  add(both('flags'), () => jsonResult({ flags: documents.flags() }));
  add(both('health'), () => textResult(200, ''));
  add(['/version'], () => jsonResult(versionJson()));
  add(['/metrics/snapshot'], () => jsonResult(documents.metrics()));
  add(both('maintenance/schedule'), () => jsonResult(documents.maintenance.schedule));
  add(both('maintenance/status'), () => jsonResult(documents.maintenance.status));
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
  for (const [path, handler] of files.routes()) routes.set(path, handler);
  if (writes) {
    for (const [path, handler] of masterWriteRoutes(writes, () => documents.maintenance.schedule))
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
