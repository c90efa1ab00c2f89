/**
 * The master's side of the scheduler API: subscribed frameworks and their event streams, framework failover
 * (a disconnected framework is inactive until it re-subscribes, and torn down once its `failover_timeout`
 * passes), and every call but SUBSCRIBE's HTTP handling (see scheduler-endpoint.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ClusterCore, FrameworkSpec } from '../cluster-core';
import { nowSecs } from '../ids';
import type { V1Json } from '../../agent/launch-contract';
import type { FrameworkRecord, OfferRecord, TaskRecord } from '../model';
import { TERMINAL_STATES } from '../model';
import type { MasterEvent } from '../../operator-api/master-events';
import { getMasterV1, id } from '../../operator-api/v1-json';
import { operatorMasterOf } from '../../operator-api/core-master';
import { HEARTBEAT_FRAME, errorEvent, eventFrame, masterUpdateEvent, schedulerOfferV1 } from './events';
import type { MasterStatus } from './events';
import { accept, refuseSecondsOf } from './launch';
import { StatusUpdateManager } from './status-updates';
import type { StatusUpdateOptions } from './status-updates';
import { idValue, isObject, list } from './task-validation';

/** Mesos's `DEFAULT_HEARTBEAT_INTERVAL`. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 15;

export interface SchedulerApiOptions {
  heartbeatIntervalSeconds?: number;
  statusUpdates?: StatusUpdateOptions;
  /** `http` or `https`, for the agent URLs in offers. */
  scheme?: string;
}

interface Session {
  frameworkId: string;
  streamId: string;
  res: ServerResponse;
  heartbeat: NodeJS.Timeout;
}

/** Answer of a call: an HTTP status and a text body (202 with no body for most calls). */
export interface CallAnswer {
  status: number;
  body: string;
}

const ACCEPTED: CallAnswer = { status: 202, body: '' };

export class SchedulerMaster {
  private readonly sessions = new Map<string, Session>();
  private readonly failoverTimers = new Map<string, NodeJS.Timeout>();
  /** Frameworks that subscribed through this API (others are driven inside the cluster). */
  private readonly apiFrameworks = new Set<string>();
  readonly updates: StatusUpdateManager;
  private readonly heartbeatMs: number;
  private readonly scheme: string;
  private closed = false;

  constructor(
    private readonly core: ClusterCore,
    options: SchedulerApiOptions = {},
  ) {
    this.heartbeatMs = (options.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS) * 1000;
    this.scheme = options.scheme ?? 'http';
    this.updates = new StatusUpdateManager(
      (frameworkId, frame) => this.send(frameworkId, frame),
      (task) => core.unacknowledgedTerminal.remove(task),
      options.statusUpdates,
    );
    core.allocator.onOffers = (frameworkId, offers) => this.sendOffers(frameworkId, offers);
    core.onOfferRescinded = (offer) =>
      this.sendEvent(offer.frameworkId, { type: 'RESCIND', rescind: { offer_id: id(offer.id) } });
    core.events.subscribe((event) => this.onMasterEvent(event));
  }

  /** Is the framework subscribed through this API and connected right now? */
  connected(frameworkId: string): boolean {
    return this.sessions.has(frameworkId);
  }

  /** Open SUBSCRIBE streams. */
  get subscribers(): number {
    return this.sessions.size;
  }

  /** The stream id the framework must send with its calls. */
  streamIdOf(frameworkId: string): string | undefined {
    return this.sessions.get(frameworkId)?.streamId;
  }

  /** Ends every stream and timer (the master stops). */
  close(): void {
    this.closed = true;
    for (const session of [...this.sessions.values()]) this.endSession(session);
    for (const timer of this.failoverTimers.values()) clearTimeout(timer);
    this.failoverTimers.clear();
    this.updates.close();
  }

