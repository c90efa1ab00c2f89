import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalAgent } from './agent-node';
import type { MaintenanceState } from './master-server';
import { fetchUris } from './agent/fetcher';
import { GlogFile } from './glog';
import type { CommandUri, ExecutorLaunchRequest, V1Json } from './launch-contract';
import { Allocator } from './master/allocator/allocator';
import { UnacknowledgedTasks } from './master/unacknowledged-tasks';
import type { SchedulerMaster } from './master/scheduler-api/scheduler-master';
import type { IdSource } from './ids';
import { nowSecs } from './ids';
import { TERMINAL_STATES } from './model';
import { MasterEventBus } from './operator-api/master-events';
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
import { startHealthCheck } from './health-checks';
import { resolveTaskExtras } from './task-extras';
import type { TaskExtrasSpec } from './task-extras';
import { processGroupAlive, signalProcessGroup, spawnTaskProcess } from './task-process';
import type { TaskExit } from './task-process';

/** Mesos's `--max_completed_tasks_per_framework` default. */
export const MAX_COMPLETED_TASKS_PER_FRAMEWORK = 1000;
/** Mesos's `--max_completed_frameworks` default. */
export const MAX_COMPLETED_FRAMEWORKS = 50;
/** Grace period between SIGTERM and SIGKILL when killing a task. */
export const KILL_GRACE_MS = 2000;

/** Everything a framework says when it registers. */
export interface FrameworkSpec {
  /** Set when a framework re-subscribes with an id this master does not know. */
  id?: string;
  name: string;
  user?: string;
  hostname?: string;
  principal?: string;
  webuiUrl?: string;
  roles?: string[];
  singleRole?: boolean;
  capabilities?: string[];
  failoverTimeout?: number;
  checkpoint?: boolean;
}

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

/** Quota configured for a role (`/master/roles`). */
export interface RoleQuota {
  guarantee?: Partial<Record<'cpus' | 'mem' | 'disk' | 'gpus', number>>;
  limit?: Partial<Record<'cpus' | 'mem' | 'disk' | 'gpus', number>>;
}

interface LiveProcess {
  pgid: number;
  exited: Promise<TaskExit>;
  killTimer?: NodeJS.Timeout;
}

/** Static master settings. */
export interface MasterConfig {
  masterId: string;
  host: string;
  clusterName: string;
  workDir: string;
  ids: IdSource;
  log?: (line: string) => void;
}

/**
 * The master's view of the cluster plus the machinery that runs tasks on the local agents:
 * frameworks, tasks and their status updates, resource accounting, offers, counters.
 */
export class ClusterCore {
  /** The leading master's id (it changes on failover; new framework and offer ids carry it, as in Mesos). */
  masterId: string;
  readonly host: string;
  readonly clusterName: string;
  readonly workDir: string;
  readonly logDir: string;
  readonly log: GlogFile;
  readonly ids: IdSource;
  startTime = nowSecs();
  electedTime = this.startTime;
  masterPort = 0;
  /** `--max_completed_tasks_per_framework`: how many ended tasks each framework's list keeps. */
  maxCompletedTasksPerFramework = MAX_COMPLETED_TASKS_PER_FRAMEWORK;
  readonly agents: LocalAgent[] = [];
  readonly frameworks = new Map<string, FrameworkRecord>();
  readonly completedFrameworks: FrameworkRecord[] = [];
  readonly offers = new Map<string, OfferRecord>();
  readonly quotas = new Map<string, RoleQuota>();
  /** Role weights (`/master/weights`); a role without one weighs 1. */
  readonly weights = new Map<string, number>();
  /** What `/master/maintenance/schedule` and `/master/maintenance/status` serve (`{}` when nothing is planned). */
  readonly maintenance: MaintenanceState = { schedule: {}, status: {} };
  /** Agents the master gave up on (removed from `agents`; see agent-lifecycle.ts). */
  readonly unreachableAgents: LocalAgent[] = [];
  /** Changes as the operator API's SUBSCRIBE stream announces them. */
  readonly events = new MasterEventBus();
  /** Lifetime counters for `master/*` metrics. */
  readonly counters = {
    terminalTasks: new Map<string, number>(),
    validStatusUpdates: 0,
    launchTasks: 0,
    killTasks: 0,
    offersSent: 0,
    offersRescinded: 0,
    offersDeclined: 0,
    offersAccepted: 0,
    frameworkRegistrations: 0,
    agentRemovals: 0,
  };
  /** Makes the offers (see master/allocator). */
  readonly allocator: Allocator;
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
  private readonly processes = new Map<string, LiveProcess>();
  private forkQueue: Promise<void> = Promise.resolve();
  private frameworkSeq = 0;
  private offerSeq = 0;
  private closing = false;
  private readonly sink: ((line: string) => void) | undefined;

