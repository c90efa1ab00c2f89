import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalAgent } from '../agent/agent-node';
import { fetchUris } from '../agent/fetcher';
import type { CommandUri, ExecutorLaunchRequest, V1Json } from '../agent/launch-contract';
import { Allocator } from './allocator/allocator';
import { UnacknowledgedTasks } from './unacknowledged-tasks';
import { MasterModel } from './master-model';
import type { FrameworkSpec, RoleReservations } from './master-model';
import { localAgentView } from './agent-view';
import { allocationSplit, reservedByRole } from './reservations';
import type { AgentView } from '../operator-api/master-writers';
import type { SchedulerMaster } from './scheduler-api/scheduler-master';
import type { IdSource } from './ids';
import { nowSecs } from './ids';
import { TERMINAL_STATES } from './model';
import type { FrameworkRecord, OfferRecord, TaskRecord, TaskState, TaskStatusJson } from './model';
import {
  emptyResources,
  fits,
  formatRanges,
  pickPorts,
  resourcesJson,
  subtractResources,
  sumResources,
} from './resources';
import type { ClusterResources } from './resources';
import { resolveTaskExtras } from './task-extras';
import type { TaskExtrasSpec } from './task-extras';
import { ProcessRunner } from '../runner/process-runner';
import type { TaskRunner } from '../runner/task-runner';
import { KILL_GRACE_MS } from '../runner/task-runner';

export { MAX_COMPLETED_FRAMEWORKS, MAX_COMPLETED_TASKS_PER_FRAMEWORK } from './master-model';
export type { FrameworkSpec, RoleQuota } from './master-model';
export { KILL_GRACE_MS } from '../runner/task-runner';

/** A task launch request (command tasks only, run by the command executor). */
export interface LaunchSpec {
  frameworkId: string;
  name: string;
  cmd: string;
  taskId?: string;
  cpus?: number;
  mem?: number;
  disk?: number;
  ports?: number;
  agentId?: string;
  role?: string;
  /** Labels, container, discovery info and a health check (see task-extras.ts). */
  extras?: TaskExtrasSpec;
  /** Exactly these resources (taken from an offer on `agentId`), instead of placing cpus/mem/disk/ports. */
  resources?: ClusterResources;
  /** More environment for the command (`CommandInfo.environment`). */
  env?: Record<string, string>;
  /** The TaskInfo a scheduler sent, kept on the task as it came. */
  taskInfo?: V1Json;
  /** `CommandInfo.uris`: fetched into the sandbox before the command starts. */
  uris?: CommandUri[];
}

/** What runs tasks under executors the framework named, and task groups, on the agents. */
export interface ExecutorRuntime {
  /** Kills a task that runs under such an executor; resolves once it is terminal. */
  killTask(task: TaskRecord, graceMs: number): Promise<void>;
  /** Shuts down the framework's executors on every agent (after a teardown). */
  shutdownFramework(frameworkId: string): Promise<void>;
  /** A scheduler's SHUTDOWN call: SHUTDOWN to the executor, SIGKILL after its grace; false if none runs. */
  shutdownFrameworkExecutor(agentId: string, frameworkId: string, executorId: string): Promise<boolean>;
  /** Stops every executor: SIGTERM, then SIGKILL after the grace period. */
  shutdown(): Promise<void>;
  /** Synchronous last resort: SIGKILL every executor's process group. */
  killAllNow(): void;
  /** A framework's MESSAGE for one of its executors (base64 `data`); false when it is not subscribed. */
  sendMessage(agentId: string, frameworkId: string, executorId: string, data: string): boolean;
  /** Where an executor's MESSAGE call goes (the scheduler API passes it on to the framework). */
  onExecutorMessage?: (message: {
    frameworkId: string;
    agentId: string;
    executorId: string;
    data: string;
  }) => void;
}

/** Static master settings. */
export interface MasterConfig {
  masterId: string;
  host: string;
  clusterName: string;
  workDir: string;
  ids: IdSource;
  log?: (line: string) => void;
  /** `--max_completed_tasks_per_framework`: how many ended tasks each framework's list keeps. */
  maxCompletedTasksPerFramework?: number;
  /** `--max_completed_frameworks`: how many torn-down frameworks `completed_frameworks` keeps. */
  maxCompletedFrameworks?: number;
}

/**
 * The master of the local cluster: the shared master model (frameworks, tasks, offers, events) over local
 * agents, with the allocator that makes its offers and the machinery that runs command tasks as processes.
 */