  /**
   * SUBSCRIBE (validated already): registers or fails over the framework and starts its stream. A framework
   * removed before gets a stream with only ERROR.
   */
  subscribe(res: ServerResponse, info: V1Json, suppressedRoles: string[] = []): void {
    const streamId = randomUUID();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId });
    res.flushHeaders();
    const requestedId = idValue(info.id);
    if (requestedId && this.core.completedFrameworks.some((f) => f.id === requestedId)) {
      res.end(eventFrame(errorEvent('Framework has been removed')));
      return;
    }
    const existing = requestedId ? this.core.frameworks.get(requestedId) : undefined;
    let framework: FrameworkRecord;
    if (existing) {
      const old = this.sessions.get(existing.id);
      if (old) {
        old.res.write(eventFrame(errorEvent('Framework failed over')));
        this.endSession(old);
      }
      const timer = this.failoverTimers.get(existing.id);
      if (timer) clearTimeout(timer);
      this.failoverTimers.delete(existing.id);
      applyInfo(existing, info);
      existing.active = true;
      existing.unregisteredTime = 0;
      framework = existing;
      this.core.log.log('I', 'master.cpp:2976', `Framework ${framework.id} (${framework.name}) failed over`);
      this.core.events.emit({ type: 'FRAMEWORK_UPDATED', framework });
    } else {
      framework = this.core.registerFramework({
        ...specOf(info),
        ...(requestedId ? { id: requestedId } : {}),
      });
    }
    this.apiFrameworks.add(framework.id);
    const session: Session = {
      frameworkId: framework.id,
      streamId,
      res,
      heartbeat: setInterval(() => res.write(HEARTBEAT_FRAME), this.heartbeatMs),
    };
    session.heartbeat.unref();
    this.sessions.set(framework.id, session);
    res.on('close', () => this.disconnected(session));
    const master = getMasterV1(operatorMasterOf(this.core)).master_info;
    res.write(
      eventFrame({
        type: 'SUBSCRIBED',
        subscribed: {
          framework_id: id(framework.id),
          heartbeat_interval_seconds: this.heartbeatMs / 1000,
          master_info: master,
        },
      }),
    );
    res.write(HEARTBEAT_FRAME);
    this.updates.resend(framework.id);
    this.core.allocator.addFramework(framework.id, suppressedRoles);
  }

  /** Every call but SUBSCRIBE, for a subscribed framework whose stream id matched. */
  call(framework: FrameworkRecord, type: string, call: V1Json): CallAnswer {
    const core = this.core;
    switch (type) {
      case 'TEARDOWN':
        void this.teardown(framework.id);
        return ACCEPTED;
      case 'ACCEPT':
        accept(
          {
            core,
            framework,
            answer: (status) => this.sendEvent(framework.id, masterUpdateEvent(status)),
            taskIdInUse: (taskId) =>
              framework.tasks.has(taskId) || core.unacknowledgedTerminal.has(framework.id, taskId),
          },
          call.accept as V1Json,
        );
        return ACCEPTED;
      case 'DECLINE': {
        const decline = call.decline as V1Json;
        const ids = list(decline.offer_ids)
          .map(idValue)
          .filter((v): v is string => v !== undefined);
        core.allocator.decline(framework.id, ids, refuseSecondsOf(decline.filters));
        return ACCEPTED;
      }
      case 'REVIVE':
        core.allocator.revive(framework.id, rolesOf(call.revive));
        return ACCEPTED;
      case 'SUPPRESS':
        core.allocator.suppress(framework.id, rolesOf(call.suppress));
        for (const offer of [...core.offers.values()]) {
          const roles = rolesOf(call.suppress);
          if (offer.frameworkId === framework.id && (roles.length === 0 || roles.includes(offer.role))) {
            core.rescindOffer(offer.id);
          }
        }
        return ACCEPTED;
      case 'KILL': {
        const kill = call.kill as V1Json;
        const taskId = idValue(kill.task_id) ?? '';
        const task = framework.tasks.get(taskId);
        if (task) void core.killTask(taskId).catch(() => undefined);
        else this.reconcile(framework, [{ task_id: kill.task_id, agent_id: kill.agent_id }]);
        return ACCEPTED;
      }
      case 'SHUTDOWN': {
        const shutdown = call.shutdown as V1Json;
        const executorId = idValue(shutdown.executor_id) ?? '';
        const agentId = idValue(shutdown.agent_id) ?? '';
        // A command task's executor is not the runtime's: shutting it down kills its one task.
        const killCommandTasks = () => {
          for (const task of [...framework.tasks.values()]) {
            if (task.executorId === executorId) void core.killTask(task.id).catch(() => undefined);
          }
        };
        const runtime = core.executorRuntime;
        if (!runtime) killCommandTasks();
        else
          void runtime
            .shutdownFrameworkExecutor(agentId, framework.id, executorId)
            .then((found) => found || killCommandTasks(), killCommandTasks);
        return ACCEPTED;
      }
      case 'ACKNOWLEDGE': {
        const ack = call.acknowledge as V1Json;
        const taskId = idValue(ack.task_id) ?? '';
        this.updates.acknowledge(framework.id, taskId, String(ack.uuid));
        return ACCEPTED;
      }
      case 'RECONCILE':
        this.reconcile(framework, list((call.reconcile as V1Json).tasks).filter(isObject));
        return ACCEPTED;
      case 'MESSAGE': {
        const message = call.message as V1Json;
        core.executorMessenger?.({
          frameworkId: framework.id,
          agentId: idValue(message.agent_id) ?? '',
          executorId: idValue(message.executor_id) ?? '',
          data: typeof message.data === 'string' ? message.data : '',
        });
        return ACCEPTED;
      }
      case 'UPDATE_FRAMEWORK': {
        const update = call.update_framework as V1Json;
        applyInfo(framework, update.framework_info as V1Json);
        const suppressed = suppressedRolesOf(update.suppressed_roles);
        core.allocator.revive(framework.id, []);
        if (suppressed.length > 0) core.allocator.suppress(framework.id, suppressed);
        core.events.emit({ type: 'FRAMEWORK_UPDATED', framework });
        return { status: 200, body: '' };
      }
      // REQUEST is ignored by the built-in allocator; operations feedback is not offered.
      default:
        return ACCEPTED;
    }
  }

  /** Sends the framework a status made by the master. */
  answer(frameworkId: string, status: MasterStatus): void {
    this.sendEvent(frameworkId, masterUpdateEvent(status));
  }

  /** An executor's MESSAGE to its framework's scheduler. */
  messageFramework(frameworkId: string, agentId: string, executorId: string, data: string): void {
    this.sendEvent(frameworkId, {
      type: 'MESSAGE',
      message: { agent_id: id(agentId), executor_id: id(executorId), data },
    });
  }

  /** An executor ended: FAILURE with its exit status (if it has one). */
  executorFailed(frameworkId: string, agentId: string, executorId: string, status?: number): void {
    const failure: V1Json = { agent_id: id(agentId), executor_id: id(executorId) };
    if (status !== undefined) failure.status = status;
    this.sendEvent(frameworkId, { type: 'FAILURE', failure });
  }

  /** RECONCILE (`Master::_reconcileTasks`): explicit for the listed tasks, implicit for an empty list. */
  reconcile(framework: FrameworkRecord, statuses: V1Json[]): void {
    const partitionAware = framework.capabilities.includes('PARTITION_AWARE');
    const latest = (task: TaskRecord): MasterStatus => {
      const last = task.statuses[task.statuses.length - 1];
      return {
        taskId: task.id,
        agentId: task.agentId,
        state: task.state,
        reason: 'REASON_RECONCILIATION',
        message: 'Reconciliation: Latest task state',
        ...(last?.healthy !== undefined ? { healthy: last.healthy } : {}),
        ...(last?.container_status ? { containerStatus: last.container_status } : {}),
      };
    };
    if (statuses.length === 0) {
      for (const task of framework.tasks.values()) this.answer(framework.id, latest(task));
      for (const task of this.core.unacknowledgedTerminal.ofFramework(framework.id)) {
        this.answer(framework.id, latest(task));
      }
      return;
    }
    for (const status of statuses) {
      const taskId = idValue(status.task_id) ?? '';
      const agentId = idValue(status.agent_id) ?? idValue(status.slave_id);
      const task = framework.tasks.get(taskId) ?? this.core.unacknowledgedTerminal.get(framework.id, taskId);
      if (task && task.frameworkId === framework.id) {
        this.answer(framework.id, latest(task));
        continue;
      }
      const unknown = (state: string, message: string): MasterStatus => ({
        taskId,
        ...(agentId ? { agentId } : {}),
        state: partitionAware ? state : 'TASK_LOST',
        reason: 'REASON_RECONCILIATION',
        message,
      });
      if (agentId && this.core.agent(agentId)) {
        this.answer(framework.id, unknown('TASK_GONE', 'Reconciliation: Task is unknown to the agent'));
      } else if (agentId && this.core.unreachableAgents.some((a) => a.id === agentId)) {
        this.answer(framework.id, unknown('TASK_UNREACHABLE', 'Reconciliation: Task is unreachable'));
      } else {
        this.answer(framework.id, unknown('TASK_UNKNOWN', 'Reconciliation: Task is unknown'));
      }
    }
  }

  /** TEARDOWN, or a failover timeout that passed: the framework's tasks are killed and it is removed. */
  async teardown(frameworkId: string): Promise<void> {
    const timer = this.failoverTimers.get(frameworkId);
    if (timer) clearTimeout(timer);
    this.failoverTimers.delete(frameworkId);
    const session = this.sessions.get(frameworkId);
    if (session) this.endSession(session);
    this.updates.drop(frameworkId);
    await this.core.teardownFramework(frameworkId);
  }

  private onMasterEvent(event: MasterEvent): void {
    if (event.type === 'TASK_UPDATED') {
      const { task, status } = event;
      if (!this.apiFrameworks.has(task.frameworkId)) return;
      if (TERMINAL_STATES.has(status.state)) this.core.unacknowledgedTerminal.add(task);
      this.updates.enqueue(task, status);
    } else if (event.type === 'FRAMEWORK_REMOVED') {
      const frameworkId = event.framework.id;
      this.core.unacknowledgedTerminal.dropFramework(frameworkId);
      if (!this.apiFrameworks.delete(frameworkId)) return;
      const session = this.sessions.get(frameworkId);
      if (session) {
        session.res.write(eventFrame(errorEvent('Framework removed')));
        this.endSession(session);
      }
      const timer = this.failoverTimers.get(frameworkId);
      if (timer) clearTimeout(timer);
      this.failoverTimers.delete(frameworkId);
      this.updates.drop(frameworkId);
    }
  }

  private disconnected(session: Session): void {
    clearInterval(session.heartbeat);
    if (this.sessions.get(session.frameworkId) !== session) return;
    this.sessions.delete(session.frameworkId);
    const framework = this.core.frameworks.get(session.frameworkId);
    if (!framework || this.core.closed || this.closed) return;
    framework.active = false;
    framework.unregisteredTime = nowSecs();
    this.core.allocator.rescindAll(framework.id);
    this.core.log.log('I', 'master.cpp:3234', `Disconnecting framework ${framework.id} (${framework.name})`);
    this.core.events.emit({ type: 'FRAMEWORK_UPDATED', framework });
    const timeoutMs = Math.max(0, framework.failoverTimeout) * 1000;
    const timer = setTimeout(
      () => {
        this.failoverTimers.delete(framework.id);
        if (this.sessions.has(framework.id)) return;
        this.core.log.log(
          'I',
          'master.cpp:10384',
          `Framework failover timeout, removing framework ${framework.id}`,
        );
        void this.teardown(framework.id);
      },
      Math.min(timeoutMs, 2 ** 31 - 1),
    );
    timer.unref();
    this.failoverTimers.set(framework.id, timer);
  }

  private endSession(session: Session): void {
    clearInterval(session.heartbeat);
    if (this.sessions.get(session.frameworkId) === session) this.sessions.delete(session.frameworkId);
    session.res.end();
  }

  private send(frameworkId: string, frame: Buffer): boolean {
    const session = this.sessions.get(frameworkId);
    if (!session || session.res.writableEnded) return false;
    session.res.write(frame);
    return true;
  }

  private sendEvent(frameworkId: string, event: V1Json): void {
    this.send(frameworkId, eventFrame(event));
  }

  private sendOffers(frameworkId: string, offers: OfferRecord[]): void {
    if (!this.sessions.has(frameworkId)) return;
    this.sendEvent(frameworkId, {
      type: 'OFFERS',
      offers: {
        offers: offers.map((offer) => schedulerOfferV1(offer, this.core.agent(offer.agentId), this.scheme)),
      },
    });
  }
}

