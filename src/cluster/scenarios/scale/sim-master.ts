import { join } from 'node:path';
import type { IdSource } from '../../master/ids';
import { nowSecs } from '../../master/ids';
import type { AgentView } from '../../operator-api/master-writers';
import { TERMINAL_STATES } from '../../master/model';
import { MasterModel } from '../../master/master-model';
import { Allocator } from '../../master/allocator/allocator';
import type { AllocationSums } from '../../master/allocator/allocator';
import { SimulatedRunner } from '../../runner/simulated-runner';
import type { MasterWrites } from '../../operator-api/master-writes';
import type { FrameworkRecord, OfferRecord, TaskRecord, TaskState, TaskStatusJson } from '../../master/model';
import type { OperatorAgent } from '../../operator-api/operator-master';
import { emptyResources } from '../../master/resources';
import type { ClusterResources } from '../../master/resources';
import { accumulateResources, roundScalar } from '../../../mesos/resources';
import type { Resources } from '../../../mesos/resources';

/** Completed executors an agent keeps for its state (Mesos keeps 150 per framework; this is per agent). */
export const MAX_COMPLETED_EXECUTORS_PER_AGENT = 50;

const SCALARS = ['cpus', 'gpus', 'mem', 'disk'] as const;
const LIVE_STATES = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'] as const;

/** A simulated agent: no process of its own, served by the shared agent server as `slave(N)`. */
export class SimAgent implements OperatorAgent {
  port = 0;
  deactivated = false;
  /** Live tasks (each with its command executor). */
  readonly tasks = new Set<SimTask>();
  /** Recently terminated tasks, oldest first. */
  readonly completed: SimTask[] = [];
  readonly used: ClusterResources = emptyResources();
  readonly offered: ClusterResources = emptyResources();
  readonly counters = { terminalTasks: new Map<string, number>(), statusUpdates: 0 };

  constructor(
    readonly id: string,
    /** 0-based; the libprocess id is `slave(index + 1)`. */
    readonly index: number,
    readonly hostname: string,
    readonly resources: ClusterResources,
    readonly attributes: Readonly<Record<string, string | number>>,
    readonly registeredTime: number,
    readonly workDir: string,
    private readonly address: string,
  ) {}

  /** `slave(N)@ip:port`: every simulated agent shares one host:port, like mesos-local. */
  get pid(): string {
    return `slave(${this.index + 1})@${this.address}:${this.port}`;
  }

  /** The libprocess id the agent's endpoints live under, e.g. `slave(42)`. */
  get processId(): string {
    return `slave(${this.index + 1})`;
  }

  free(): ClusterResources {
    const r = this.resources;
    return {
      cpus: roundScalar(r.cpus - this.used.cpus - this.offered.cpus),
      gpus: roundScalar(r.gpus - this.used.gpus - this.offered.gpus),
      mem: roundScalar(r.mem - this.used.mem - this.offered.mem),
      disk: roundScalar(r.disk - this.used.disk - this.offered.disk),
      ports: [],
    };
  }
}

/** A simulated task: the same record the embedded cluster keeps, minus the process. */
export class SimTask implements TaskRecord {
  state: TaskState = 'TASK_STAGING';
  statuses: TaskStatusJson[] = [];
  killRequested = false;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly frameworkId: string,
    readonly agent: SimAgent,
    readonly resources: ClusterResources,
    readonly role: string,
    readonly user: string,
    readonly command: string,
    readonly containerId: string,
    readonly launchedAt: number,
  ) {}

  get agentId(): string {
    return this.agent.id;
  }

  get executorId(): string {
    return this.id;
  }

  /** Where the sandbox would be on the agent (`<work_dir>/slaves/<agent>/frameworks/.../runs/<container>`). */
  get directory(): string {
    return join(
      this.agent.workDir,
      'slaves',
      this.agent.id,
      'frameworks',
      this.frameworkId,
      'executors',
      this.id,
      'runs',
      this.containerId,
    );
  }
}

