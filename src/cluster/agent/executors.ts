/**
 * Executors the framework names, on the local agents (src/slave/slave.cpp): a custom executor's command
 * runs in a fresh sandbox with the environment Mesos gives it and talks to its agent through the executor
 * API; a task group runs under the default executor, which the agent runs itself. Tasks wait in the queue
 * until their executor subscribes; an executor that never subscribes is killed after the registration
 * timeout, and one that ends takes its unfinished tasks with it (TASK_FAILED, REASON_EXECUTOR_TERMINATED).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalAgent } from './agent-node';
import type { ClusterCore, ExecutorRuntime } from '../master/cluster-core';
import { KILL_GRACE_MS, describe } from '../master/cluster-core';
import { nowSecs } from '../master/ids';
import type { ExecutorLaunchRequest, V1Json } from './launch-contract';
import { TERMINAL_STATES } from '../master/model';
import type { ExecutorRecord, FrameworkRecord, TaskRecord, TaskState, TaskStatusJson } from '../master/model';
import { operatorMasterOf } from '../operator-api/core-master';
import { agentV1, frameworkInfoV1 } from '../operator-api/v1-json';
import { sumResources } from '../master/resources';
import { resolveTaskExtras } from '../master/task-extras';
import { signalProcessGroup, spawnTaskProcess } from '../runner/task-process';
import type { TaskExit } from '../runner/task-process';
import { DefaultExecutor } from './default-executor';
import { fetchUris } from './fetcher';
import {
  allocationRole,
  asArray,
  asObject,
  environmentOf,
  idValue,
  invalidId,
  labelsFromV1,
  resourcesFromV1,
  shellCommand,
  stringifyDuration,
  urisOf,
} from './executor-info';

/** `--executor_registration_timeout` (1 min in Mesos). */
export const EXECUTOR_REGISTRATION_TIMEOUT_MS = 60_000;
/** `--executor_shutdown_grace_period` (5 s in Mesos). */
export const EXECUTOR_SHUTDOWN_GRACE_MS = 5_000;
/** `DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL` (30 s in Mesos). */
export const EXECUTOR_HEARTBEAT_INTERVAL_MS = 30_000;
/** `--recovery_timeout` and `--executor_reregistration_timeout`, as executors of checkpointing frameworks see them. */
const RECOVERY_TIMEOUT = '15mins';
const SUBSCRIPTION_BACKOFF_MAX = '2secs';

export interface ExecutorRuntimeOptions {
  registrationTimeoutMs?: number;
  shutdownGraceMs?: number;
  heartbeatIntervalMs?: number;
}

/** Where an executor's events go: its SUBSCRIBE stream (or, for the default executor, the agent itself). */
export interface ExecutorConnection {
  send(event: V1Json): void;
  close(): void;
}

type ExecutorState = 'REGISTERING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED';

/** Why the agent ends an executor, told to its unfinished tasks (`pendingTermination` in Mesos). */
interface Termination {
  state: TaskState;
  reason: string;
  message: string;
}

/** One executor run on one agent. */
export class RunningExecutor {
  state: ExecutorState = 'REGISTERING';
  connection: ExecutorConnection | undefined;
  /** LAUNCH / LAUNCH_GROUP events waiting for the executor to subscribe. */
  readonly pending: V1Json[] = [];
  readonly queued = new Set<string>();
  /** TaskInfo of every task, as the scheduler sent it. */
  readonly taskInfos = new Map<string, V1Json>();
  readonly record: ExecutorRecord;
  termination: Termination | undefined;
  exited: Promise<void> | undefined;
  registrationTimer: NodeJS.Timeout | undefined;
  heartbeatTimer: NodeJS.Timeout | undefined;
  killTimer: NodeJS.Timeout | undefined;
  defaultExecutor: DefaultExecutor | undefined;
  /** Whether a LAUNCH or LAUNCH_GROUP ever reached the executor. */
  everSentTask = false;

