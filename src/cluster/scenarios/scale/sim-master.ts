import { join } from 'node:path';
import { GlogFile } from '../../glog';
import type { IdSource } from '../../master/ids';
import { nowSecs } from '../../master/ids';
import { terminalTaskMetrics } from '../../master/master-fields';
import { TERMINAL_STATES } from '../../master/model';
import type { MaintenanceState } from '../../http/master-server';
import type { MasterWrites } from '../../operator-api/master-writes';
import type { FrameworkRecord, OfferRecord, TaskRecord, TaskState, TaskStatusJson } from '../../master/model';
import { MasterEventBus } from '../../operator-api/master-events';
import type { OperatorAgent, OperatorMaster } from '../../operator-api/operator-master';
import { emptyResources } from '../../master/resources';
import type { ClusterResources } from '../../master/resources';

/** Completed executors an agent keeps for its state (Mesos keeps 150 per framework; this is per agent). */
export const MAX_COMPLETED_EXECUTORS_PER_AGENT = 50;

const LIVE_STATES = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'] as const;

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** `a += sign * b` on the scalars (simulated tasks take no ports). */
function addScalars(a: ClusterResources, b: ClusterResources, sign: 1 | -1): void {
  a.cpus = round3(a.cpus + sign * b.cpus);
  a.gpus = round3(a.gpus + sign * b.gpus);
  a.mem = round3(a.mem + sign * b.mem);
  a.disk = round3(a.disk + sign * b.disk);
}

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
      cpus: round3(r.cpus - this.used.cpus - this.offered.cpus),
      gpus: round3(r.gpus - this.used.gpus - this.offered.gpus),
      mem: round3(r.mem - this.used.mem - this.offered.mem),
      disk: round3(r.disk - this.used.disk - this.offered.disk),
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

export interface SimFrameworkSpec {
  name: string;
  user: string;
  roles: string[];
  principal?: string;
  webuiUrl?: string;
  capabilities?: string[];
  registeredTime?: number;
}

/**
 * The master of a simulated cluster: agents, frameworks, tasks and offers held in memory with the
 * aggregates a big cluster needs (per-agent allocation, live task counts), and every change announced on
 * {@link events} like Mesos announces it to operator API subscribers.
 */
export class SimMaster implements OperatorMaster {
  readonly startTime = nowSecs();
  readonly electedTime = this.startTime;
  masterPort = 0;
  agentPort = 0;
  readonly agents: SimAgent[] = [];
  readonly agentsById = new Map<string, SimAgent>();
  /** By libprocess index: `slave(N)` is index N - 1. */
  readonly agentsByIndex = new Map<number, SimAgent>();
  readonly frameworks = new Map<string, FrameworkRecord>();
  readonly completedFrameworks: FrameworkRecord[] = [];
  readonly offers = new Map<string, OfferRecord>();
  readonly events = new MasterEventBus();
  readonly tasksById = new Map<string, SimTask>();
  /** What `/master/maintenance/schedule` and `/master/maintenance/status` serve. */
  readonly maintenance: MaintenanceState = { schedule: {}, status: {} };
  /** The operator writes it supports (see sim-writes.ts). */
  writes: MasterWrites | undefined;
  readonly log: GlogFile;
  readonly logDir: string;
  /** Live tasks by state, for metrics. */
  readonly liveCounts = new Map<string, number>(LIVE_STATES.map((s) => [s, 0]));
  readonly counters = {
    terminalTasks: new Map<string, number>(),
    validStatusUpdates: 0,
    launchTasks: 0,
    killTasks: 0,
    offersSent: 0,
    offersRescinded: 0,
    frameworkRegistrations: 0,
    agentRegistrations: 0,
    agentRemovals: 0,
  };
  private frameworkSeq = 0;
  private offerSeq = 0;
  private agentSeq = 0;
  readonly completedCap: number;
  readonly completedFrameworksCap: number;
  /** Open operator API streams (set by the server that serves them). */
  subscriberCount: () => number = () => 0;

  constructor(
    readonly masterId: string,
    readonly host: string,
    readonly clusterName: string,
    readonly workDir: string,
    readonly ids: IdSource,
    limits: { maxCompletedTasksPerFramework: number; completedFrameworks: number },
  ) {
    this.completedCap = limits.maxCompletedTasksPerFramework;
    this.completedFrameworksCap = limits.completedFrameworks;
    this.logDir = join(workDir, 'master', 'log');
    this.log = new GlogFile(join(this.logDir, 'mesos-master.INFO'));
    this.log.log('I', 'main.cpp:397', 'Version: 1.11.0');
    this.log.log('I', 'master.cpp:416', `Master ${masterId} (${host}) started`);
    this.log.log('I', 'master.cpp:2136', 'Elected as the leading master!');
  }