/**
 * The master of a simulated cluster: the shared master model over simulated agents, with the aggregates a
 * big cluster needs (per-agent allocation, live task counts, a live task index), and every change announced
 * on {@link events} like Mesos announces it to operator API subscribers.
 */
export class SimMaster extends MasterModel<SimAgent> {
  agentPort = 0;
  readonly agentsById = new Map<string, SimAgent>();
  /** By libprocess index: `slave(N)` is index N - 1. */
  readonly agentsByIndex = new Map<number, SimAgent>();
  readonly tasksById = new Map<string, SimTask>();
  /** The operator writes it supports (see sim-writes.ts). */
  writes: MasterWrites | undefined;
  /** Live tasks by state, for metrics. */
  readonly liveCounts = new Map<string, number>(LIVE_STATES.map((s) => [s, 0]));
  private agentSeq = 0;
  /** Runs the tasks, without processes (the churn stages them and kills them over its ticks). */
  readonly runner = new SimulatedRunner<SimTask>((task, state, extra) => this.updateTask(task, state, extra));
  /** Makes the offers the simulated frameworks launch their tasks with (the local cluster's allocator). */
  readonly allocator: Allocator<SimAgent> = new Allocator(this);
  /** What each role and framework holds, kept as tasks and offers come and go (DRF reads them each pass). */
  private readonly heldByRole = new Map<string, Resources>();
  private readonly heldByFramework = new Map<string, Resources>();
  private stopped = false;

  constructor(
    masterId: string,
    host: string,
    clusterName: string,
    readonly workDir: string,
    ids: IdSource,
    limits: { maxCompletedTasksPerFramework: number; completedFrameworks: number },
  ) {
    super({
      masterId,
      host,
      clusterName,
      ids,
      masterWorkDir: join(workDir, 'master'),
      limits,
      frameworkDefaults: {
        capabilities: ['MULTI_ROLE', 'TASK_KILLING_STATE', 'PARTITION_AWARE'],
        failoverTimeout: 604800,
        checkpoint: true,
      },
    });
  }

  /** True once {@link stop} was called: no more allocation. */
  get closed(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    this.allocator.stop();
  }

  agent(agentId: string): SimAgent | undefined {
    return this.agentsById.get(agentId);
  }

  freeOn(agent: SimAgent): ClusterResources {
    return agent.free();
  }

  usedByRoleOn(agent: SimAgent, role: string): ClusterResources {
    const used = emptyResources();
    for (const task of agent.tasks) if (task.role === role) accumulateResources(used, task.resources);
    return used;
  }

  /** Copies of the sums kept as tasks and offers change (not a walk over 100,000 tasks). */
  override allocationSums(): AllocationSums {
    const copy = (map: ReadonlyMap<string, Resources>) =>
      new Map([...map].map(([key, r]) => [key, { cpus: r.cpus, gpus: r.gpus, mem: r.mem, disk: r.disk }]));
    return { byRole: copy(this.heldByRole), byFramework: copy(this.heldByFramework) };
  }

  usedOn(agentId: string): ClusterResources {
    return this.agentsById.get(agentId)?.used ?? emptyResources();
  }

  offeredOn(agentId: string): ClusterResources {
    return this.agentsById.get(agentId)?.offered ?? emptyResources();
  }

  /** Adds an agent (serving from the shared agent port) and announces it. */
  addAgent(spec: {
    hostname: string;
    resources: ClusterResources;
    attributes: Record<string, string | number>;
  }) {
    const index = this.agentSeq++;
    const agent = new SimAgent(
      `${this.masterId}-S${index}`,
      index,
      spec.hostname,
      spec.resources,
      spec.attributes,
      nowSecs(),
      join(this.workDir, 'agents'),
      this.host,
    );
    agent.port = this.agentPort;
    this.agents.push(agent);
    this.agentsById.set(agent.id, agent);
    this.agentsByIndex.set(index, agent);
    this.counters.agentRegistrations++;
    this.events.emit({ type: 'AGENT_ADDED', agent });
    this.allocator.agentChanged(agent.id);
    return agent;
  }

