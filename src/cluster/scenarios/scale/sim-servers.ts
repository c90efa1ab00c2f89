/**
 * HTTP routes of a simulated cluster: the master's v0 endpoints, and one server for every simulated agent,
 * each under its own libprocess id (`/slave(N)/state`), the way mesos-local runs several agents on one
 * host:port. Process-less paths (`/state`, `/metrics/snapshot`, `/files/*`) answer for `slave(1)`.
 */
import { jsonResult, textResult } from '../../http/http-server';
import type { RouteHandler } from '../../http/http-server';
import { nowSecs } from '../../master/ids';
import { masterV0Routes } from '../../http/master-routes';
import type { OperatorEndpoint } from '../../operator-api/operator-endpoint';
import { versionJson } from '../../version';
import type { SimMaster } from './sim-master';
import {
  simAgentFlags,
  simAgentMetricsJson,
  simAgentStateJson,
  simMonitorStatisticsJson,
} from './sim-agent-json';

/** The master's endpoints: the v0 GET family and the v1 operator API, as every master serves them. */
export function simMasterRoutes(master: SimMaster, operatorApi: OperatorEndpoint): Map<string, RouteHandler> {
  return masterV0Routes(master, operatorApi, master.writes);
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
    for (const [path, handler] of this.perAgent) super.set(path, (url, request) => handler(0)(url, request));
    super.set('/version', () => jsonResult(versionJson()));
    super.set('/metrics/snapshot', () => {
      const first = master.agentsByIndex.get(0) ?? master.agents[0];
      return first ? jsonResult(simAgentMetricsJson(master, first, nowSecs())) : textResult(404, '');
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