  constructor(config: MasterConfig) {
    this.masterId = config.masterId;
    this.host = config.host;
    this.clusterName = config.clusterName;
    this.workDir = join(config.workDir, 'master');
    this.logDir = join(this.workDir, 'log');
    this.ids = config.ids;
    this.sink = config.log;
    this.allocator = new Allocator(this);
    mkdirSync(this.workDir, { recursive: true });
    this.log = new GlogFile(
      join(this.logDir, 'mesos-master.INFO'),
      config.log && ((l) => config.log?.(`[master] ${l}`)),
    );
    this.log.log('I', 'main.cpp:395', `Build: 2020-11-19 16:25:40 by mesoscope`);
    this.log.log('I', 'main.cpp:397', 'Version: 1.11.0');
    this.log.log('I', 'master.cpp:416', `Master ${this.masterId} (${this.host}) started`);
    this.log.log('I', 'master.cpp:2136', 'Elected as the leading master!');
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

  /** `master@host:port`. */
  get pid(): string {
    return `master@${this.host}:${this.masterPort}`;
  }

  /** Adds an agent (already listening) to the master. */
  registerAgent(agent: LocalAgent): void {
    this.agents.push(agent);
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

  /**
   * Registers a framework and returns it (ids are `<masterId>-0000`, `-0001`, ...; a framework that comes
   * back to a new master keeps the id it gives).
   */
  registerFramework(spec: FrameworkSpec): FrameworkRecord {
    const id = spec.id ?? `${this.masterId}-${String(this.frameworkSeq++).padStart(4, '0')}`;
    const framework: FrameworkRecord = {
      id,
      name: spec.name,
      user: spec.user ?? 'root',
      hostname: spec.hostname ?? this.host,
      principal: spec.principal,
      webuiUrl: spec.webuiUrl ?? '',
      roles: spec.roles ?? ['*'],
      singleRole: spec.singleRole ?? false,
      capabilities: spec.capabilities ?? [],
      failoverTimeout: spec.failoverTimeout ?? 0,
      checkpoint: spec.checkpoint ?? false,
      registeredTime: nowSecs(),
      unregisteredTime: 0,
      active: true,
      tasks: new Map(),
      completedTasks: [],
      unreachableTasks: [],
    };
    this.frameworks.set(id, framework);
    this.counters.frameworkRegistrations++;
    this.events.emit({ type: 'FRAMEWORK_ADDED', framework });
    this.log.log(
      'I',
      'master.cpp:2677',
      `Received SUBSCRIBE call for framework '${framework.name}' at ${framework.hostname}`,
    );
    this.log.log(
      'I',
      'master.cpp:10162',
      `Adding framework ${id} (${framework.name}) with roles { ${framework.roles.join(', ')} } suppressed {  }`,
    );
    return framework;
  }

  /** Finds a registered framework by name. */
  frameworkByName(name: string): FrameworkRecord | undefined {
    return [...this.frameworks.values()].find((f) => f.name === name);
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
    framework.active = false;
    framework.unregisteredTime = nowSecs();
    this.frameworks.delete(frameworkId);
    this.completedFrameworks.push(framework);
    if (this.completedFrameworks.length > MAX_COMPLETED_FRAMEWORKS) this.completedFrameworks.shift();
    this.events.emit({ type: 'FRAMEWORK_REMOVED', framework });
    this.log.log('I', 'master.cpp:11187', `Removing framework ${frameworkId} (${framework.name})`);
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

  /** All non-terminal tasks, optionally only those on one agent. */
  liveTasks(agentId?: string): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const framework of this.frameworks.values()) {
      for (const task of framework.tasks.values()) if (!agentId || task.agentId === agentId) out.push(task);
    }
    return out;
  }

  /** Finds a task (live or completed) by id. */
  findTask(taskId: string): TaskRecord | undefined {
    for (const framework of [...this.frameworks.values(), ...this.completedFrameworks]) {
      const live = framework.tasks.get(taskId);
      if (live) return live;
      const done = framework.completedTasks.find((t) => t.id === taskId);
      if (done) return done;
    }
    return undefined;
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
    agent.writeSandbox(
      task,
      'stderr',
      `${glogStamp('I')} exec.cpp:162] Version: 1.11.0\n${glogStamp('I')} exec.cpp:236] Executor registered on agent ${agent.id}\n`,
    );
    agent.writeSandbox(
      task,
      'stdout',
      `Received SUBSCRIBED event\nSubscribed executor on ${agent.hostname}\nReceived LAUNCH event\nStarting task ${taskId}\n`,
    );
    const env: Record<string, string> = {
      HOME: process.env.HOME ?? '/',
      HOST: agent.hostname,
      MESOS_SANDBOX: task.directory,
      MESOS_DIRECTORY: task.directory,
      MESOS_TASK_ID: taskId,
      MESOS_FRAMEWORK_ID: framework.id,
      MESOS_AGENT_ID: agent.id,
      MESOS_SLAVE_ID: agent.id,
      MESOS_EXECUTOR_ID: taskId,
      MESOS_CONTAINER_ID: task.containerId,
      ...spec.env,
    };
    const ports = resources.ports.flatMap(([b, e]) => Array.from({ length: e - b + 1 }, (_, i) => b + i));
    ports.forEach((port, i) => (env[`PORT${i}`] = String(port)));
    if (ports[0] !== undefined) env.PORT = String(ports[0]);
    if (ports.length > 0) env.PORTS = ports.join(',');

    // Forking blocks the event loop (tens of ms in a big process): one fork per turn of the loop keeps the
    // APIs answering while a framework launches hundreds of tasks at once.
    const turn = this.forkQueue.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.forkQueue = turn;
    await turn;
    if (TERMINAL_STATES.has(task.state) || this.closing) {
      if (!TERMINAL_STATES.has(task.state)) {
        this.updateStatus(task, 'TASK_KILLED', { reason: 'REASON_TASK_KILLED_DURING_LAUNCH' });
      }
      return task;
    }
    let child;
    try {
      child = await spawnTaskProcess({ cmd: spec.cmd, sandbox: task.directory, env });
    } catch (error) {
      this.updateStatus(task, 'TASK_FAILED', {
        reason: 'REASON_EXECUTOR_TERMINATED',
        message: `Failed to launch container: ${(error as Error).message}`,
      });
      throw error;
    }
    task.pid = child.pid;
    if (TERMINAL_STATES.has(task.state)) {
      // Killed while it was being forked.
      signalProcessGroup(child.pid, 'SIGKILL');
      return task;
    }
    this.processes.set(taskId, { pgid: child.pid, exited: child.exited });
    agent.writeSandbox(task, 'stdout', `Forked command at ${child.pid}\nsh -c '${spec.cmd}'\n`);
    // The CLI and the UI read the container (and its pid) from the very first update.
    const containerStatus: TaskStatusJson['container_status'] = {
      container_id: { value: task.containerId },
      executor_pid: child.pid,
      network_infos: [
        { ip_addresses: [{ protocol: 'IPv4', ip_address: task.extras?.containerIp ?? agent.hostname }] },
      ],
    };
    this.updateStatus(task, 'TASK_STARTING', { container_status: containerStatus });
    this.updateStatus(task, 'TASK_RUNNING', { container_status: containerStatus });
    const healthCheck = task.extras?.healthCheck;
    if (healthCheck) {
      startHealthCheck({
        spec: healthCheck,
        sandbox: task.directory,
        live: () => task.state === 'TASK_RUNNING' && !this.closing,
        report: (healthy) =>
          this.updateStatus(task, 'TASK_RUNNING', {
            healthy,
            reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
          }),
      });
    }
    void child.exited.then((exit) => this.onExit(task, exit));
    // A shutdown that started while we were forking must not leave this process behind.
    if (this.closing) signalProcessGroup(child.pid, 'SIGKILL');
    return task;
  }

  /** Kills a task's process group (TERM, then KILL after a grace period); resolves once terminal. */
  async killTask(taskId: string, graceMs = KILL_GRACE_MS): Promise<void> {
    const task = this.liveTasks().find((t) => t.id === taskId);
    if (!task) {
      if (this.findTask(taskId)) return;
      throw new Error(`Unknown task '${taskId}'`);
    }
    if (task.executorType && this.executorRuntime) {
      this.counters.killTasks++;
      return this.executorRuntime.killTask(task, graceMs);
    }
    const live = this.processes.get(taskId);
    this.counters.killTasks++;
    if (!live) {
      this.updateStatus(task, 'TASK_KILLED', { reason: 'REASON_TASK_KILLED_DURING_LAUNCH' });
      return;
    }
    if (!task.killRequested) {
      task.killRequested = true;
      this.log.log('I', 'master.cpp:5940', `Telling agent ${task.agentId} to kill task ${taskId}`);
      const framework = this.frameworks.get(task.frameworkId);
      if (framework?.capabilities.includes('TASK_KILLING_STATE')) this.updateStatus(task, 'TASK_KILLING', {});
      this.agent(task.agentId)?.writeSandbox(
        task,
        'stdout',
        'Received KILL event\nSending SIGTERM to process tree\n',
      );
      signalProcessGroup(live.pgid, 'SIGTERM');
      live.killTimer = setTimeout(() => signalProcessGroup(live.pgid, 'SIGKILL'), graceMs);
      live.killTimer.unref();
    }
    await live.exited;
    // `onExit` runs in a `then` attached earlier, so it has already recorded the terminal state.
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
    const offer: OfferRecord = {
      id: `${this.masterId}-O${this.offerSeq++}`,
      frameworkId,
      agentId: agent.id,
      role: role ?? framework.roles[0] ?? '*',
      resources,
    };
    this.offers.set(offer.id, offer);
    this.counters.offersSent++;
    this.log.log(
      'I',
      'master.cpp:9765',
      `Sending offer ${offer.id} containing resources ${describe(resources)} on agent ${agent.id} to framework ${frameworkId} (${framework.name})`,
    );
    return offer;
  }

  /** Withdraws an outstanding offer. */
  rescindOffer(offerId: string): void {
    const offer = this.offers.get(offerId);
    if (!offer) return;
    this.offers.delete(offerId);
    this.counters.offersRescinded++;
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
    const live = [...this.processes.values()];
    for (const p of live) signalProcessGroup(p.pgid, 'SIGTERM');
    const deadline = Date.now() + KILL_GRACE_MS;
    while (Date.now() < deadline && live.some((p) => processGroupAlive(p.pgid))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.killAllNow();
    await Promise.all(live.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 500))])));
    for (const p of live) if (p.killTimer) clearTimeout(p.killTimer);
    await executors;
    this.log.close();
    for (const agent of this.agents) agent.log.close();
  }

  /** Synchronous last resort (e.g. from `process.on('exit')`): SIGKILL every task group. */
  killAllNow(): void {
    for (const p of this.processes.values()) signalProcessGroup(p.pgid, 'SIGKILL');
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

  private onExit(task: TaskRecord, exit: TaskExit): void {
    const live = this.processes.get(task.id);
    if (live?.killTimer) clearTimeout(live.killTimer);
    this.processes.delete(task.id);
    // Like destroying the container: nothing the task started may outlive it (incl. the watchdog).
    if (task.pid !== undefined) signalProcessGroup(task.pid, 'SIGKILL');
    const agent = this.agent(task.agentId);
    // A partitioned agent's processes die unseen: the master hears nothing until it marks the agent unreachable.
    if (!agent || agent.partitioned) return;
    const signalName = exit.signal ?? undefined;
    if (task.killRequested || (this.closing && signalName)) {
      agent?.writeSandbox(
        task,
        'stdout',
        `Command terminated with signal ${signalName ?? 'SIGTERM'} (pid: ${task.pid})\n`,
      );
      this.updateStatus(task, 'TASK_KILLED', {
        message: `Command terminated with signal ${signalDescription(signalName ?? 'SIGTERM')}`,
      });
    } else if (signalName) {
      agent?.writeSandbox(
        task,
        'stdout',
        `Command terminated with signal ${signalName} (pid: ${task.pid})\n`,
      );
      this.updateStatus(task, 'TASK_FAILED', {
        message: `Command terminated with signal ${signalDescription(signalName)}`,
      });
    } else {
      const code = exit.code ?? 0;
      agent?.writeSandbox(task, 'stdout', `Command exited with status ${code} (pid: ${task.pid})\n`);
      this.updateStatus(task, code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED', {
        message: `Command exited with status ${code}`,
      });
    }
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
    task.statuses.push(status);
    task.state = state;
    this.counters.validStatusUpdates++;
    this.events.emit({ type: 'TASK_UPDATED', task, status });
    const framework = this.frameworks.get(task.frameworkId);
    const agent = this.agent(task.agentId);
    const uuid = this.ids.uuid();
    agent?.log.log(
      'I',
      'slave.cpp:5936',
      `Handling status update ${state} (Status UUID: ${uuid}) for task ${task.id} of framework ${task.frameworkId}`,
    );
    if (agent) agent.counters.statusUpdates++;
    this.log.log(
      'I',
      'master.cpp:8601',
      `Status update ${state} (Status UUID: ${uuid}) for task ${task.id} of framework ${task.frameworkId}` +
        (extra.message ? ` (${extra.message})` : ''),
    );
    if (!TERMINAL_STATES.has(state)) return;

    this.counters.terminalTasks.set(state, (this.counters.terminalTasks.get(state) ?? 0) + 1);
    this.allocator.trigger();
    if (agent) agent.counters.terminalTasks.set(state, (agent.counters.terminalTasks.get(state) ?? 0) + 1);
    if (framework) {
      framework.tasks.delete(task.id);
      framework.completedTasks.push(task);
      while (framework.completedTasks.length > this.maxCompletedTasksPerFramework)
        framework.completedTasks.shift();
    }
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

function signalDescription(signal: string): string {
  const names: Record<string, string> = {
    SIGTERM: 'Terminated',
    SIGKILL: 'Killed',
    SIGINT: 'Interrupt',
    SIGSEGV: 'Segmentation fault',
    SIGABRT: 'Aborted',
    SIGHUP: 'Hangup',
  };
  return names[signal] ?? signal;
}

function glogStamp(severity: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${severity}${p(d.getMonth() + 1)}${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')} ${String(process.pid).padStart(5, ' ')}`;
}