  /**
   * Removes an agent: its tasks are lost (TASK_GONE, as for a decommissioned agent, unless the removal says
   * otherwise, e.g. TASK_GONE_BY_OPERATOR for a machine brought down), then AGENT_REMOVED.
   */
  removeAgent(
    agentId: string,
    lost: { state: TaskState; reason: string; message?: string } = {
      state: 'TASK_GONE',
      reason: 'REASON_SLAVE_REMOVED',
    },
  ): void {
    const agent = this.agentsById.get(agentId);
    if (!agent) return;
    for (const offer of [...this.offers.values()]) if (offer.agentId === agentId) this.rescindOffer(offer.id);
    for (const task of [...agent.tasks]) {
      this.updateTask(task, lost.state, {
        reason: lost.reason,
        source: 'SOURCE_MASTER',
        ...(lost.message !== undefined && { message: lost.message }),
      });
    }
    this.agents.splice(this.agents.indexOf(agent), 1);
    this.agentsById.delete(agentId);
    this.agentsByIndex.delete(agent.index);
    this.counters.agentRemovals++;
    this.log.log('I', 'master.cpp:10986', `Removed agent ${agentId} (${agent.hostname})`);
    this.events.emit({ type: 'AGENT_REMOVED', agentId });
  }

  /** Kills the framework's tasks and moves it to `completed_frameworks` (bounded). */
  teardownFramework(frameworkId: string): void {
    const framework = this.frameworks.get(frameworkId);
    if (!framework) return;
    this.allocator.removeFramework(frameworkId);
    for (const task of [...framework.tasks.values()]) {
      this.updateTask(task as SimTask, 'TASK_KILLED', {
        reason: 'REASON_FRAMEWORK_REMOVED',
        source: 'SOURCE_MASTER',
      });
    }
    this.retireFramework(framework);
    this.heldByFramework.delete(frameworkId);
  }

  /** Accepts a task for an agent: TASK_STAGING, no status yet (like Mesos before the agent reports). */
  launchTask(spec: {
    framework: FrameworkRecord;
    agent: SimAgent;
    name: string;
    taskId?: string;
    resources: ClusterResources;
    role: string;
    command: string;
    launchedAt?: number;
  }): SimTask {
    const task = new SimTask(
      spec.taskId ?? `${spec.name}.${this.ids.uuid()}`,
      spec.name,
      spec.framework.id,
      spec.agent,
      spec.resources,
      spec.role,
      spec.framework.user,
      spec.command,
      this.ids.uuid(),
      spec.launchedAt ?? nowSecs(),
    );
    spec.framework.tasks.set(task.id, task);
    this.tasksById.set(task.id, task);
    spec.agent.tasks.add(task);
    accumulateResources(spec.agent.used, task.resources, 1);
    this.hold(task.role, task.frameworkId, task.resources, 1);
    this.liveCounts.set('TASK_STAGING', (this.liveCounts.get('TASK_STAGING') ?? 0) + 1);
    this.counters.launchTasks++;
    this.events.emit({ type: 'TASK_ADDED', task });
    return task;
  }

