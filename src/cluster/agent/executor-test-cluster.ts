/**
 * For the executor tests: a master and real agent servers built as `startCluster` builds them, with the
 * master's bookkeeping at hand, so a test can launch what a scheduler's ACCEPT would (an
 * {@link ExecutorLaunchRequest}) and watch it over the agents' HTTP APIs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalAgent } from './agent-node';
import { createAgentServer } from './agent-server';
import { ClusterCore } from '../master/cluster-core';
import type { FrameworkSpec } from '../master/cluster-core';
import type { LibprocessServer } from '../http/http-server';
import { createIdSource } from '../master/ids';
import { createMasterServer } from '../http/master-server';
import { TERMINAL_STATES } from '../master/model';
import type { ExecutorRecord, FrameworkRecord, TaskRecord, TaskState } from '../master/model';
import { AgentExecutors } from './executors';
import type { ExecutorRuntimeOptions } from './executors';

export interface ExecutorTestCluster {
  core: ClusterCore;
  executors: AgentExecutors;
  agents: LocalAgent[];
  /** `http://host:port` of the master and of each agent. */
  masterUrl: string;
  agentUrls: string[];
  workDir: string;
  registerFramework(spec?: Partial<FrameworkSpec>): FrameworkRecord;
  /** The live executor with this id on an agent (the first by default). */
  executor(executorId: string, agentIndex?: number): ExecutorRecord | undefined;
  /** Resolves with the task once it is in one of `states` (any terminal state when none are given). */
  waitForTask(taskId: string, states?: TaskState[], timeoutMs?: number): Promise<TaskRecord>;
  close(): Promise<void>;
}

export async function startExecutorTestCluster(
  options: { agents?: number; executors?: ExecutorRuntimeOptions; seed?: number } = {},
): Promise<ExecutorTestCluster> {
  const workDir = mkdtempSync(join(tmpdir(), 'mesoscope-executors-'));
  const ids = createIdSource(options.seed ?? 7);
  const core = new ClusterCore({
    masterId: ids.uuid(),
    host: '127.0.0.1',
    clusterName: 'test',
    workDir,
    ids,
  });
  const executors = new AgentExecutors(core, options.executors);
  core.executorLauncher = (req) => executors.launch(req);
  core.executorRuntime = executors;
  const master = createMasterServer(core, core.maintenance);
  await master.start(0);
  core.masterPort = master.port;
  const servers: LibprocessServer[] = [master];
  const agents: LocalAgent[] = [];
  for (let i = 0; i < (options.agents ?? 1); i++) {
    const agent = new LocalAgent(
      {
        id: `${core.masterId}-S${i}`,
        index: i,
        hostname: '127.0.0.1',
        workDir: join(workDir, `agent-${i}`),
        resources: { cpus: 4, gpus: 0, mem: 8192, disk: 20000, ports: [[31000, 32000]] },
        attributes: {},
      },
      core.startTime,
    );
    const server = createAgentServer(core, agent, {}, executors);
    await server.start(0);
    agent.port = server.port;
    agent.server = server;
    core.registerAgent(agent);
    servers.push(server);
    agents.push(agent);
  }
  let frameworks = 0;
  return {
    core,
    executors,
    agents,
    masterUrl: `http://127.0.0.1:${master.port}`,
    agentUrls: agents.map((a) => `http://127.0.0.1:${a.port}`),
    workDir,
    registerFramework: (spec = {}) =>
      core.registerFramework({
        name: `framework-${frameworks++}`,
        user: 'root',
        roles: ['*'],
        capabilities: ['MULTI_ROLE'],
        ...spec,
      }),
    executor: (executorId, agentIndex = 0) =>
      [...(agents[agentIndex]?.executors.values() ?? [])].find((e) => e.id === executorId),
    async waitForTask(taskId, states, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const task = core.findTask(taskId);
        if (task && (states ? states.includes(task.state) : TERMINAL_STATES.has(task.state))) return task;
        if (Date.now() > deadline) {
          throw new Error(
            `Task '${taskId}' is ${task?.state ?? 'unknown'}, not ${states?.join('/') ?? 'terminal'}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await core.shutdown();
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
