/**
 * The views behind the framework, agent, executor, offers, roles and maintenance pages. Same conventions as
 * views.ts: Mesos times in seconds, `*At` fields in mesoscope's milliseconds, mem/disk in MB.
 */
import type { ResourceProviderSummary } from '../../mesos/agent-state';
import type { UsedResources } from '../../mesos/monitor';
import type { QuotaAmounts } from '../../mesos/roles';
import type {
  AgentStateLabel,
  DepartedAgentState,
  FrameworkRow,
  Resources,
  TaskCounts,
  TaskRow,
} from './views';

export type { QuotaAmounts, ResourceProviderSummary, UsedResources };

/** GET /api/frameworks/:frameworkId */
export interface FrameworkDetailView {
  snapshotAt: number;
  framework: FrameworkRow;
  /** True for a framework in `completed_frameworks` ("This framework has terminated!"). */
  terminated: boolean;
  /** Counted over the framework's active, unreachable and completed tasks, as the Mesos framework page does. */
  tasks: TaskCounts;
  allocated: Resources;
  offered: Resources;
  capabilities: string[];
  failoverTimeout: number | null;
  checkpoint: boolean | null;
  /** Outstanding offers made to this framework. */
  offers: number;
  /**
   * The framework's apps: its tasks grouped by name, as Marathon names every instance of an app (`web.prod`
   * for `/prod/web`), with how many instances are in each state; at most {@link MAX_APPS}, the most active first.
   */
  apps: FrameworkApp[];
  /** Apps left out of a longer list. */
  appsOmitted: number;
}

export const MAX_APPS = 500;

export interface FrameworkApp {
  name: string;
  /** Instances not yet ended (staging, starting, running, killing). */
  active: number;
  running: number;
  /** Ended instances kept by the master, and of those how many failed (FAILED, ERROR, LOST, GONE...). */
  completed: number;
  failed: number;
  unreachable: number;
}

/**
 * Freshness of a view read from an agent or from a master endpoint outside the regular poll: when it was read,
 * and, when the latest read failed, why (the data shown is then the last good one).
 */
export interface Freshness {
  fetchedAt: number;
  problem: string | null;
}

export interface AgentDrainView {
  state: 'DRAINING' | 'DRAINED' | null;
  markGone: boolean | null;
  maxGracePeriodSecs: number | null;
  /** Seconds. */
  estimatedDrainStart: number | null;
  /** Seconds: start + max grace period (the agent page's "Estimated drain end time"). */
  estimatedDrainEnd: number | null;
}

export interface ReservationRow {
  /** null for the "Unreserved" row. */
  role: string | null;
  allocated: Resources;
  reserved: Resources;
}

export interface AgentFrameworkRow {
  id: string;
  name: string;
  user: string | null;
  roles: string[];
  activeTasks: number;
  executors: number;
  /** From the agent's monitor (CPU as a rate over two samples); null where nothing is reported. */
  used: UsedResources;
  allocated: Resources;
}

/** GET /api/agents/:agentId: the master's record of the agent plus what the agent itself says. */
export interface AgentDetailView extends Freshness {
  agentId: string;
  hostname: string;
  port: number | null;
  pid: string | null;
  cluster: string | null;
  masterHostname: string | null;
  version: string | null;
  buildDate: string | null;
  buildTime: number | null;
  buildUser: string | null;
  startTime: number | null;
  state: AgentStateLabel;
  registeredTime: number | null;
  reregisteredTime: number | null;
  /** True when the agent serves /slave/log. */
  logAvailable: boolean;
  drain: AgentDrainView | null;
  /** From the agent's `slave/tasks_*` metrics; null when its metrics could not be read. */
  tasks: TaskCounts | null;
  resources: { used: UsedResources; allocated: Resources; available: Resources; total: Resources };
  reservations: ReservationRow[];
  resourceProviders: ResourceProviderSummary[];
  attributes: Record<string, string | number>;
  frameworks: AgentFrameworkRow[];
  completedFrameworks: AgentFrameworkRow[];
}

export interface ExecutorRow {
  id: string;
  name: string;
  source: string;
  role: string | null;
  activeTasks: number;
  queuedTasks: number;
  completedTasks: number;
  used: UsedResources;
  allocated: Resources;
  /** Absolute sandbox path on the agent. */
  directory: string;
}