export class ClusterCore extends MasterModel<LocalAgent> {
  readonly workDir: string;
  /** Makes the offers (see master/allocator). */
  readonly allocator: Allocator<LocalAgent>;
  /**
   * Terminal tasks whose terminal update the framework has not acknowledged yet. As in Mesos, their resources
   * were recovered when they became terminal; the master still answers reconciliation with their state.
   */
  readonly unacknowledgedTerminal = new UnacknowledgedTasks();
  /** Runs tasks that name an executor, and task groups; without it they fail as unsupported. */
  executorLauncher?: (req: ExecutorLaunchRequest) => void;
  /** Delivers a scheduler's MESSAGE to its executor (`data` is base64, as the call carries it). */
  executorMessenger?: (message: {
    frameworkId: string;
    agentId: string;
    executorId: string;
    data: string;
  }) => void;
  /** The scheduler API (executors send MESSAGE and FAILURE to frameworks through it). */
  scheduler?: SchedulerMaster;
  /** Told of every offer withdrawn by the master (not of offers a framework used or declined). */
  onOfferRescinded?: (offer: OfferRecord) => void;
  /** Kills, tears down and shuts down what {@link executorLauncher} started (set with it). */
  executorRuntime?: ExecutorRuntime;
  /** Runs command tasks as processes in their sandboxes. */
  readonly runner: TaskRunner = new ProcessRunner({
    closed: () => this.closing,
    agent: (agentId) => this.agent(agentId),
    report: (task, state, extra) => this.updateStatus(task, state, extra),
  });
  private closing = false;
  private readonly sink: ((line: string) => void) | undefined;

  constructor(config: MasterConfig) {
    const workDir = join(config.workDir, 'master');
    mkdirSync(workDir, { recursive: true });
    super({
      masterId: config.masterId,
      host: config.host,
      clusterName: config.clusterName,
      ids: config.ids,
      masterWorkDir: workDir,
      logSink: config.log,
      limits: {
        maxCompletedTasksPerFramework: config.maxCompletedTasksPerFramework,
        completedFrameworks: config.maxCompletedFrameworks,
      },
    });
    this.workDir = workDir;
    this.sink = config.log;
    this.allocator = new Allocator(this);
  }

  /** True once {@link shutdown} has begun. */
  get closed(): boolean {
    return this.closing;
  }

  /**
   * Another master takes over after a failover: the state, pid, `leader_info` and new ids name it from now
   * on. Agents and frameworks carry over, as they re-register with the new leader in Mesos.
   */
  takeLeadership(master: { id: string; port: number; startTime: number }): void {
    this.masterId = master.id;
    this.masterPort = master.port;
    this.startTime = master.startTime;
    this.electedTime = nowSecs();
    this.log.log('I', 'master.cpp:2136', `Master ${master.id} (${this.host}) elected as the leading master!`);
  }

  /** Adds an agent (already listening) to the master. */
  registerAgent(agent: LocalAgent): void {
    this.agents.push(agent);
    this.counters.agentRegistrations++;
    agent.registeredTime = nowSecs();
    this.log.log(
      'I',
      'master.cpp:7235',
      `Registered agent ${agent.id} at ${agent.pid} (${agent.hostname}) with ${describe(agent.resources)}`,
    );
    agent.log.log('I', 'slave.cpp:1410', `Registered with master ${this.pid}; given agent ID ${agent.id}`);
    this.events.emit({ type: 'AGENT_ADDED', agent });
    this.allocator.trigger();
  }

  /** Finds an agent by id. */
  agent(agentId: string): LocalAgent | undefined {
    return this.agents.find((a) => a.id === agentId);
  }

  /** Registers a framework (see {@link MasterModel.registerFramework}), as the master logs it. */
  override registerFramework(spec: FrameworkSpec): FrameworkRecord {
    const framework = super.registerFramework(spec);
    this.log.log(
      'I',
      'master.cpp:2677',
      `Received SUBSCRIBE call for framework '${framework.name}' at ${framework.hostname}`,
    );
    this.log.log(
      'I',
      'master.cpp:10162',
      `Adding framework ${framework.id} (${framework.name}) with roles { ${framework.roles.join(', ')} } suppressed {  }`,
    );
    return framework;
  }