  /** Records a status update; terminal ones move the task to its framework's completed tasks. */
  updateTask(
    task: SimTask,
    state: TaskState,
    extra: Pick<TaskStatusJson, 'reason' | 'message' | 'source'> = {},
    timestamp = nowSecs(),
  ): void {
    if (TERMINAL_STATES.has(task.state)) return;
    const status: TaskStatusJson = { state, timestamp, source: extra.source ?? 'SOURCE_EXECUTOR' };
    if (extra.reason) status.reason = extra.reason;
    if (extra.message) status.message = extra.message;
    const agent = task.agent;
    this.liveCounts.set(task.state, (this.liveCounts.get(task.state) ?? 0) - 1);
    this.recordStatus(task, status, agent);
    if (!TERMINAL_STATES.has(state)) {
      this.liveCounts.set(state, (this.liveCounts.get(state) ?? 0) + 1);
    } else {
      this.releaseTask(task, state, agent);
      agent.tasks.delete(task);
      accumulateResources(agent.used, task.resources, -1);
      this.hold(task.role, task.frameworkId, task.resources, -1);
      agent.completed.push(task);
      if (agent.completed.length > MAX_COMPLETED_EXECUTORS_PER_AGENT) agent.completed.shift();
      this.tasksById.delete(task.id);
    }
    this.events.emit({ type: 'TASK_UPDATED', task, status });
    if (TERMINAL_STATES.has(state)) this.allocator.agentChanged(agent.id);
  }

  /** Offers free resources of an agent to a framework (the allocator's pass calls it). */
  createOffer(
    frameworkId: string,
    agent: SimAgent,
    resources: ClusterResources,
    role: string,
  ): OfferRecord | undefined {
    if (!this.frameworks.has(frameworkId) || agent.deactivated || !this.agentsById.has(agent.id))
      return undefined;
    const free = agent.free();
    if (SCALARS.some((key) => resources[key] > free[key] + 1e-9)) return undefined;
    const offer = this.addOffer({ frameworkId, agentId: agent.id, role, resources });
    accumulateResources(agent.offered, resources, 1);
    this.hold(role, frameworkId, resources, 1);
    return offer;
  }

  /** The master withdraws an offer: its resources go back to the agent, for the next pass. */
  rescindOffer(offerId: string): void {
    const offer = this.removeOffer(offerId);
    if (!offer) return;
    this.release(offer);
    this.allocator.agentChanged(offer.agentId);
  }

  /** A framework used or declined the offer. */
  override withdrawOffer(offerId: string): OfferRecord | undefined {
    const offer = super.withdrawOffer(offerId);
    if (offer) this.release(offer);
    return offer;
  }

  /** Marks an agent deactivated or active again (no event: Mesos has none for this). */
  setDeactivated(agentId: string, deactivated: boolean): void {
    const agent = this.agentsById.get(agentId);
    if (!agent) return;
    agent.deactivated = deactivated;
    if (deactivated) {
      for (const offer of [...this.offers.values()])
        if (offer.agentId === agentId) this.rescindOffer(offer.id);
    } else this.allocator.agentChanged(agentId);
  }

  private release(offer: OfferRecord): void {
    const agent = this.agentsById.get(offer.agentId);
    if (agent) accumulateResources(agent.offered, offer.resources, -1);
    this.hold(offer.role, offer.frameworkId, offer.resources, -1);
  }

  private hold(role: string, frameworkId: string, r: Resources, sign: 1 | -1): void {
    for (const [map, key] of [
      [this.heldByRole, role],
      [this.heldByFramework, frameworkId],
    ] as const) {
      const held = map.get(key);
      if (held) accumulateResources(held, r, sign);
      else if (sign > 0) map.set(key, { cpus: r.cpus, gpus: r.gpus, mem: r.mem, disk: r.disk });
    }
  }

  /** The live task with that id, if any (from the live task index). */
  override liveTask(taskId: string): SimTask | undefined {
    return this.tasksById.get(taskId);
  }

  /** Live tasks by state, from the counts kept as tasks change (not a walk over 100,000 tasks). */
  override liveTaskCounts(): ReadonlyMap<string, number> {
    return this.liveCounts;
  }

  agentViews(): AgentView[] {
    return this.agents.map(simAgentView);
  }
}

/** What the master knows of a simulated agent: no reservations, allocation and offers kept as they change. */
export function simAgentView(agent: SimAgent): AgentView {
  return {
    agent,
    used: agent.used,
    offered: agent.offered,
    unreserved: agent.resources,
    reserved: {},
    reservedFull: {},
    active: !agent.deactivated,
  };
}
