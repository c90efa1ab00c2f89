import type { ClusterCore } from './master/cluster-core';
import type { MasterModel, ModelAgent } from './master/master-model';
import type { FrameworkRecord, TaskRecord } from './master/model';
import type { MasterSet } from './ha/master-set';
import { deactivateAgent, drainAgent, makeAgentUnreachable, reactivateAgent } from './master/agent-lifecycle';
import type { DrainOptions } from './master/agent-lifecycle';
import type { ServerTraffic } from './http/http-server';
import type { LocalAgentHandle } from './index';
import { TERMINAL_STATES } from './master/model';

/** What {@link ClusterControl.launchTask} accepts. */
export interface LaunchTaskSpec {
  /** Framework name; registered on first use (default `mesoscope`). */
  framework?: string;
  name: string;
  /** Shell command, run as `sh -c <cmd>` in the sandbox. */
  cmd: string;
  cpus?: number;
  mem?: number;
  disk?: number;
  agentId?: string;
}

/** Ids and sandbox of a launched task. */
export interface LaunchedTask {
  taskId: string;
  frameworkId: string;
  agentId: string;
  executorId: string;
  directory: string;
}

/** Named knobs for tests and demos. */
export interface ClusterControl {
  /** Stops the leading master's HTTP server (no election): connections are refused until {@link startMaster}. */
  stopMaster(): Promise<void>;
  /** Restarts the leading master's HTTP server on the same port, with the same state. */
  startMaster(): Promise<void>;
  /** Kills the leading master: its server stops and it leaves the election; resolves with its URL at once. */
  killLeader(): Promise<string>;
  /** Resolves with the leader's URL once a live master is elected (after {@link killLeader}: the new one). */
  waitForLeader(timeoutMs?: number): Promise<string>;
  /** The elected master's URL, or null during an election. */
  leaderUrl(): string | null;
  /** Brings a killed master back as a standby. */
  reviveMaster(url: string): Promise<void>;
  /** Stops every master's HTTP server (no election): the whole control plane is unreachable. */
  stopAllMasters(): Promise<void>;
  /** Restarts the servers of every master that was not killed. */
  startAllMasters(): Promise<void>;
  /** Launches a command task; resolves once it is TASK_RUNNING. */
  launchTask(spec: LaunchTaskSpec): Promise<LaunchedTask>;
  /** Kills a task (SIGTERM, SIGKILL after 2 s); resolves once it is terminal. */
  killTask(taskId: string): Promise<void>;
  /** Ids of all non-terminal tasks. */
  taskIds(): string[];
  /** Resolves once the task reaches a terminal state; returns that state. */
  waitForTerminal(taskId: string, timeoutMs?: number): Promise<string>;
  /** Replaces what `/master/maintenance/schedule` and `/master/maintenance/status` return. */
  setMaintenance(schedule: Record<string, unknown>, status?: Record<string, unknown>): void;
  /** What the masters' HTTP servers have been asked (by path) and have sent: the cost of their clients. */
  masterTraffic(): ServerTraffic;
  /** Starts one more agent and registers it with the master. */
  addAgent(): Promise<LocalAgentHandle>;
  /** DEACTIVATE_AGENT: the agent gets no more offers or tasks; what runs keeps running. */
  deactivateAgent(agentId: string): void;
  /** REACTIVATE_AGENT: ends a deactivation or a drain. */
  reactivateAgent(agentId: string): void;
  /** DRAIN_AGENT: deactivates the agent and kills its tasks with the grace period; resolves once DRAINED. */
  drainAgent(agentId: string, options?: DrainOptions): Promise<void>;
  /**
   * Cuts the agent off: its HTTP server stops and its task processes die unseen; after `afterMs` (default
   * 5 s) the master marks it unreachable and its tasks TASK_UNREACHABLE or TASK_LOST. Resolves then.
   */
  makeAgentUnreachable(agentId: string, options?: { afterMs?: number }): Promise<void>;
}

/** The masters' HTTP servers, as the control knobs drive them (an HA set, or one simulated master). */
export type MasterServers = Pick<
  MasterSet,
  | 'stopLeaderServer'
  | 'startLeaderServer'
  | 'killLeader'
  | 'waitForLeader'
  | 'leaderUrl'
  | 'revive'
  | 'stopAll'
  | 'startAll'
  | 'traffic'
