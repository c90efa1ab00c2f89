import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalAgent } from './agent-node';
import { createAgentServer } from './agent-server';
import { ClusterCore } from './cluster-core';
import { createClusterControl } from './control';
import type { ClusterControl } from './control';
import type { ScenarioHandle } from './demo-scenario';
import type { LibprocessServer } from './http-server';
import { createIdSource } from './ids';
import { createMasterServer } from './master-server';
import { resolveOptions } from './options';
import { startScenario } from './scenarios';
import type { ScenarioName } from './options';

export type { ClusterControl, LaunchTaskSpec, LaunchedTask } from './control';
export { SCENARIOS } from './options';
export type { ScenarioName } from './options';

/** Options of {@link startCluster}. */
export interface LocalClusterOptions {
  /** Number of agents (default 3). */
  agents?: number;
  /** A scenario name, `demo` (default) or `empty`; unknown names throw, listing the valid ones. */
  scenario?: ScenarioName | (string & {});
  /** Seed for deterministic ids and names (default 1). */
  seed?: number;
  /** Interface to bind (default 127.0.0.1); also the hostname advertised in state. */
  host?: string;
  /** Master port (default 0 = a free port). Agents always use free ports. */
  masterPort?: number;
  /** Where work dirs, sandboxes and logs go (default: a fresh temp dir, removed on close). */
  workDir?: string;
  /** Value of `cluster` in master state (default `mesoscope-local`). */
  clusterName?: string;
  /** Sink for human-readable cluster events (default: silent). */
  log?: (line: string) => void;
}

/** One local agent, as tests and the BFF need it. */
export interface LocalAgentHandle {
  id: string;
  url: string;
  hostname: string;
  port: number;
  workDir: string;
}

/** A running local cluster. */
export interface LocalCluster {
  /** e.g. `http://127.0.0.1:41234`. */
  masterUrl: string;
  agents: LocalAgentHandle[];
  workDir: string;
  control: ClusterControl;
  /** Kills every task process group and closes all servers; idempotent. */
  close(): Promise<void>;
}

const AGENT_RESOURCES = { cpus: 4, gpus: 0, mem: 8192, disk: 20000, ports: [[31000, 32000] as const] };

/**
 * Starts an embedded Mesos-compatible cluster: one master and N agents, each its own HTTP
 * server speaking the v0 API, running tasks as real processes in real sandboxes.
 */
export async function startCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const opts = resolveOptions(options);
  const ownsWorkDir = opts.workDir === undefined;
  const workDir = opts.workDir ? resolve(opts.workDir) : mkdtempSync(join(tmpdir(), 'mesoscope-cluster-'));
  mkdirSync(workDir, { recursive: true });

  const ids = createIdSource(opts.seed);
  const core = new ClusterCore({
    masterId: ids.uuid(),
    host: opts.host,
    clusterName: opts.clusterName,
    workDir,
    ids,
    log: opts.log,
  });
  const maintenance = core.maintenance;
  const master = createMasterServer(core, maintenance);
  const servers: LibprocessServer[] = [master];
  let scenario: ScenarioHandle | undefined;
  let agentSeq = 0;
  const onExit = () => core.killAllNow();
  process.on('exit', onExit);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      scenario?.stop();
      await core.shutdown();
      await Promise.all(servers.map((s) => s.stop()));
      process.off('exit', onExit);
      if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
      opts.log?.('cluster closed');
    })());

  try {
    await master.start(opts.masterPort);
    core.masterPort = master.port;
    for (let i = 0; i < opts.agents; i++) await addAgent();
    scenario = await startScenario(opts.scenario, core, addAgent);
  } catch (error) {
    await close();
    throw error;
  }

  async function addAgent(): Promise<LocalAgentHandle> {
    const i = agentSeq++;
    const agent = new LocalAgent(
      {
        id: `${core.masterId}-S${i}`,
        index: i,
        hostname: opts.host,
        workDir: join(workDir, `agent-${i}`),
        resources: { ...AGENT_RESOURCES, ports: [...AGENT_RESOURCES.ports] },
        attributes: { rack: `rack-${(i % 2) + 1}`, agent_index: i },
      },
      core.startTime,
      opts.log,
    );
    const server = createAgentServer(core, agent);
    servers.push(server);
    await server.start(0);
    agent.port = server.port;
    agent.server = server;
    core.registerAgent(agent);
    return handle(agent);
  }

  const masterUrl = `http://${urlHost(opts.host)}:${core.masterPort}`;
  opts.log?.(`master listening at ${masterUrl}`);
  return {
    masterUrl,
    agents: core.agents.map(handle),
    workDir,
    control: createClusterControl(core, master, maintenance, addAgent),
    close,
  };

  function handle(agent: LocalAgent): LocalAgentHandle {
    return {
      id: agent.id,
      url: `http://${urlHost(agent.hostname)}:${agent.port}`,
      hostname: agent.hostname,
      port: agent.port,
      workDir: agent.workDir,
    };
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