  get pid(): string {
    return `master@${this.host}:${this.masterPort}`;
  }

  agentList(): Iterable<SimAgent> {
    return this.agents;
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

  registerFramework(spec: SimFrameworkSpec): FrameworkRecord {
    const id = `${this.masterId}-${String(this.frameworkSeq++).padStart(4, '0')}`;
    const framework: FrameworkRecord = {
      id,
      name: spec.name,
      user: spec.user,
      hostname: this.host,
      principal: spec.principal,
      webuiUrl: spec.webuiUrl ?? '',
      roles: spec.roles,
      singleRole: false,
      capabilities: spec.capabilities ?? ['MULTI_ROLE', 'TASK_KILLING_STATE', 'PARTITION_AWARE'],
      failoverTimeout: 604800,
      checkpoint: true,
      registeredTime: spec.registeredTime ?? nowSecs(),
      unregisteredTime: 0,
      active: true,
      tasks: new Map(),
      completedTasks: [],
      unreachableTasks: [],
    };
    this.frameworks.set(id, framework);
    this.counters.frameworkRegistrations++;
    this.events.emit({ type: 'FRAMEWORK_ADDED', framework });
    return framework;
  }

  /** Kills the framework's tasks and moves it to `completed_frameworks` (bounded). */
  teardownFramework(frameworkId: string): void {
    const framework = this.frameworks.get(frameworkId);
    if (!framework) return;
    for (const offer of [...this.offers.values()]) {
      if (offer.frameworkId === frameworkId) this.rescindOffer(offer.id);
    }
    for (const task of [...framework.tasks.values()]) {
      this.updateTask(task as SimTask, 'TASK_KILLED', {
        reason: 'REASON_FRAMEWORK_REMOVED',
        source: 'SOURCE_MASTER',
      });
    }
    framework.active = false;
    framework.unregisteredTime = nowSecs();
    this.frameworks.delete(frameworkId);
    this.completedFrameworks.push(framework);
    if (this.completedFrameworks.length > this.completedFrameworksCap) this.completedFrameworks.shift();
    this.events.emit({ type: 'FRAMEWORK_REMOVED', framework });
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
    addScalars(spec.agent.used, task.resources, 1);
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
    this.liveCounts.set(task.state, (this.liveCounts.get(task.state) ?? 0) - 1);
    task.statuses.push(status);
    task.state = state;
    this.counters.validStatusUpdates++;
    task.agent.counters.statusUpdates++;
    if (!TERMINAL_STATES.has(state)) {
      this.liveCounts.set(state, (this.liveCounts.get(state) ?? 0) + 1);
    } else {
      this.counters.terminalTasks.set(state, (this.counters.terminalTasks.get(state) ?? 0) + 1);
      const agent = task.agent;
      agent.counters.terminalTasks.set(state, (agent.counters.terminalTasks.get(state) ?? 0) + 1);
      agent.tasks.delete(task);
      addScalars(agent.used, task.resources, -1);
      agent.completed.push(task);
      if (agent.completed.length > MAX_COMPLETED_EXECUTORS_PER_AGENT) agent.completed.shift();
      const framework = this.frameworks.get(task.frameworkId);
      if (framework) {
        framework.tasks.delete(task.id);
        this.pushCompleted(framework, task);
      }
      this.tasksById.delete(task.id);
    }
    this.events.emit({ type: 'TASK_UPDATED', task, status });
  }

  /** Adds to a framework's completed tasks, dropping the oldest beyond Mesos's cap. */
  pushCompleted(framework: FrameworkRecord, task: TaskRecord): void {
    framework.completedTasks.push(task);
    if (framework.completedTasks.length > this.completedCap) framework.completedTasks.shift();
  }

  createOffer(framework: FrameworkRecord, agent: SimAgent, resources: ClusterResources): OfferRecord {
    const offer: OfferRecord = {
      id: `${this.masterId}-O${this.offerSeq++}`,
      frameworkId: framework.id,
      agentId: agent.id,
      role: framework.roles[0] ?? '*',
      resources,
    };
    this.offers.set(offer.id, offer);
    addScalars(agent.offered, resources, 1);
    this.counters.offersSent++;
    return offer;
  }

  rescindOffer(offerId: string): void {
    const offer = this.offers.get(offerId);
    if (!offer) return;
    this.offers.delete(offerId);
    const agent = this.agentsById.get(offer.agentId);
    if (agent) addScalars(agent.offered, offer.resources, -1);
    this.counters.offersRescinded++;
  }

  /** Marks an agent deactivated or active again (no event: Mesos has none for this). */
  setDeactivated(agentId: string, deactivated: boolean): void {
    const agent = this.agentsById.get(agentId);
    if (agent) agent.deactivated = deactivated;
  }

  /** The live task with that id, if any. */
  liveTask(taskId: string): SimTask | undefined {
    return this.tasksById.get(taskId);
  }

  /** A task by id, live or completed. */
  findTask(taskId: string): TaskRecord | undefined {
    const live = this.tasksById.get(taskId);
    if (live) return live;
    for (const framework of [...this.frameworks.values(), ...this.completedFrameworks]) {
      const done = framework.completedTasks.find((t) => t.id === taskId);
      if (done) return done;
    }
    return undefined;
  }

  flags(): Record<string, string> {
    return simMasterFlags(this);
  }

  metrics(): Record<string, number> {
    return simMasterMetrics(this);
  }
}

/** The master's flags, as strings (what `/master/flags` and GET_FLAGS report). */
export function simMasterFlags(master: SimMaster): Record<string, string> {
  return {
    agent_ping_timeout: '15secs',
    allocation_interval: '1secs',
    allocator: 'hierarchical',
    authenticate_agents: 'false',
    authenticate_frameworks: 'false',
    authenticate_http_readonly: 'false',
    authenticate_http_readwrite: 'false',
    cluster: master.clusterName,
    framework_sorter: 'drf',
    hostname_lookup: 'true',
    ip: master.host,
    log_dir: master.logDir,
    logging_level: 'INFO',
    max_completed_frameworks: String(master.completedFrameworksCap),
    max_completed_tasks_per_framework: String(master.completedCap),
    max_operator_event_stream_subscribers: '1000',
    max_unreachable_tasks_per_framework: '1000',
    port: String(master.masterPort),
    registry: 'in_memory',
    work_dir: join(master.workDir, 'master'),
    zk_session_timeout: '10secs',
  };
}

/** `/metrics/snapshot` of the simulated master: O(agents), never O(tasks). */
export function simMasterMetrics(master: SimMaster): Record<string, number> {
  const total = emptyResources();
  const used = emptyResources();
  let active = 0;
  for (const agent of master.agents) {
    addScalars(total, agent.resources, 1);
    addScalars(used, agent.used, 1);
    if (!agent.deactivated) active++;
  }
  const out: Record<string, number> = {};
  for (const key of ['cpus', 'gpus', 'mem', 'disk'] as const) {
    out[`master/${key}_total`] = total[key];
    out[`master/${key}_used`] = used[key];
    out[`master/${key}_percent`] = total[key] > 0 ? used[key] / total[key] : 0;
  }
  const live = (state: string) => master.liveCounts.get(state) ?? 0;
  return {
    ...out,
    'master/elected': 1,
    'master/uptime_secs': nowSecs() - master.startTime,
    'master/slaves_active': active,
    'master/slaves_connected': master.agents.length,
    'master/slaves_disconnected': 0,
    'master/slaves_inactive': master.agents.length - active,
    'master/slaves_unreachable': 0,
    'master/frameworks_active': master.frameworks.size,
    'master/frameworks_connected': master.frameworks.size,
    'master/frameworks_disconnected': 0,
    'master/frameworks_inactive': 0,
    'master/tasks_staging': live('TASK_STAGING'),
    'master/tasks_starting': live('TASK_STARTING'),
    'master/tasks_running': live('TASK_RUNNING'),
    'master/tasks_killing': live('TASK_KILLING'),
    'master/tasks_unreachable': 0,
    ...terminalTaskMetrics(master.counters.terminalTasks),
    'master/outstanding_offers': master.offers.size,
    'master/slave_registrations': master.counters.agentRegistrations,
    'master/slave_removals': master.counters.agentRemovals,
    'master/valid_status_updates': master.counters.validStatusUpdates,
    'master/messages_launch_tasks': master.counters.launchTasks,
    'master/messages_kill_task': master.counters.killTasks,
    'master/messages_register_framework': master.counters.frameworkRegistrations,
    'master/operator_event_stream_subscribers': master.subscriberCount(),
  };
}