>;

/** What a cluster gives its control knobs: its master model, masters, task runner and agent knobs. */
export interface ControlTarget {
  model: MasterModel<ModelAgent>;
  masters: MasterServers;
  /** Launches a command task of a registered framework on the model; resolves once it is RUNNING. */
  launch(framework: FrameworkRecord, spec: LaunchTaskSpec): Promise<TaskRecord>;
  /** Kills a task (live or not, known or not, as {@link ClusterControl.killTask} says). */
  kill(taskId: string): Promise<void>;
  addAgent(): Promise<LocalAgentHandle>;
  deactivateAgent(agentId: string): void;
  reactivateAgent(agentId: string): void;
  drainAgent(agentId: string, options?: DrainOptions): Promise<void>;
  makeAgentUnreachable(agentId: string, afterMs?: number): Promise<void>;
}

/** Builds the control knobs over a running cluster (the local one, or a simulated one). */
export function createClusterControl(target: ControlTarget): ClusterControl {
  const { model, masters } = target;
  return {
    stopMaster: () => masters.stopLeaderServer(),
    masterTraffic: () => masters.traffic(),
    startMaster: () => masters.startLeaderServer(),
    killLeader: () => masters.killLeader(),
    waitForLeader: (timeoutMs) => masters.waitForLeader(timeoutMs),
    leaderUrl: () => masters.leaderUrl(),
    reviveMaster: (url) => masters.revive(url),
    stopAllMasters: () => masters.stopAll(),
    startAllMasters: () => masters.startAll(),
    async launchTask(spec) {
      const name = spec.framework ?? 'mesoscope';
      const framework =
        model.frameworkByName(name) ??
        model.registerFramework({ name, user: 'root', principal: name, capabilities: ['MULTI_ROLE'] });
      const task = await target.launch(framework, spec);
      return {
        taskId: task.id,
        frameworkId: task.frameworkId,
        agentId: task.agentId,
        executorId: task.executorId,
        directory: task.directory,
      };
    },
    killTask: (taskId) => target.kill(taskId),
    taskIds: () => [...model.frameworks.values()].flatMap((framework) => [...framework.tasks.keys()]),
    async waitForTerminal(taskId, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const task = model.findTask(taskId);
        if (!task) throw new Error(`Unknown task '${taskId}'`);
        if (TERMINAL_STATES.has(task.state)) return task.state;
        if (Date.now() > deadline) throw new Error(`Task '${taskId}' is still ${task.state}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    setMaintenance(schedule, status = {}) {
      model.maintenance.schedule = schedule;
      model.maintenance.status = status;
    },
    addAgent: () => target.addAgent(),
    deactivateAgent: (agentId) => target.deactivateAgent(agentId),
    reactivateAgent: (agentId) => target.reactivateAgent(agentId),
    drainAgent: (agentId, options) => target.drainAgent(agentId, options),
    makeAgentUnreachable: (agentId, options) => target.makeAgentUnreachable(agentId, options?.afterMs),
  };
}

/** The control target of the local cluster: real processes on local agents, HA masters. */
export function localControlTarget(
  core: ClusterCore,
  masters: MasterServers,
  addAgent: () => Promise<LocalAgentHandle>,
): ControlTarget {
  return {
    model: core,
    masters,
    launch: (framework, spec) =>
      core.launchTask({
        frameworkId: framework.id,
        name: spec.name,
        cmd: spec.cmd,
        cpus: spec.cpus,
        mem: spec.mem,
        disk: spec.disk,
        agentId: spec.agentId,
      }),
    kill: (taskId) => core.killTask(taskId),
    addAgent,
    deactivateAgent: (agentId) => deactivateAgent(core, agentId),
    reactivateAgent: (agentId) => reactivateAgent(core, agentId),
    drainAgent: (agentId, options) => drainAgent(core, agentId, options),
    makeAgentUnreachable: (agentId, afterMs) => makeAgentUnreachable(core, agentId, afterMs),
  };
}