  constructor(
    readonly agent: LocalAgent,
    readonly framework: FrameworkRecord,
    readonly info: V1Json,
    record: ExecutorRecord,
  ) {
    this.record = record;
  }

  get id(): string {
    return this.record.id;
  }

  get tasks(): TaskRecord[] {
    return this.record.tasks ?? [];
  }

  /** What every status of this executor's tasks carries (the agent fills it in, as Mesos does). */
  containerStatus(task?: TaskRecord): NonNullable<TaskStatusJson['container_status']> {
    const nested = task && this.defaultExecutor?.containerOf(task.id);
    return {
      container_id: nested
        ? { value: nested.containerId, parent: { value: this.record.containerId } }
        : { value: this.record.containerId },
      ...((nested?.pid ?? this.record.pid) !== undefined && { executor_pid: nested?.pid ?? this.record.pid }),
      network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: this.agent.address }] }],
    };
  }
}

/** The executors of every local agent; {@link ClusterCore.executorLauncher} hands them their tasks. */
export class AgentExecutors implements ExecutorRuntime {
  private readonly live = new Map<string, RunningExecutor>();
  private readonly registrationTimeoutMs: number;
  private readonly shutdownGraceMs: number;
  readonly heartbeatIntervalMs: number;
  /** An executor's MESSAGE call, for the scheduler API to pass on to its framework. */
  onExecutorMessage?: (message: {
    frameworkId: string;
    agentId: string;
    executorId: string;
    data: string;
  }) => void;

  constructor(
    private readonly core: ClusterCore,
    options: ExecutorRuntimeOptions = {},
  ) {
    this.registrationTimeoutMs = options.registrationTimeoutMs ?? EXECUTOR_REGISTRATION_TIMEOUT_MS;
    this.shutdownGraceMs = options.shutdownGraceMs ?? EXECUTOR_SHUTDOWN_GRACE_MS;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? EXECUTOR_HEARTBEAT_INTERVAL_MS;
  }

  /** The live (not yet terminated) executor with these ids on an agent. */
  find(agentId: string, frameworkId: string, executorId: string): RunningExecutor | undefined {
    return this.live.get(key(agentId, frameworkId, executorId));
  }

  /** Whether the agent runs any live executor of the framework. */
  hasFramework(agentId: string, frameworkId: string): boolean {
    for (const executor of this.live.values()) {
      if (executor.agent.id === agentId && executor.framework.id === frameworkId) return true;
    }
    return false;
  }