  /** Kills the framework's tasks and moves it to `completed_frameworks`. */
  async teardownFramework(frameworkId: string): Promise<void> {
    const framework = this.frameworks.get(frameworkId);
    if (!framework) return;
    this.log.log(
      'I',
      'master.cpp:1503',
      `Processing TEARDOWN call for framework ${frameworkId} (${framework.name})`,
    );
    this.allocator.removeFramework(frameworkId);
    this.unacknowledgedTerminal.dropFramework(frameworkId);
    await Promise.all([...framework.tasks.keys()].map((taskId) => this.killTask(taskId)));
    await this.executorRuntime?.shutdownFramework(frameworkId);
    this.retireFramework(framework);
    this.log.log('I', 'master.cpp:11187', `Removing framework ${frameworkId} (${framework.name})`);
  }

  agentViews(): AgentView[] {
    return this.agents.map((agent) => localAgentView(this, agent));
  }

  /** Static and dynamic reservations of the agents, by role, and what the role's tasks use of them. */
  override roleReservations(): RoleReservations {
    const allocated = new Map<string, ClusterResources>();
    for (const agent of this.agents) {
      for (const [role, r] of allocationSplit(this, agent).reserved)
        allocated.set(role, sumResources([allocated.get(role) ?? emptyResources(), r]));
    }
    return { reserved: reservedByRole(this.agents), allocated };
  }

  /** Resources of live tasks on an agent. */
  usedOn(agentId: string): ClusterResources {
    return sumResources(this.liveTasks(agentId).map((t) => t.resources));
  }

  /** Resources in outstanding offers on an agent. */
  offeredOn(agentId: string): ClusterResources {
    return sumResources(
      [...this.offers.values()].filter((o) => o.agentId === agentId).map((o) => o.resources),
    );
  }

  /** Resources neither used nor offered on an agent. */
  freeOn(agent: LocalAgent): ClusterResources {
    return subtractResources(
      subtractResources(agent.resources, this.usedOn(agent.id)),
      this.offeredOn(agent.id),
    );
  }

  /** Resources the role's live tasks use on an agent. */
  usedByRoleOn(agent: LocalAgent, role: string): ClusterResources {
    return sumResources(
      this.liveTasks(agent.id)
        .filter((t) => t.role === role)
        .map((t) => t.resources),
    );
  }

