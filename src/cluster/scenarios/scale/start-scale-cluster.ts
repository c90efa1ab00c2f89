/**
 * Starts a simulated scale cluster (`small`, `large`, `massive`, `gigantic`): one master server and one shared
 * server for all simulated agents, seeded and churning every second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClusterControl } from '../../control';
import type { ClusterControl, MasterServers } from '../../control';
import { LibprocessServer } from '../../http/http-server';
import { createIdSource, newMasterId } from '../../master/ids';
import { simMasterWrites } from './sim-writes';
import type { OperatorApiOptions, OperatorEndpoint } from '../../operator-api/operator-endpoint';
import { createOperatorEndpoint } from '../../operator-api/operator-endpoint';
import { operatorMasterOf } from '../../operator-api/core-master';
import { SCALE_SPECS } from './scale-spec';
import type { ScaleScenarioName, ScaleSpec } from './scale-spec';
import { startChurn } from './sim-churn';
import type { ChurnHandle } from './sim-churn';
import { SimMaster } from './sim-master';
import type { SimAgent } from './sim-master';
import { makeApps, placeOn, populate } from './sim-population';
import { SimAgentRoutes, simMasterRoutes } from './sim-servers';

export interface ScaleClusterOptions {
  scenario: ScaleScenarioName;
  seed?: number;
  host?: string;
  masterPort?: number;
  workDir?: string;
  clusterName?: string;
  log?: (line: string) => void;
  /** Override parts of the scenario (tests shrink it). */
  spec?: Partial<ScaleSpec>;
  /** `auto` (default): churn every second; `manual`: only when `churn.tick()` is called; `off`: never. */
  churn?: 'auto' | 'manual' | 'off';
  operatorApi?: OperatorApiOptions;
}

export interface ScaleAgentHandle {
  id: string;
  url: string;
  hostname: string;
  port: number;
  workDir: string;
}

export interface ScaleCluster {
  masterUrl: string;
  masterUrls: string[];
  agents: ScaleAgentHandle[];
  workDir: string;
  control: ClusterControl;
  /** The simulation itself, for tests and benchmarks in the same process. */
  sim: SimMaster;
  operatorApi: OperatorEndpoint;
  churn: ChurnHandle | null;
  /** The HTTP servers: `[master, agents]`. */
  servers: { master: LibprocessServer; agents: LibprocessServer };
  close(): Promise<void>;
}

function unsupported(name: string): never {
  throw new Error(`${name} is not available in the simulated scale cluster`);
}

export async function startScaleCluster(options: ScaleClusterOptions): Promise<ScaleCluster> {
  const spec: ScaleSpec = { ...SCALE_SPECS[options.scenario], ...options.spec };
  const host = options.host ?? '127.0.0.1';
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir
    ? resolve(options.workDir)
    : mkdtempSync(join(tmpdir(), 'mesoscope-scale-'));
  const ids = createIdSource(options.seed ?? 1);
  const sim = new SimMaster(
    newMasterId(),
    host,
    options.clusterName ?? `mesoscope-${options.scenario}`,
    workDir,
    ids,
    {
      maxCompletedTasksPerFramework: spec.maxCompletedTasksPerFramework,
      completedFrameworks: spec.completedFrameworks,
    },
  );
  sim.writes = simMasterWrites(sim);
  const operatorApi = createOperatorEndpoint(operatorMasterOf(sim, sim.writes), options.operatorApi);
  sim.subscriberCount = () => operatorApi.subscribers;
  const master = new LibprocessServer(host, simMasterRoutes(sim, operatorApi));
  const agents = new LibprocessServer(host, new SimAgentRoutes(sim));
  let churn: ChurnHandle | null = null;

  const close = async () => {
    churn?.stop();
    sim.stop();
    operatorApi.closeAll();
    await Promise.all([master.stop(), agents.stop()]);
    sim.log.close();
    if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
  };

  try {
    await agents.start(0);
    sim.agentPort = agents.port;
    const began = Date.now();
    const population = populate(sim, spec, ids);
    options.log?.(
      `${options.scenario}: ${sim.agents.length} agents, ${sim.frameworks.size} frameworks, ` +
        `${sim.tasksById.size} active tasks in ${Date.now() - began} ms`,
    );
    await master.start(options.masterPort ?? 0);
    sim.masterPort = master.port;
    const churnMode = options.churn ?? 'auto';
    if (churnMode !== 'off')
      churn = startChurn(sim, spec, ids, population, { autoStart: churnMode === 'auto' });

    const masterUrl = `http://${host}:${master.port}`;
    const agentUrl = `http://${host}:${agents.port}`;
    const handle = (agent: SimAgent): ScaleAgentHandle => ({
      id: agent.id,
      url: agentUrl,
      hostname: agent.hostname,
      port: agents.port,
      workDir: agent.workDir,
    });

    const masters: MasterServers = {
      stopLeaderServer: () => master.stop(),
      startLeaderServer: () => master.start(sim.masterPort),
      killLeader: () => unsupported('killLeader'),
      waitForLeader: async () => masterUrl,
      leaderUrl: () => masterUrl,
      revive: () => unsupported('reviveMaster'),
      stopAll: () => master.stop(),
      startAll: () => master.start(sim.masterPort),
      traffic: () => master.traffic,
    };
    const control = createClusterControl({
      model: sim,
      masters,
      async launch(framework, launch) {
        if (!population.apps.has(framework.id))
          population.apps.set(framework.id, makeApps(ids, framework, 1));
        const want = { cpus: launch.cpus ?? 0.1, mem: launch.mem ?? 32 };
        const agent = launch.agentId ? sim.agentsById.get(launch.agentId) : placeOn(sim, ids, want);
        if (!agent) throw new Error(`No agent has ${want.cpus} cpus and ${want.mem} MB free`);
        const task = sim.launchTask({
          framework,
          agent,
          name: launch.name,
          resources: { ...want, gpus: 0, disk: launch.disk ?? 0, ports: [] },
          role: framework.roles[0] ?? '*',
          command: launch.cmd,
        });
        await sim.runner.start(task);
        return task;
      },
      async kill(taskId) {
        const task = sim.liveTask(taskId);
        if (!task) {
          if (sim.findTask(taskId)) return;
          throw new Error(`Unknown task '${taskId}'`);
        }
        sim.counters.killTasks++;
        await sim.runner.kill(task);
      },
      async addAgent() {
        const template = sim.agents[0];
        const agent = sim.addAgent({
          hostname: `ip-10-250-0-${sim.agents.length % 250}.sim.internal`,
          resources: template?.resources ?? {
            cpus: 16,
            gpus: 0,
            mem: 65536,
            disk: 500000,
            ports: [[31000, 32000]],
          },
          attributes: { rack: 'rack-new' },
        });
        return handle(agent);
      },
      deactivateAgent: (agentId) => sim.setDeactivated(agentId, true),
      reactivateAgent: (agentId) => sim.setDeactivated(agentId, false),
      drainAgent: () => unsupported('drainAgent'),
      makeAgentUnreachable: () => unsupported('makeAgentUnreachable'),
    });

    return {
      masterUrl,
      masterUrls: [masterUrl],
      agents: sim.agents.map(handle),
      workDir,
      control,
      sim,
      operatorApi,
      churn,
      servers: { master, agents },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