/** GET /api/agents/:agentId/frameworks/:frameworkId: one framework's executors on one agent. */
export interface AgentFrameworkView extends Freshness {
  agentId: string;
  agentHostname: string;
  masterHostname: string | null;
  framework: {
    id: string;
    name: string;
    user: string | null;
    principal: string | null;
    roles: string[];
    activeTasks: number;
    /** Listed under the agent's `completed_frameworks`. */
    completed: boolean;
  };
  resources: { used: UsedResources; allocated: Resources };
  executors: ExecutorRow[];
  completedExecutors: ExecutorRow[];
}

/** An amount with its limit; a limit is null when none is set and 'unlimited' when Mesos says so. */
export interface AllocatedAndLimit {
  allocated: number;
  limit: number | 'unlimited' | null;
}

export interface ExecutorTaskRow {
  id: string;
  name: string;
  /** null for a queued task (it has no state yet). */
  state: string | null;
  healthy: boolean | null;
  role: string | null;
  startTime: number | null;
  finishTime: number | null;
  cpus: AllocatedAndLimit;
  mem: AllocatedAndLimit;
  gpus: number;
  disk: number;
  /** The task's own sandbox (under `tasks/<id>` for DEFAULT executors). */
  sandbox: string;
}

/** GET /api/agents/:agentId/frameworks/:frameworkId/executors/:executorId */
export interface ExecutorView extends Freshness {
  agentId: string;
  agentHostname: string;
  cluster: string | null;
  masterHostname: string | null;
  frameworkId: string;
  frameworkName: string;
  executor: {
    id: string;
    name: string;
    source: string;
    role: string | null;
    type: string | null;
    container: string | null;
    directory: string;
    completed: boolean;
  };
  resources: { used: UsedResources; allocated: Resources };
  queuedTasks: ExecutorTaskRow[];
  tasks: ExecutorTaskRow[];
  completedTasks: ExecutorTaskRow[];
}

export interface OfferRow {
  id: string;
  role: string | null;
  frameworkId: string;
  frameworkName: string | null;
  agentId: string;
  agentHostname: string | null;
  resources: Resources;
}

/** GET /api/offers */
export interface OffersView {
  snapshotAt: number;
  offers: OfferRow[];
}

export interface RoleRow {
  name: string;
  weight: number;
  frameworks: Array<{ id: string; name: string | null }>;
  allocated: Resources;
  offered: Resources;
  reserved: Resources;
  quota: { guarantee: QuotaAmounts; limit: QuotaAmounts; consumed: QuotaAmounts };
}

/** GET /api/roles, from the leader's /master/roles. */
export interface RolesView extends Freshness {
  /** False when the master has no /master/roles (Mesos before 0.21). */
  supported: boolean;
  /**
   * True when the master reports only `resources` (allocated + offered, Mesos before 1.x), shown as Allocated.
   */
  allocatedIncludesOffered: boolean;
  roles: RoleRow[];
}

export interface MachineView {
  hostname: string | null;
  ip: string | null;
  /** Hostname, falling back to the IP (as the Mesos UI names a machine). */
  label: string;
  /** The registered agents running on this machine. */
  agents: Array<{ id: string; hostname: string; state: AgentStateLabel }>;
}

export interface MaintenanceWindowView {
  /** Seconds. */
  startTime: number;
  /** Seconds; null when the window has no duration. */
  endTime: number | null;
  machines: MachineView[];
}

export interface InverseOfferView {
  frameworkId: string | null;
  frameworkName: string | null;
  /** UNKNOWN (no answer yet), ACCEPT or DECLINE. */
  status: string;
  /** Seconds. */
  timestamp: number | null;
}

/** GET /api/maintenance, from /master/maintenance/schedule and /master/maintenance/status. */
export interface MaintenanceView extends Freshness {
  /** False when the master has no maintenance endpoints (Mesos before 0.25). */
  supported: boolean;
  windows: MaintenanceWindowView[];
  draining: Array<{ machine: MachineView; statuses: InverseOfferView[] }>;
  down: MachineView[];
}

/**
 * GET /api/agents/:agentId for an agent the master no longer lists: what mesoscope knows of it (from when it
 * was listed, and from the tasks the master still lists on it), since it cannot be asked itself.
 */
export interface DepartedAgentView {
  snapshotAt: number;
  departed: true;
  agentId: string;
  hostname: string | null;
  port: number | null;
  state: DepartedAgentState;
  /** Seconds: since when it is in that state, when known. */
  since: number | null;
  /** Seconds: the last time it was heard of (listed by the master, or a status from one of its tasks). */
  lastSeen: number | null;
  total: Resources | null;
  version: string | null;
  cluster: string | null;
  /** Every task the master still lists on it, unreachable and active first, then by finish time. */
  tasks: TaskRow[];
}