  /** All non-terminal tasks, optionally only those on one agent. */
  liveTasks(agentId?: string): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const framework of this.frameworks.values()) {
      for (const task of framework.tasks.values()) if (!agentId || task.agentId === agentId) out.push(task);
    }
    return out;
  }

  /**
   * Launches a command task: picks an agent where the resources fit (rescinding offers there
   * if needed), creates the sandbox, forks the process; resolves once the task is RUNNING.
   */
  async launchTask(spec: LaunchSpec): Promise<TaskRecord> {
    if (this.closing) throw new Error('The cluster is shutting down');
    const framework = this.frameworks.get(spec.frameworkId);
    if (!framework) throw new Error(`Unknown framework '${spec.frameworkId}'`);
    const wanted: ClusterResources = {
      ...emptyResources(),
      cpus: spec.cpus ?? 0.1,
      mem: spec.mem ?? 32,
      disk: spec.disk ?? 0,
    };
    const exactAgent = spec.resources && spec.agentId ? this.agent(spec.agentId) : undefined;
    const placement =
      exactAgent && spec.resources
        ? { agent: exactAgent, resources: spec.resources }
        : this.place(wanted, spec.ports ?? 0, spec.agentId);
    if (!placement) {
      throw new Error(
        `No agent has ${describe(wanted)}${spec.ports ? ` and ${spec.ports} ports` : ''} free` +
          (spec.agentId ? ` (agent ${spec.agentId})` : ''),
      );
    }
    const { agent, resources } = placement;
    const taskId = spec.taskId ?? `${spec.name}.${this.ids.uuid()}`;
    const task: TaskRecord = {
      id: taskId,
      name: spec.name,
      frameworkId: framework.id,
      agentId: agent.id,
      executorId: taskId,
      containerId: this.ids.uuid(),
      directory: '',
      command: spec.cmd,
      resources,
      role: spec.role ?? framework.roles[0] ?? '*',
      user: framework.user,
      state: 'TASK_STAGING',
      statuses: [],
      launchedAt: nowSecs(),
      killRequested: false,
      ...(spec.taskInfo ? { taskInfo: spec.taskInfo } : {}),
    };
    if (spec.extras) {
      const hostPorts = resources.ports.flatMap(([b, e]) =>
        Array.from({ length: e - b + 1 }, (_, i) => b + i),
      );
      task.extras = resolveTaskExtras(spec.extras, hostPorts, this.counters.launchTasks);
    }
    framework.tasks.set(taskId, task);
    this.events.emit({ type: 'TASK_ADDED', task });
    this.counters.launchTasks++;
    this.log.log(
      'I',
      'master.cpp:4384',
      `Launching task ${taskId} of framework ${framework.id} (${framework.name}) with resources ${describe(resources)} on agent ${agent.id} at ${agent.pid} (${agent.hostname})`,
    );
    agent.log.log('I', 'slave.cpp:2039', `Got assigned task '${taskId}' for framework ${framework.id}`);
    task.directory = agent.createSandbox(task);
    agent.addExecutor(task);
    agent.log.log(
      'I',
      'slave.cpp:9046',
      `Launching executor '${taskId}' of framework ${framework.id} with resources ${describe(resources)} in work directory '${task.directory}'`,
    );
    agent.log.log('I', 'containerizer.cpp:3324', `Starting container ${task.containerId}`);
    if (spec.uris && spec.uris.length > 0) {
      try {
        await fetchUris({ uris: spec.uris, sandbox: task.directory, containerId: task.containerId });
      } catch (error) {
        this.failLaunch(task, error as Error);
        throw error;
      }
      // Killed while its URIs were being fetched.
      if (TERMINAL_STATES.has(task.state)) return task;
    }
    await this.runner.start(task, { cmd: spec.cmd, env: spec.env });
    return task;
  }

  /** Kills a task's process group (TERM, then KILL after a grace period); resolves once terminal. */
  async killTask(taskId: string, graceMs = KILL_GRACE_MS): Promise<void> {
    const task = this.liveTask(taskId);
    if (!task) {
      if (this.findTask(taskId)) return;
      throw new Error(`Unknown task '${taskId}'`);
    }
    if (task.executorType && this.executorRuntime) {
      this.counters.killTasks++;
      return this.executorRuntime.killTask(task, graceMs);
    }
    this.counters.killTasks++;
    if (!this.runner.running(taskId)) {
      this.updateStatus(task, 'TASK_KILLED', { reason: 'REASON_TASK_KILLED_DURING_LAUNCH' });
      return;
    }
    if (!task.killRequested) {
      task.killRequested = true;
      this.log.log('I', 'master.cpp:5940', `Telling agent ${task.agentId} to kill task ${taskId}`);
      const framework = this.frameworks.get(task.frameworkId);
      if (framework?.capabilities.includes('TASK_KILLING_STATE')) this.updateStatus(task, 'TASK_KILLING', {});
    }
    await this.runner.kill(task, graceMs);
  }

  /** Offers part of an agent's free resources to a framework. */
  createOffer(
    frameworkId: string,
    agent: LocalAgent,
    resources: ClusterResources,
    role?: string,
  ): OfferRecord | undefined {
    const framework = this.frameworks.get(frameworkId);
    if (!framework || !schedulable(agent) || !fits(resources, this.freeOn(agent))) return undefined;
    const offer = this.addOffer({
      frameworkId,
      agentId: agent.id,
      role: role ?? framework.roles[0] ?? '*',
      resources,
    });
    this.log.log(
      'I',
      'master.cpp:9765',
      `Sending offer ${offer.id} containing resources ${describe(resources)} on agent ${agent.id} to framework ${frameworkId} (${framework.name})`,
    );
    return offer;
  }

  /** Withdraws an outstanding offer. */
  rescindOffer(offerId: string): void {
    const offer = this.removeOffer(offerId);
    if (!offer) return;
    this.log.log('I', 'master.cpp:11545', `Removing offer ${offerId}`);
    this.onOfferRescinded?.(offer);
  }

  /**
   * Kills every task process group: SIGTERM, then SIGKILL for whatever is still alive after
   * the grace period. Idempotent.
   */
  async shutdown(): Promise<void> {
    this.closing = true;
    this.allocator.stop();
    this.log.log('I', 'master.cpp:1211', 'Master terminating');
    const executors = this.executorRuntime?.shutdown();
    await this.runner.shutdown();
    this.executorRuntime?.killAllNow();
    await executors;
    this.log.close();
    for (const agent of this.agents) agent.log.close();
  }

  /** Synchronous last resort (e.g. from `process.on('exit')`): SIGKILL every task group. */
  killAllNow(): void {
    this.runner.killAllNow();
    this.executorRuntime?.killAllNow();
  }

  private place(
    wanted: ClusterResources,
    portCount: number,
    agentId: string | undefined,
  ): { agent: LocalAgent; resources: ClusterResources } | undefined {
    const candidates = (
      agentId ? this.agents.filter((a) => a.id === agentId) : this.leastLoadedAgents()
    ).filter(schedulable);
    const tryAgents = (free: (a: LocalAgent) => ClusterResources) => {
      for (const agent of candidates) {
        const available = free(agent);
        const ports = portCount > 0 ? pickPorts(available.ports, portCount) : [];
        if (ports && fits({ ...wanted, ports }, available)) return { agent, resources: { ...wanted, ports } };
      }
      return undefined;
    };
    const direct = tryAgents((a) => this.freeOn(a));
    if (direct) return direct;
    // Like the allocator: resources sitting in offers can be rescinded to make room.
    const afterRescind = tryAgents((a) => subtractResources(a.resources, this.usedOn(a.id)));
    if (afterRescind) {
      for (const offer of [...this.offers.values()]) {
        if (offer.agentId === afterRescind.agent.id) this.rescindOffer(offer.id);
      }
    }
    return afterRescind;
  }

  private leastLoadedAgents(): LocalAgent[] {
    const load = (a: LocalAgent) => this.liveTasks(a.id).length;
    return [...this.agents].sort((a, b) => load(a) - load(b) || a.index - b.index);
  }

  /** A task whose container could not be launched (e.g. a URI that could not be fetched) fails. */
  failLaunch(task: TaskRecord, error: Error): void {
    this.agent(task.agentId)?.log.log(
      'E',
      'slave.cpp:7004',
      `Container '${task.containerId}' for executor '${task.executorId}' of framework ${task.frameworkId} failed to start: ${error.message}`,
    );
    this.updateStatus(task, 'TASK_FAILED', {
      source: 'SOURCE_AGENT',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
      message: `Failed to launch container: ${error.message}`,
    });
  }

  /**
   * Records a status update of a task: the one path by which the master learns a task's state (from the
   * command executor, an executor's UPDATE call, or the agent itself): the operator API's TASK_UPDATED, and
   * the framework's UPDATE on the scheduler API (resent until acknowledged). Updates after a terminal one are
   * ignored; terminal updates release the task from the agent, and a command task's executor completes with it.
   */
  updateStatus(
    task: TaskRecord,
    state: TaskState,
    extra: Pick<TaskStatusJson, 'reason' | 'message' | 'container_status' | 'healthy' | 'source'>,
  ): void {
    if (TERMINAL_STATES.has(task.state)) return;
    const status: TaskStatusJson = { state, timestamp: nowSecs(), source: 'SOURCE_EXECUTOR', ...extra };
    // Real Mesos keeps the container status of the RUNNING update on later updates too.
    const previous = task.statuses.find((s) => s.container_status)?.container_status;
    if (!status.container_status && previous) status.container_status = previous;
    const agent = this.agent(task.agentId);
    this.recordStatus(task, status, agent);
    this.events.emit({ type: 'TASK_UPDATED', task, status });
    const uuid = this.ids.uuid();
    agent?.log.log(
      'I',
      'slave.cpp:5936',
      `Handling status update ${state} (Status UUID: ${uuid}) for task ${task.id} of framework ${task.frameworkId}`,
    );
    this.log.log(
      'I',
      'master.cpp:8601',
      `Status update ${state} (Status UUID: ${uuid}) for task ${task.id} of framework ${task.frameworkId}` +
        (extra.message ? ` (${extra.message})` : ''),
    );
    if (!TERMINAL_STATES.has(state)) return;

    this.releaseTask(task, state, agent);
    this.allocator.trigger();
    // An executor the framework named outlives its tasks: it completes when its process ends.
    if (!task.executorType) {
      agent?.completeExecutor(task.executorId);
      agent?.log.log(
        'I',
        'slave.cpp:6987',
        `Executor '${task.executorId}' of framework ${task.frameworkId} ${state === 'TASK_FINISHED' ? 'exited with status 0' : `terminated (${state})`}`,
      );
    }
    if (!this.closing) this.sink?.(`task ${task.id} ${state}`);
  }
}

/** Deactivated (or draining) and partitioned agents get no offers and no new tasks. */
function schedulable(agent: LocalAgent): boolean {
  return !agent.deactivated && !agent.partitioned;
}

/** How Mesos logs resources: `cpus(allocated: *):0.1; mem(allocated: *):32; ports(...):[...]`. */
export function describe(r: ClusterResources): string {
  const json = resourcesJson(r);
  return Object.entries(json)
    .filter(([key, value]) => key === 'ports' || (typeof value === 'number' && value > 0))
    .map(([key, value]) => `${key}:${key === 'ports' ? formatRanges(r.ports) : value}`)
    .join('; ');
}