  /** Runs the request's tasks under its executor, starting the executor unless it already runs there. */
  launch(req: ExecutorLaunchRequest): void {
    const framework = this.core.frameworks.get(req.frameworkId);
    const agent = this.core.agent(req.agentId);
    if (!framework || !agent) {
      throw new Error(`Unknown ${framework ? `agent '${req.agentId}'` : `framework '${req.frameworkId}'`}`);
    }
    const executorId = idValue(req.executor.executor_id);
    const invalid =
      (invalidId(executorId) && `Executor ID: ${invalidId(executorId)}`) ??
      req.tasks.map((t) => invalidId(idValue(t.task_id))).find(Boolean);
    if (invalid) {
      this.refuse(framework, agent, req, invalid);
      return;
    }
    const existing = this.find(agent.id, framework.id, executorId);
    if (existing && existing.state !== 'REGISTERING' && existing.state !== 'RUNNING') {
      // An executor on its way out takes no more tasks (Mesos drops them).
      const lost = framework.capabilities.includes('PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST';
      for (const info of req.tasks) {
        const task = this.addTask(existing, info, req.group);
        this.core.updateStatus(task, lost, {
          source: 'SOURCE_AGENT',
          reason: 'REASON_EXECUTOR_TERMINATED',
          message: 'Executor terminating',
          container_status: existing.containerStatus(),
        });
      }
      return;
    }
    const executor = existing ?? this.start(agent, framework, req.executor, req.group);
    const tasks = req.tasks.map((info) => this.addTask(executor, info, req.group));
    for (const task of tasks) {
      agent.log.log('I', 'slave.cpp:2039', `Got assigned task '${task.id}' for framework ${framework.id}`);
    }
    const withAgent = req.tasks.map((info) => ({ ...info, agent_id: { value: agent.id } }));
    const event: V1Json = req.group
      ? { type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: withAgent } } }
      : { type: 'LAUNCH', launch: { task: withAgent[0] } };
    if (executor.defaultExecutor) {
      executor.defaultExecutor.launchGroup(tasks, req.tasks);
    } else if (executor.state === 'RUNNING' && executor.connection) {
      executor.connection.send(event);
      executor.everSentTask = true;
    } else {
      executor.pending.push(event);
      for (const task of tasks) executor.queued.add(task.id);
    }
    this.refreshResources(executor);
  }

  /** Kills a task of an executor: KILL to a custom executor, the task's process under the default one. */
  async killTask(task: TaskRecord, graceMs: number): Promise<void> {
    const executor = this.find(task.agentId, task.frameworkId, task.executorId);
    if (!executor || TERMINAL_STATES.has(task.state)) return;
    if (executor.queued.has(task.id)) {
      executor.queued.delete(task.id);
      this.core.updateStatus(task, 'TASK_KILLED', {
        source: 'SOURCE_AGENT',
        reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
        message: 'Killed before delivery to the executor',
        container_status: executor.containerStatus(task),
      });
      return;
    }
    task.killRequested = true;
    if (executor.defaultExecutor) {
      await executor.defaultExecutor.kill(task.id, graceMs);
      return;
    }
    executor.connection?.send({ type: 'KILL', kill: { task_id: { value: task.id } } });
    // An executor that does not answer a kill within the grace period (plus its own) is shut down.
    const deadline = Date.now() + graceMs + this.shutdownGraceMs;
    while (!TERMINAL_STATES.has(task.state) && executor.state !== 'TERMINATED') {
      if (Date.now() > deadline) {
        await this.shutdownExecutor(executor);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Shuts down every executor of a framework (its tasks were killed already). */
  async shutdownFramework(frameworkId: string): Promise<void> {
    const executors = [...this.live.values()].filter((e) => e.framework.id === frameworkId);
    await Promise.all(executors.map((executor) => this.shutdownExecutor(executor)));
  }

  async shutdownFrameworkExecutor(
    agentId: string,
    frameworkId: string,
    executorId: string,
  ): Promise<boolean> {
    const executor = this.find(agentId, frameworkId, executorId);
    if (!executor) return false;
    await this.shutdownExecutor(executor);
    return true;
  }

  async shutdown(): Promise<void> {
    const executors = [...this.live.values()];
    for (const executor of executors) {
      executor.state = 'TERMINATING';
      executor.connection?.send({ type: 'SHUTDOWN' });
      if (executor.record.pid !== undefined) signalProcessGroup(executor.record.pid, 'SIGTERM');
      executor.defaultExecutor?.signalAll('SIGTERM');
    }
    const deadline = Date.now() + KILL_GRACE_MS;
    const running = () => executors.some((e) => this.live.has(keyOf(e)));
    while (Date.now() < deadline && running()) await new Promise((resolve) => setTimeout(resolve, 50));
    this.killAllNow();
    await Promise.all(
      executors.map((e) => Promise.race([e.exited, new Promise((resolve) => setTimeout(resolve, 500))])),
    );
    for (const executor of executors) this.clearTimers(executor);
  }

  killAllNow(): void {
    for (const executor of this.live.values()) {
      if (executor.record.pid !== undefined) signalProcessGroup(executor.record.pid, 'SIGKILL');
      executor.defaultExecutor?.signalAll('SIGKILL');
    }
  }

  /** SUBSCRIBE: the executor is RUNNING; it gets SUBSCRIBED, then every queued LAUNCH / LAUNCH_GROUP. */
  subscribe(executor: RunningExecutor, connection: ExecutorConnection): void {
    if (executor.state === 'TERMINATING' || executor.state === 'TERMINATED') {
      executor.agent.log.log(
        'W',
        'slave.cpp:5292',
        `Shutting down executor '${executor.id}' of framework ${executor.framework.id} because it is in unexpected state ${executor.state}`,
      );
      connection.send({ type: 'SHUTDOWN' });
      connection.close();
      return;
    }
    if (executor.connection) {
      executor.agent.log.log(
        'W',
        'slave.cpp:5303',
        `Closing already existing HTTP connection from executor '${executor.id}' of framework ${executor.framework.id}`,
      );
      executor.connection.close();
    }
    executor.agent.log.log(
      'I',
      'slave.cpp:5264',
      `Received Subscribe request for HTTP executor '${executor.id}' of framework ${executor.framework.id}`,
    );
    executor.state = 'RUNNING';
    executor.connection = connection;
    if (executor.registrationTimer) clearTimeout(executor.registrationTimer);
    executor.registrationTimer = undefined;
    // Tasks killed while queued are not delivered.
    const pending = executor.pending.splice(0).flatMap((event) => stillQueued(event, executor.queued));
    executor.queued.clear();
    if (!executor.everSentTask && pending.length === 0) {
      // MESOS-8411: an executor whose every task was killed before delivery is shut down.
      executor.agent.log.log(
        'W',
        'slave.cpp:5395',
        `Shutting down executor '${executor.id}' of framework ${executor.framework.id} because it has never been sent a task and all of its queued tasks have been killed before delivery`,
      );
      void this.shutdownExecutor(executor);
      return;
    }
    const { agent, framework } = executor;
    const agentInfo = agentV1(operatorMasterOf(this.core), agent).agent_info;
    connection.send({
      type: 'SUBSCRIBED',
      subscribed: {
        executor_info: executor.info,
        framework_info: frameworkInfoV1(framework),
        agent_info: agentInfo,
        container_id: { value: executor.record.containerId },
      },
    });
    for (const event of pending) connection.send(event);
    if (pending.length > 0) executor.everSentTask = true;
    if (executor.heartbeatTimer) clearInterval(executor.heartbeatTimer);
    executor.heartbeatTimer = setInterval(
      () => executor.connection?.send({ type: 'HEARTBEAT' }),
      this.heartbeatIntervalMs,
    );
    executor.heartbeatTimer.unref();
  }

  /** The SUBSCRIBE stream ended (the executor may reconnect while its process lives). */
  disconnected(executor: RunningExecutor, connection: ExecutorConnection): void {
    if (executor.connection !== connection) return;
    executor.connection = undefined;
    if (executor.heartbeatTimer) clearInterval(executor.heartbeatTimer);
    executor.heartbeatTimer = undefined;
  }

  /**
   * UPDATE from an executor: the master records the status, with the agent's container status, and the
   * executor hears ACKNOWLEDGED once it has.
   */
  update(executor: RunningExecutor, status: V1Json): void {
    const taskId = idValue(status.task_id);
    const task = executor.tasks.find((t) => t.id === taskId);
    const uuid = typeof status.uuid === 'string' ? status.uuid : '';
    const state = status.state as TaskState;
    executor.agent.log.log(
      'I',
      'slave.cpp:5936',
      `Handling status update ${state} (Status UUID: ${uuidText(uuid)}) for task ${taskId} of framework ${executor.framework.id}`,
    );
    if (task) {
      this.core.updateStatus(task, state, {
        source: 'SOURCE_EXECUTOR',
        ...(typeof status.reason === 'string' && { reason: status.reason }),
        ...(typeof status.message === 'string' && { message: status.message }),
        ...(typeof status.healthy === 'boolean' && { healthy: status.healthy }),
        container_status: executor.containerStatus(task),
      });
    } else {
      executor.agent.log.log(
        'W',
        'slave.cpp:5980',
        `Could not find task ${taskId} of executor '${executor.id}' of framework ${executor.framework.id}`,
      );
    }
    executor.connection?.send({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: taskId }, uuid } });
    this.refreshResources(executor);
  }

  /** MESSAGE from an executor, for its framework. */
  message(executor: RunningExecutor, data: string): void {
    executor.agent.log.log(
      'I',
      'slave.cpp:6232',
      `Handling status update from executor '${executor.id}' of framework ${executor.framework.id}: sending message to the framework`,
    );
    this.onExecutorMessage?.({
      frameworkId: executor.framework.id,
      agentId: executor.agent.id,
      executorId: executor.id,
      data,
    });
  }

  /** A framework's MESSAGE for one of its executors; false when no such executor is subscribed. */
  sendMessage(agentId: string, frameworkId: string, executorId: string, data: string): boolean {
    const executor = this.find(agentId, frameworkId, executorId);
    if (!executor?.connection) return false;
    executor.connection.send({ type: 'MESSAGE', message: { data } });
    return true;
  }

  /** Asks an executor to shut down (SHUTDOWN), and kills it after its grace period; resolves once it ended. */
  async shutdownExecutor(executor: RunningExecutor): Promise<void> {
    if (executor.state === 'TERMINATED') return;
    if (executor.state !== 'TERMINATING') {
      executor.state = 'TERMINATING';
      executor.agent.log.log(
        'I',
        'slave.cpp:6683',
        `Shutting down executor '${executor.id}' of framework ${executor.framework.id}`,
      );
      if (executor.defaultExecutor) {
        executor.defaultExecutor.shutdown(this.shutdownGraceMs);
      } else {
        if (executor.connection) executor.connection.send({ type: 'SHUTDOWN' });
        else if (executor.record.pid !== undefined) signalProcessGroup(executor.record.pid, 'SIGTERM');
        executor.killTimer = setTimeout(() => {
          if (executor.record.pid !== undefined) signalProcessGroup(executor.record.pid, 'SIGKILL');
        }, this.shutdownGraceMs);
        executor.killTimer.unref();
      }
    }
    await executor.exited;
  }

  private start(
    agent: LocalAgent,
    framework: FrameworkRecord,
    info: V1Json,
    group: boolean,
  ): RunningExecutor {
    const executorId = idValue(info.executor_id);
    const containerId = this.core.ids.uuid();
    const directory = agent.createSandbox({ frameworkId: framework.id, executorId, containerId });
    const resources = resourcesFromV1(info.resources);
    const isDefault = group && info.type !== 'CUSTOM' && !asObject(info.command);
    const record: ExecutorRecord = {
      id: executorId,
      name: typeof info.name === 'string' ? info.name : '',
      source: typeof info.source === 'string' ? info.source : '',
      frameworkId: framework.id,
      containerId,
      directory,
      resources,
      role: allocationRole(info.resources) ?? framework.roles[0] ?? '*',
      // Set to the first task by `addTask`, in the same turn, before anything reads it.
      task: undefined as unknown as TaskRecord,
      tasks: [],
      type: isDefault ? 'DEFAULT' : 'CUSTOM',
      // v0 JSON writes Labels as the bare list of key/value pairs.
      ...(asObject(info.labels) && { labels: asArray(asObject(info.labels)?.labels) }),
    };
    const fullInfo: V1Json = {
      ...info,
      type: record.type,
      framework_id: { value: framework.id },
    };
    record.info = fullInfo;
    const executor = new RunningExecutor(agent, framework, fullInfo, record);
    record.queuedTaskIds = executor.queued;
    this.live.set(keyOf(executor), executor);
    // The master lists the executor until it ends.
    (framework.executors ??= new Map()).set(`${agent.id}/${executorId}`, {
      agentId: agent.id,
      info: fullInfo,
    });
    // Keyed by framework too: two frameworks may well name their executors alike.
    agent.executors.set(agentExecutorKey(framework.id, executorId), record);
    agent.log.log(
      'I',
      'slave.cpp:9046',
      `Launching executor '${executorId}' of framework ${framework.id} with resources ${describe(resources)} in work directory '${directory}'`,
    );
    agent.log.log('I', 'containerizer.cpp:3324', `Starting container ${containerId}`);
    if (isDefault) {
      executor.defaultExecutor = new DefaultExecutor(this.core, executor, this.shutdownGraceMs);
      executor.state = 'RUNNING';
      executor.exited = executor.defaultExecutor.finished.then(() =>
        this.terminated(executor, { code: 0, signal: null }),
      );
      return executor;
    }
    executor.exited = this.runCommand(executor).then((exit) => this.terminated(executor, exit));
    executor.registrationTimer = setTimeout(
      () => this.registrationTimedOut(executor),
      this.registrationTimeoutMs,
    );
    executor.registrationTimer.unref();
    return executor;
  }

  /** Fetches the executor's URIs and runs its command; resolves with how it ended. */
  private async runCommand(executor: RunningExecutor): Promise<TaskExit> {
    const { agent, framework, record } = executor;
    const command = asObject(executor.info.command);
    const uris = urisOf(command);
    try {
      if (uris.length > 0)
        await fetchUris({ uris, sandbox: record.directory, containerId: record.containerId });
      if (executor.state === 'TERMINATING' || this.core.closed) return { code: null, signal: 'SIGKILL' };
      const child = await spawnTaskProcess({
        cmd: shellCommand(command),
        sandbox: record.directory,
        env: { ...this.environment(executor), ...environmentOf(command) },
      });
      record.pid = child.pid;
      agent.log.log(
        'I',
        'slave.cpp:3612',
        `Launched container ${record.containerId} for executor '${record.id}' of framework ${framework.id}`,
      );
      if (this.core.closed) signalProcessGroup(child.pid, 'SIGKILL');
      const exit = await child.exited;
      // Like destroying the container: nothing the executor started may outlive it.
      signalProcessGroup(child.pid, 'SIGKILL');
      return exit;
    } catch (error) {
      executor.termination = {
        state: 'TASK_FAILED',
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        message: `Failed to launch container: ${(error as Error).message}`,
      };
      agent.log.log(
        'E',
        'slave.cpp:7004',
        `Container '${record.containerId}' for executor '${record.id}' of framework ${framework.id} failed to start: ${(error as Error).message}`,
      );
      return { code: null, signal: null };
    }
  }

  /** `executorEnvironment()` of src/slave/slave.cpp, plus what the containerizer adds. */
  private environment(executor: RunningExecutor): Record<string, string> {
    const { agent, framework, record } = executor;
    const grace = asObject(executor.info.shutdown_grace_period)?.nanoseconds;
    const graceMs = typeof grace === 'number' ? grace / 1e6 : this.shutdownGraceMs;
    return {
      HOME: process.env.HOME ?? '/',
      HOST: agent.hostname,
      LIBPROCESS_PORT: '0',
      MESOS_FRAMEWORK_ID: framework.id,
      MESOS_EXECUTOR_ID: record.id,
      MESOS_DIRECTORY: record.directory,
      MESOS_SANDBOX: record.directory,
      MESOS_SLAVE_ID: agent.id,
      MESOS_AGENT_ID: agent.id,
      MESOS_SLAVE_PID: agent.pid,
      MESOS_AGENT_ENDPOINT: `${agent.address}:${agent.port}`,
      MESOS_CONTAINER_ID: record.containerId,
      MESOS_CHECKPOINT: framework.checkpoint ? '1' : '0',
      MESOS_HTTP_COMMAND_EXECUTOR: '0',
      MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: stringifyDuration(graceMs),
      ...(framework.checkpoint && {
        MESOS_RECOVERY_TIMEOUT: RECOVERY_TIMEOUT,
        MESOS_SUBSCRIPTION_BACKOFF_MAX: SUBSCRIPTION_BACKOFF_MAX,
      }),
    };
  }

  private registrationTimedOut(executor: RunningExecutor): void {
    if (executor.state !== 'REGISTERING') return;
    const after = stringifyDuration(this.registrationTimeoutMs);
    executor.agent.log.log(
      'I',
      'slave.cpp:7612',
      `Terminating executor '${executor.id}' of framework ${executor.framework.id} because it did not register within ${after}`,
    );
    executor.state = 'TERMINATING';
    executor.termination = {
      state: 'TASK_FAILED',
      reason: 'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
      message: `Executor did not register within ${after}`,
    };
    if (executor.record.pid !== undefined) signalProcessGroup(executor.record.pid, 'SIGKILL');
  }

  /** The executor ended: its unfinished tasks fail, and it moves to the agent's completed executors. */
  private terminated(executor: RunningExecutor, exit: TaskExit): void {
    const { agent, framework, record } = executor;
    executor.state = 'TERMINATED';
    this.clearTimers(executor);
    executor.connection?.close();
    executor.connection = undefined;
    const how =
      exit.signal !== null
        ? `terminated with signal ${exit.signal}`
        : exit.code !== null
          ? `exited with status ${exit.code}`
          : 'has terminated with unknown status';
    agent.log.log('I', 'slave.cpp:7122', `Executor '${record.id}' of framework ${framework.id} ${how}`);
    if (!agent.partitioned) {
      const termination = executor.termination;
      for (const task of executor.tasks) {
        if (TERMINAL_STATES.has(task.state)) continue;
        const killed = task.killRequested && !termination;
        this.core.updateStatus(task, termination?.state ?? (killed ? 'TASK_KILLED' : 'TASK_FAILED'), {
          source: 'SOURCE_AGENT',
          reason: termination?.reason ?? 'REASON_EXECUTOR_TERMINATED',
          message: termination?.message ?? 'Executor terminated',
          container_status: executor.containerStatus(task),
        });
      }
    }
    this.core.scheduler?.executorFailed(framework.id, agent.id, record.id, exit.code ?? undefined);
    executor.queued.clear();
    this.live.delete(keyOf(executor));
    framework.executors?.delete(`${agent.id}/${record.id}`);
    agent.completeExecutor(agentExecutorKey(framework.id, record.id));
    agent.log.log('I', 'slave.cpp:7191', `Cleaning up executor '${record.id}' of framework ${framework.id}`);
  }

  private addTask(executor: RunningExecutor, info: V1Json, group: boolean): TaskRecord {
    const { agent, framework, record } = executor;
    const taskId = idValue(info.task_id);
    const resources = resourcesFromV1(info.resources);
    const nested = executor.defaultExecutor ? this.core.ids.uuid() : undefined;
    const task: TaskRecord = {
      id: taskId,
      name: typeof info.name === 'string' ? info.name : '',
      frameworkId: framework.id,
      agentId: agent.id,
      executorId: record.id,
      containerId: nested ?? record.containerId,
      directory: executor.defaultExecutor ? join(record.directory, 'tasks', taskId) : record.directory,
      command: shellCommand(asObject(info.command)),
      resources,
      role: allocationRole(info.resources) ?? framework.roles[0] ?? '*',
      user: framework.user,
      state: 'TASK_STAGING',
      statuses: [],
      launchedAt: nowSecs(),
      killRequested: false,
      executorType: record.type,
    };
    const labels = labelsFromV1(info.labels);
    if (labels) task.extras = resolveTaskExtras({ labels }, [], this.core.counters.launchTasks);
    if (executor.defaultExecutor) mkdirSync(task.directory, { recursive: true });
    executor.taskInfos.set(taskId, info);
    record.tasks?.push(task);
    if (record.tasks?.length === 1) record.task = task;
    framework.tasks.set(taskId, task);
    this.core.events.emit({ type: 'TASK_ADDED', task });
    this.core.counters.launchTasks++;
    this.core.log.log(
      'I',
      'master.cpp:4384',
      `Launching ${group ? 'task group' : 'task'} ${taskId} of framework ${framework.id} (${framework.name}) with resources ${describe(resources)} on agent ${agent.id} at ${agent.pid} (${agent.hostname})`,
    );
    return task;
  }

  /**
   * Ids that cannot name a sandbox directory: nothing starts, and every task that has an id is TASK_ERROR
   * (the master's own validation of a LAUNCH should have caught this first).
   */
  private refuse(
    framework: FrameworkRecord,
    agent: LocalAgent,
    req: ExecutorLaunchRequest,
    message: string,
  ): void {
    for (const info of req.tasks) {
      const taskId = idValue(info.task_id);
      if (!taskId || framework.tasks.has(taskId)) continue;
      const task: TaskRecord = {
        id: taskId,
        name: typeof info.name === 'string' ? info.name : '',
        frameworkId: framework.id,
        agentId: agent.id,
        executorId: idValue(req.executor.executor_id),
        containerId: '',
        directory: '',
        command: '',
        resources: resourcesFromV1(info.resources),
        role: allocationRole(info.resources) ?? framework.roles[0] ?? '*',
        user: framework.user,
        state: 'TASK_STAGING',
        statuses: [],
        launchedAt: nowSecs(),
        killRequested: false,
        executorType: req.group ? 'DEFAULT' : 'CUSTOM',
      };
      framework.tasks.set(taskId, task);
      this.core.events.emit({ type: 'TASK_ADDED', task });
      this.core.updateStatus(task, 'TASK_ERROR', {
        source: 'SOURCE_AGENT',
        reason: 'REASON_TASK_INVALID',
        message,
      });
    }
  }

  /** The executor's resources plus those of its live tasks, as the agent state shows them. */
  private refreshResources(executor: RunningExecutor): void {
    const live = executor.tasks.filter((t) => !TERMINAL_STATES.has(t.state)).map((t) => t.resources);
    executor.record.resources = sumResources([resourcesFromV1(executor.info.resources), ...live]);
  }

  private clearTimers(executor: RunningExecutor): void {
    if (executor.registrationTimer) clearTimeout(executor.registrationTimer);
    if (executor.heartbeatTimer) clearInterval(executor.heartbeatTimer);
    if (executor.killTimer) clearTimeout(executor.killTimer);
    executor.registrationTimer = executor.heartbeatTimer = executor.killTimer = undefined;
  }
}

/** A queued LAUNCH / LAUNCH_GROUP without the tasks killed meanwhile (none left: no event). */
function stillQueued(event: V1Json, queued: ReadonlySet<string>): V1Json[] {
  const launch = asObject(event.launch);
  if (launch) return queued.has(idValue(asObject(launch.task)?.task_id)) ? [event] : [];
  const group = asObject(asObject(event.launch_group)?.task_group);
  const tasks = asArray(group?.tasks).filter((task) => queued.has(idValue(asObject(task)?.task_id)));
  return tasks.length > 0
    ? [{ type: 'LAUNCH_GROUP', launch_group: { task_group: { ...group, tasks } } }]
    : [];
}

/** How an agent files an executor the framework named among its executors. */
export function agentExecutorKey(frameworkId: string, executorId: string): string {
  return `${frameworkId}/${executorId}`;
}

function key(agentId: string, frameworkId: string, executorId: string): string {
  return `${agentId}\u0000${frameworkId}\u0000${executorId}`;
}

function keyOf(executor: RunningExecutor): string {
  return key(executor.agent.id, executor.framework.id, executor.id);
}

/** A status UUID (16 bytes, base64) as Mesos logs it. */
function uuidText(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== 16) return base64;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
