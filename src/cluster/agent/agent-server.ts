import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createAgentApiV1 } from './agent-api-v1';
import { frameworksOnAgent } from './frameworks-on-agent';
import {
  agentFlagsJson,
  agentMetricsJson as renderAgentMetrics,
  agentStateJson as renderAgentState,
  containerLimits,
  monitorEntryJson,
} from './agent-json';
import type { AgentIdentity, ContainerStatistics } from './agent-json';
import { createExecutorApi } from './executor-api';
import type { AgentExecutors } from './executors';
import type { LocalAgent } from './agent-node';
import type { ClusterCore } from '../master/cluster-core';
import type { ServerSecurity } from '../ha/http-auth';
import { LibprocessServer, jsonResult } from '../http/http-server';
import type { RouteHandler } from '../http/http-server';
import { nowSecs } from '../master/ids';
import { drainJson } from '../master/agent-view';
import { systemMetrics } from '../master/master-json';
import { readGroupUsage } from './proc-stats';
import { allocationSplit, reservedFullJson, reservedJson, unreservedResources } from '../master/reservations';
import { sumResources } from '../master/resources';
import { versionJson } from '../version';

/** Who a local agent is, as its documents say. */
function identityOf(core: ClusterCore, agent: LocalAgent): AgentIdentity {
  return {
    id: agent.id,
    pid: agent.pid,
    hostname: agent.hostname,
    ip: agent.address,
    port: agent.port,
    startTime: agent.startTime,
    attributes: agent.attributes,
    resources: agent.resources,
    workDir: agent.workDir,
    logDir: agent.logDir,
    master: { host: core.host, port: core.masterPort },
  };
}

/** The agent's `--flags`. */
function agentFlags(core: ClusterCore, agent: LocalAgent): Record<string, string> {
  return agentFlagsJson(identityOf(core, agent));
}

/** `GET /slave(1)/state`. */
export function agentStateJson(core: ClusterCore, agent: LocalAgent): Record<string, unknown> {
  const split = allocationSplit(core, agent);
  const { drain_config, estimated_drain_start_time_seconds } = drainJson(agent);
  return renderAgentState(identityOf(core, agent), {
    reservations: {
      reserved: reservedJson(agent),
      reservedFull: reservedFullJson(agent),
      unreserved: unreservedResources(agent),
      allocatedByRole: split.reserved,
      unreservedAllocated: split.unreserved,
    },
    // A framework with no executor left on the agent is a completed framework there, as in Mesos.
    frameworks: frameworksOnAgent(core, agent),
    ...(drain_config ? { drain: { drain_config, estimated_drain_start_time_seconds } } : {}),
    resourceProviders: agent.resourceProviders,
  });
}

/** Agent `GET /metrics/snapshot`. */
export function agentMetricsJson(core: ClusterCore, agent: LocalAgent): Record<string, number> {
  const live = core.liveTasks(agent.id);
  return renderAgentMetrics(identityOf(core, agent), {
    used: sumResources(live.map((t) => t.resources)),
    live: (state) => live.filter((t) => t.state === state).length,
    terminal: agent.counters.terminalTasks,
    executorsRunning: agent.executors.size,
    executorsTerminated: agent.counters.executorsTerminated,
    frameworksActive: new Set(live.map((t) => t.frameworkId)).size,
    statusUpdates: agent.counters.statusUpdates,
    now: nowSecs(),
    system: systemMetrics(),
  });
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  try {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) total += await directorySize(path);
      else if (entry.isFile()) total += (await stat(path)).size;
    }
  } catch {
    // Sandbox removed concurrently.
  }
  return total;
}

/** `GET /monitor/statistics`: real usage of each running executor's process group. */
export async function monitorStatisticsJson(agent: LocalAgent): Promise<Record<string, unknown>[]> {
  const pidOf = (e: { pid?: number; task: { pid?: number } }) => e.pid ?? e.task.pid;
  const executors = [...agent.executors.values()].filter((e) => pidOf(e) !== undefined);
  const usage = await readGroupUsage(new Set(executors.map((e) => pidOf(e) ?? -1)));
  return Promise.all(
    executors.map(async (executor) => {
      const groupUsage = usage.get(pidOf(executor) ?? -1);
      const statistics: ContainerStatistics = {
        timestamp: nowSecs(),
        ...containerLimits(executor.resources),
        disk_used_bytes: await directorySize(executor.directory),
      };
      if (groupUsage) {
        statistics.cpus_user_time_secs = groupUsage.cpusUserTimeSecs;
        statistics.cpus_system_time_secs = groupUsage.cpusSystemTimeSecs;
        statistics.mem_rss_bytes = groupUsage.memRssBytes;
      }
      return monitorEntryJson(executor, statistics);
    }),
  );
}

/** Builds an agent's HTTP server. */
export function createAgentServer(
  core: ClusterCore,
  agent: LocalAgent,
  security: ServerSecurity = {},
  /** Runs executors the framework names; without it the agent serves no executor API. */
  executors?: AgentExecutors,
): LibprocessServer {
  const routes = new Map<string, RouteHandler>();
  const state: RouteHandler = () => jsonResult(agentStateJson(core, agent));
  for (const path of ['/state', '/state.json', '/slave(1)/state', '/slave(1)/state.json'])
    routes.set(path, state);
  const statistics: RouteHandler = async () => jsonResult(await monitorStatisticsJson(agent));
  for (const path of [
    '/monitor/statistics',
    '/monitor/statistics.json',
    '/slave(1)/monitor/statistics',
    '/slave(1)/monitor/statistics.json',
  ]) {
    routes.set(path, statistics);
  }
  const flags: RouteHandler = () => jsonResult({ flags: agentFlags(core, agent) });
  routes.set('/flags', flags);
  routes.set('/slave(1)/flags', flags);
  routes.set('/slave(1)/health', () => ({ kind: 'text', status: 200, body: '' }));
  routes.set('/health', () => ({ kind: 'text', status: 200, body: '' }));
  routes.set('/version', () => jsonResult(versionJson()));
  routes.set('/metrics/snapshot', () => jsonResult(agentMetricsJson(core, agent)));
  for (const [path, handler] of agent.files.routes()) routes.set(path, handler);
  const v1 = createAgentApiV1(core, agent, {
    flags: () => agentFlags(core, agent),
    metrics: () => agentMetricsJson(core, agent),
  });
  routes.set('/api/v1', () => ({ kind: 'stream', write: (req, res) => v1(req, res) }));
  if (executors) {
    const executorApi = createExecutorApi(executors, agent);
    routes.set('/api/v1/executor', () => ({ kind: 'stream', write: (req, res) => executorApi(req, res) }));
  }
  return new LibprocessServer(agent.address, routes, security);
}