function rolesOf(value: unknown): string[] {
  return isObject(value) ? list(value.roles).filter((r): r is string => typeof r === 'string') : [];
}

export function suppressedRolesOf(value: unknown): string[] {
  return list(value).filter((r): r is string => typeof r === 'string');
}

function capabilitiesOf(info: V1Json): string[] {
  return list(info.capabilities)
    .map((c) => (isObject(c) && typeof c.type === 'string' ? c.type : undefined))
    .filter((c): c is string => c !== undefined);
}

/** Roles as Mesos reads them: `roles` for MULTI_ROLE frameworks, else the single `role` (default `*`). */
function rolesOfInfo(info: V1Json): { roles: string[]; singleRole: boolean } {
  const multi = capabilitiesOf(info).includes('MULTI_ROLE');
  if (multi) {
    const roles = list(info.roles).filter((r): r is string => typeof r === 'string');
    return { roles: roles.length > 0 ? roles : ['*'], singleRole: false };
  }
  return { roles: [typeof info.role === 'string' && info.role ? info.role : '*'], singleRole: true };
}

function specOf(info: V1Json): FrameworkSpec {
  const { roles, singleRole } = rolesOfInfo(info);
  return {
    name: String(info.name),
    user: String(info.user),
    ...(typeof info.hostname === 'string' && info.hostname ? { hostname: info.hostname } : {}),
    ...(typeof info.principal === 'string' ? { principal: info.principal } : {}),
    ...(typeof info.webui_url === 'string' ? { webuiUrl: info.webui_url } : {}),
    roles,
    singleRole,
    capabilities: capabilitiesOf(info),
    failoverTimeout: typeof info.failover_timeout === 'number' ? info.failover_timeout : 0,
    checkpoint: info.checkpoint === true,
  };
}

function applyInfo(framework: FrameworkRecord, info: V1Json): void {
  const spec = specOf(info);
  framework.name = spec.name;
  framework.roles = spec.roles ?? framework.roles;
  framework.singleRole = spec.singleRole ?? framework.singleRole;
  framework.capabilities = spec.capabilities ?? [];
  framework.failoverTimeout = spec.failoverTimeout ?? 0;
  if (spec.webuiUrl !== undefined) framework.webuiUrl = spec.webuiUrl;
  if (spec.hostname !== undefined) framework.hostname = spec.hostname;
}
