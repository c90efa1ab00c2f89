/**
 * HTTP routes of a simulated cluster: the master's v0 endpoints, and one server for every simulated agent,
 * each under its own libprocess id (`/slave(N)/state`), the way mesos-local runs several agents on one
 * host:port. Process-less paths (`/state`, `/metrics/snapshot`, `/files/*`) answer for `slave(1)`.
 */
import { FileAttachments } from '../files-api';
import { jsonResult, textResult } from '../http-server';
import type { RouteHandler, RouteResult } from '../http-server';
import { nowSecs } from '../ids';
import type { Pieces } from '../operator-api/json-pieces';
import type { OperatorEndpoint } from '../operator-api/operator-endpoint';
import { sendPieces } from '../operator-api/send-pieces';
import { versionJson } from '../version';
import type { SimMaster } from './sim-master';
import {
  simAgentFlags,
  simAgentMetricsJson,
  simAgentStateJson,
  simFrameworksPieces,
  simMasterStatePieces,
  simMonitorStatisticsJson,
  simRolesJson,
  simSlavesJson,
  simStateSummaryJson,
  simTasksJson,
} from './sim-v0-json';

/** Mesos's `TASK_LIMIT`, the default page size of `/master/tasks`. */
const TASK_LIMIT = 100;

function piecesResult(url: URL, build: () => Pieces): RouteResult {
  return {
    kind: 'stream',
    write: (req, res) => sendPieces(req, res, build(), { jsonp: url.searchParams.get('jsonp') }),
  };
}

function parseCount(url: URL, name: string, fallback: number): number | string {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw.trim()))
    return `Failed to parse query parameter ${name}: '${raw}' is not a non-negative integer\n`;
  return Number(raw);
}

/** The master's endpoints: the v0 GET family and the v1 operator API. */
export function simMasterRoutes(master: SimMaster, operatorApi: OperatorEndpoint): Map<string, RouteHandler> {
  const files = new FileAttachments();
  files.attach('/master/log', master.log.path);
  const routes = new Map<string, RouteHandler>();
  const add = (paths: string[], handler: RouteHandler) => paths.forEach((p) => routes.set(p, handler));
  const both = (name: string) => [`/master/${name}`, `/${name}`];

  add([...both('state'), ...both('state.json')], (url) =>
    piecesResult(url, () => simMasterStatePieces(master)),
  );
  add(both('state-summary'), () => jsonResult(simStateSummaryJson(master)));
  add(both('frameworks'), (url) =>
    piecesResult(url, () => simFrameworksPieces(master, url.searchParams.get('framework_id'))),
  );
  add(both('slaves'), (url) => jsonResult(simSlavesJson(master, url.searchParams.get('slave_id'))));
  add(both('roles'), () => jsonResult(simRolesJson(master)));
  add(both('flags'), () => jsonResult({ flags: master.flags() }));
  add(both('health'), () => textResult(200, ''));
  add(['/version'], () => jsonResult(versionJson()));
  add(['/metrics/snapshot'], () => jsonResult(master.metrics()));
  add(both('maintenance/schedule'), () => jsonResult({}));
  add(both('maintenance/status'), () => jsonResult({}));
  add(both('redirect'), () => ({
    kind: 'text',
    status: 307,
    body: '',
    headers: { Location: `//${master.host}:${master.masterPort}` },
  }));
  add(both('tasks'), (url) => {
    const limit = parseCount(url, 'limit', TASK_LIMIT);
    const offset = parseCount(url, 'offset', 0);
    if (typeof limit === 'string') return textResult(400, limit);
    if (typeof offset === 'string') return textResult(400, offset);
    return jsonResult(
      simTasksJson(master, {
        limit,
        offset,
        order: url.searchParams.get('order') === 'asc' ? 'asc' : 'desc',
        frameworkId: url.searchParams.get('framework_id'),
        taskId: url.searchParams.get('task_id'),
      }),
    );
  });
  add(['/api/v1'], () => ({ kind: 'stream', write: (req, res) => operatorApi.handle(req, res) }));
  for (const [path, handler] of files.routes()) routes.set(path, handler);
  return routes;
}

const PROCESS_PATH = /^\/slave\((\d+)\)(\/.*)$/;

/**
 * Routes of the shared agent server: a table that resolves `/slave(N)/<endpoint>` on demand (10,000 agents
 * would otherwise mean 60,000 entries).
 */
export class SimAgentRoutes extends Map<string, RouteHandler> {
  private readonly perAgent: Map<string, (index: number) => RouteHandler>;

  constructor(private readonly master: SimMaster) {
    super();
    const agentOf = (index: number) => master.agentsByIndex.get(index);
    const notFound: RouteHandler = () => textResult(404, '');
    const state = (index: number): RouteHandler => {
      const agent = agentOf(index);
      return agent ? () => jsonResult(simAgentStateJson(master, agent)) : notFound;
    };
    const statistics = (index: number): RouteHandler => {
      const agent = agentOf(index);
      return agent ? () => jsonResult(simMonitorStatisticsJson(agent, nowSecs())) : notFound;
    };
    const flags = (index: number): RouteHandler => {
      const agent = agentOf(index);
      return agent ? () => jsonResult({ flags: simAgentFlags(master, agent) }) : notFound;
    };
    const health = (index: number): RouteHandler => (agentOf(index) ? () => textResult(200, '') : notFound);
    this.perAgent = new Map([
      ['/state', state],
      ['/state.json', state],
      ['/monitor/statistics', statistics],
      ['/monitor/statistics.json', statistics],
      ['/flags', flags],
      ['/health', health],
    ]);
    // Paths without a process id belong to the first agent, like libprocess's delegate.
    for (const [path, handler] of this.perAgent) super.set(path, (url) => handler(0)(url));
    super.set('/version', () => jsonResult(versionJson()));
    super.set('/metrics/snapshot', () => {
      const first = master.agentsByIndex.get(0) ?? master.agents[0];
      return first ? jsonResult(simAgentMetricsJson(first, nowSecs())) : textResult(404, '');
    });
  }

  override get(path: string): RouteHandler | undefined {
    const fixed = super.get(path);
    if (fixed) return fixed;
    const match = PROCESS_PATH.exec(path);
    if (!match) return undefined;
    const index = Number(match[1]) - 1;
    const endpoint = this.perAgent.get(match[2] ?? '');
    return endpoint && this.master.agentsByIndex.has(index) ? endpoint(index) : undefined;
  }

  override has(path: string): boolean {
    return this.get(path) !== undefined;
  }
}
