import { join } from 'node:path';
import { GlogFile } from '../glog';
import { MasterEventBus } from '../operator-api/master-events';
import type { MaintenanceState } from '../http/master-server';
import type { AgentView } from '../operator-api/master-writers';
import { sumAllocation } from './allocator/allocator';
import type { AllocationSums } from './allocator/allocator';
import type { IdSource } from './ids';
import { nowSecs } from './ids';
import { masterFlags } from './master-fields';
import type { FrameworkRecord, OfferRecord, TaskRecord, TaskState, TaskStatusJson } from './model';
import type { ClusterResources } from './resources';

/** Mesos's `--max_completed_tasks_per_framework` default. */
export const MAX_COMPLETED_TASKS_PER_FRAMEWORK = 1000;
/** Mesos's `--max_completed_frameworks` default. */
export const MAX_COMPLETED_FRAMEWORKS = 50;

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
  /** When it registered (float secs; default now). */
  registeredTime?: number;
}

/** What the master counts of an agent (its `slave/*` metrics). */
export interface ModelAgent {
  readonly id: string;
  readonly resources: ClusterResources;
  /** Deactivated (or draining): the master sends it no offers. */
  readonly deactivated: boolean;
  readonly counters: { terminalTasks: Map<string, number>; statusUpdates: number };
}

/** Quota configured for a role (`/master/roles`, `/master/quota`). */
export interface RoleQuota {
  guarantee?: Partial<Record<'cpus' | 'mem' | 'disk' | 'gpus', number>>;
  limit?: Partial<Record<'cpus' | 'mem' | 'disk' | 'gpus', number>>;
}

/** Reserved resources by role, and how much of each role's reservation its tasks use. */
export interface RoleReservations {
  reserved: ReadonlyMap<string, ClusterResources>;
  allocated: ReadonlyMap<string, ClusterResources>;
}

/** Static settings of a master model. */
export interface MasterModelConfig {
  masterId: string;
  host: string;
  clusterName: string;
  ids: IdSource;
  /** The master's own work dir (`<cluster work dir>/master`); its log is under `log/`. */
  masterWorkDir: string;
  /** Caps of `completed_frameworks` and of each framework's `completed_tasks`. */
  limits?: { maxCompletedTasksPerFramework?: number; completedFrameworks?: number };
  /** Framework settings a SUBSCRIBE leaves out. */
  frameworkDefaults?: Partial<Pick<FrameworkRecord, 'capabilities' | 'failoverTimeout' | 'checkpoint'>>;
  /** Where each master log line also goes (besides the log file). */
  logSink?: (line: string) => void;
}

/**
 * The master's bookkeeping, whatever runs the tasks (real processes on local agents, or a simulation):
 * frameworks and their tasks, completed frameworks and tasks within Mesos's caps, offers, status updates,
 * lifetime counters, the maintenance documents, the master log, and the event bus the operator API streams.
 * Every v0 document is rendered from it by one renderer (master-json.ts); a subclass says how it sees its
 * agents ({@link agentViews}) and may keep counts that spare the renderer a walk over every task.
 */
export abstract class MasterModel<Agent extends ModelAgent> {
  /** The leading master's id (new framework and offer ids carry it, as in Mesos). */
  masterId: string;
  readonly host: string;
  readonly clusterName: string;
  readonly ids: IdSource;
  /** The master's own work dir (`--work_dir`). */
  readonly masterWorkDir: string;
  readonly logDir: string;
  readonly log: GlogFile;
  startTime = nowSecs();
  electedTime = this.startTime;
  masterPort = 0;
  readonly agents: Agent[] = [];
  /** Agents the master gave up on (no longer in `agents`). */
  readonly unreachableAgents: Agent[] = [];
  readonly frameworks = new Map<string, FrameworkRecord>();
  readonly completedFrameworks: FrameworkRecord[] = [];
  readonly offers = new Map<string, OfferRecord>();
  /** What `/master/maintenance/schedule` and `/master/maintenance/status` serve (`{}` when nothing is planned). */
  readonly maintenance: MaintenanceState = { schedule: {}, status: {} };
  /** Changes as the operator API's SUBSCRIBE stream announces them. */
  readonly events = new MasterEventBus();
  /** Role weights (`/master/weights`); a role without one weighs 1. */
  readonly weights = new Map<string, number>();
  /** Quota by role. */
  readonly quotas = new Map<string, RoleQuota>();
  /** Open operator API streams (set by the endpoint that serves them). */
  subscriberCount: () => number = () => 0;
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
    agentRegistrations: 0,
    agentRemovals: 0,
  };
  readonly completedCap: number;
  readonly completedFrameworksCap: number;
  private readonly frameworkDefaults: Pick<
    FrameworkRecord,
    'capabilities' | 'failoverTimeout' | 'checkpoint'
  >;
  private frameworkSeq = 0;
  private offerSeq = 0;

  constructor(config: MasterModelConfig) {
    this.masterId = config.masterId;
    this.host = config.host;
    this.clusterName = config.clusterName;
    this.ids = config.ids;
    this.completedCap = config.limits?.maxCompletedTasksPerFramework ?? MAX_COMPLETED_TASKS_PER_FRAMEWORK;
    this.completedFrameworksCap = config.limits?.completedFrameworks ?? MAX_COMPLETED_FRAMEWORKS;
    this.frameworkDefaults = {
      capabilities: [],
      failoverTimeout: 0,
      checkpoint: false,
      ...config.frameworkDefaults,
    };
    this.masterWorkDir = config.masterWorkDir;
    this.logDir = join(config.masterWorkDir, 'log');
    const sink = config.logSink;
    this.log = new GlogFile(join(this.logDir, 'mesos-master.INFO'), sink && ((l) => sink(`[master] ${l}`)));
    this.log.log('I', 'main.cpp:395', `Build: 2020-11-19 16:25:40 by mesoscope`);
    this.log.log('I', 'main.cpp:397', 'Version: 1.11.0');
    this.log.log('I', 'master.cpp:416', `Master ${this.masterId} (${this.host}) started`);
    this.log.log('I', 'master.cpp:2136', 'Elected as the leading master!');
  }

  /** `master@host:port`. */
  get pid(): string {
    return `master@${this.host}:${this.masterPort}`;
  }

  /** Every registered agent as the master sees it (resources used, offered, reserved), in registration order. */
  abstract agentViews(): AgentView[];

  /** Resources of live tasks on an agent. */
  abstract usedOn(agentId: string): ClusterResources;

  /** Resources in outstanding offers on an agent. */
  abstract offeredOn(agentId: string): ClusterResources;

  /** Live (non-terminal, reachable) tasks by state. */
  liveTaskCounts(): ReadonlyMap<string, number> {
    const counts = new Map<string, number>();
    for (const framework of this.frameworks.values()) {
      for (const task of framework.tasks.values()) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    }
    return counts;
  }

  /** Reservations by role and the part of each in use (none unless the agents reserve resources). */
  roleReservations(): RoleReservations {
    return { reserved: new Map(), allocated: new Map() };
  }

  /** `--flags`, as `/master/flags` shows them. */
  flags(): Record<string, string> {
    return masterFlags(this);
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
      capabilities: spec.capabilities ?? [...this.frameworkDefaults.capabilities],
      failoverTimeout: spec.failoverTimeout ?? this.frameworkDefaults.failoverTimeout,
      checkpoint: spec.checkpoint ?? this.frameworkDefaults.checkpoint,
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

  /** Finds a registered framework by name. */
  frameworkByName(name: string): FrameworkRecord | undefined {
    for (const framework of this.frameworks.values()) if (framework.name === name) return framework;
    return undefined;
  }

  /** Moves a framework whose tasks are gone to `completed_frameworks` (the oldest drop beyond the cap). */
  retireFramework(framework: FrameworkRecord): void {
    framework.active = false;
    framework.unregisteredTime = nowSecs();
    this.frameworks.delete(framework.id);
    this.completedFrameworks.push(framework);
    if (this.completedFrameworks.length > this.completedFrameworksCap) this.completedFrameworks.shift();
    this.events.emit({ type: 'FRAMEWORK_REMOVED', framework });
  }

  /** Adds to a framework's completed tasks, dropping the oldest beyond Mesos's cap. */
  pushCompleted(framework: FrameworkRecord, task: TaskRecord): void {
    framework.completedTasks.push(task);
    if (framework.completedTasks.length > this.completedCap) framework.completedTasks.shift();
  }

  /** The live (non-terminal) task with that id, if any. */
  liveTask(taskId: string): TaskRecord | undefined {
    for (const framework of this.frameworks.values()) {
      const task = framework.tasks.get(taskId);
      if (task) return task;
    }
    return undefined;
  }

  /** Finds a task (live or completed) by id. */
  findTask(taskId: string): TaskRecord | undefined {
    const live = this.liveTask(taskId);
    if (live) return live;
    for (const framework of [...this.frameworks.values(), ...this.completedFrameworks]) {
      const done = framework.completedTasks.find((t) => t.id === taskId);
      if (done) return done;
    }
    return undefined;
  }

  /** Records an outstanding offer under a fresh id (`<masterId>-O<n>`). */
  protected addOffer(offer: Omit<OfferRecord, 'id'>): OfferRecord {
    const record: OfferRecord = { id: `${this.masterId}-O${this.offerSeq++}`, ...offer };
    this.offers.set(record.id, record);
    this.counters.offersSent++;
    return record;
  }

  /** What each role and framework holds in live tasks and outstanding offers (the allocator's DRF sums). */
  allocationSums(): AllocationSums {
    return sumAllocation(this.frameworks.values(), this.offers.values());
  }

  /**
   * Takes an outstanding offer out because its framework used or declined it (not a rescind); returns it, or
   * undefined when it was not outstanding.
   */
  withdrawOffer(offerId: string): OfferRecord | undefined {
    const offer = this.offers.get(offerId);
    if (!offer) return undefined;
    this.offers.delete(offerId);
    return offer;
  }

  /** Withdraws an outstanding offer; returns it, or undefined when it was not outstanding. */
  protected removeOffer(offerId: string): OfferRecord | undefined {
    const offer = this.offers.get(offerId);
    if (!offer) return undefined;
    this.offers.delete(offerId);
    this.counters.offersRescinded++;
    return offer;
  }

  /**
   * Appends a status update to a live task, counted as a valid update by the master and by the agent that
   * sent it. The caller announces it (TASK_UPDATED) and, for a terminal state, calls {@link releaseTask}.
   */
  protected recordStatus(task: TaskRecord, status: TaskStatusJson, agent: Agent | undefined): void {
    task.statuses.push(status);
    task.state = status.state;
    this.counters.validStatusUpdates++;
    if (agent) agent.counters.statusUpdates++;
  }

  /** Bookkeeping of a task that reached a terminal state: counted, and moved to its framework's completed tasks. */
  protected releaseTask(task: TaskRecord, state: TaskState, agent: Agent | undefined): void {
    this.counters.terminalTasks.set(state, (this.counters.terminalTasks.get(state) ?? 0) + 1);
    if (agent) agent.counters.terminalTasks.set(state, (agent.counters.terminalTasks.get(state) ?? 0) + 1);
    const framework = this.frameworks.get(task.frameworkId);
    if (framework) {
      framework.tasks.delete(task.id);
      this.pushCompleted(framework, task);
    }
  }
}
