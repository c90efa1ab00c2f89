/**
 * The compact views the BFF serves to the SPA. The UI imports these as types only; the BFF builds them from
 * the cluster model. Times are Mesos times: seconds since the epoch (floating point), except `*At` fields,
 * which are mesoscope's own clock in milliseconds.
 */
import type { Resources } from '../../mesos/resources';
import type { TaskCounts } from '../../mesos/task-state';

export type { Resources, TaskCounts };

/** GET /api/status: where mesoscope gets its data from and how fresh it is. */
export interface StatusView {
  mode: 'local' | 'remote';
  /** The masters mesoscope was told about (credentials removed). */
  masters: string[];
  leader: { url: string; hostname: string; port: number; id: string | null } | null;
  /** True when the last poll of the leader succeeded. */
  connected: boolean;
  /** When cluster data was last fetched successfully (ms), or null if never. */
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  /** A user-facing explanation of the last failure, never containing credentials. */
  lastError: string | null;
  pollIntervalMs: number;
  /** mesoscope's own version. */
  version: string;
}

export interface MasterInfoView {
  id: string;
  hostname: string;
  pid: string;
  version: string;
  buildDate: string | null;
  buildTime: number | null;
  buildUser: string | null;
  startTime: number | null;
  electedTime: number | null;
  cluster: string | null;
  leader: { hostname: string; port: number; pid: string } | null;
  /** True when the master serves its log at /master/log (log_dir or external_log_file set). */
  logAvailable: boolean;
}

/** GET /api/overview */
export interface OverviewView {
  snapshotAt: number;
  master: MasterInfoView;
  agents: { activated: number; deactivated: number; unreachable: number };
  tasks: TaskCounts;
  resources: { total: Resources; allocated: Resources; offered: Resources; idle: Resources };
  frameworks: { active: number; inactive: number; completed: number };
}

export type TaskGroup = 'active' | 'unreachable' | 'completed';
export type TaskSortKey = 'id' | 'name' | 'framework' | 'role' | 'state' | 'host' | 'start' | 'finish';

export interface TaskRow {
  id: string;
  name: string;
  frameworkId: string;
  frameworkName: string | null;
  executorId: string;
  agentId: string;
  /** The agent's hostname, or null when the agent is not (or no longer) registered ("Agent offline"). */
  agentHostname: string | null;
  role: string | null;
  state: string;
  healthy: boolean | null;
  startTime: number | null;
  finishTime: number | null;
  resources: Resources;
}

/** GET /api/tasks?group=&q=&framework=&agent=&sort=&order=&offset=&limit= */
export interface TaskPage {
  snapshotAt: number;
  group: TaskGroup;
  total: number;
  offset: number;
  limit: number;
  rows: TaskRow[];
}

export interface FrameworkRow {
  id: string;
  name: string;
  hostname: string | null;
  webuiUrl: string | null;
  user: string | null;
  roles: string[];
  principal: string | null;
  active: boolean;
  connected: boolean | null;
  activeTasks: number;
  /** Allocated (used_resources) resources. */
  resources: Resources;
  /** The largest of the framework's CPU, GPU, mem and disk shares of the cluster total, 0..1. */
  maxShare: number;
  registeredTime: number | null;
  reregisteredTime: number | null;
  unregisteredTime: number | null;
}

/** GET /api/frameworks */
export interface FrameworksView {
  snapshotAt: number;
  active: FrameworkRow[];
  inactive: FrameworkRow[];
  completed: FrameworkRow[];
}

export type AgentStateLabel = 'Active' | 'Draining' | 'Drained' | 'Deactivated';

export interface AgentRow {
  id: string;
  hostname: string;
  port: number | null;
  state: AgentStateLabel;
  allocated: Resources;
  total: Resources;
  registeredTime: number | null;
  reregisteredTime: number | null;
  version: string | null;
}

/** GET /api/agents */
export interface AgentsView {
  snapshotAt: number;
  agents: AgentRow[];
}

/** GET /api/sandbox?agent=&framework=&executor=&task= : where a task's or executor's sandbox is on its agent. */
export interface SandboxView {
  agentId: string;
  agentHostname: string;
  frameworkId: string;
  executorId: string;
  taskId: string | null;
  /** Absolute path of the sandbox directory on the agent, as /files/browse expects it. */
  directory: string;
}

/** Every error the BFF returns to the browser has this shape. */
export interface ApiErrorBody {
  error: string;
  message: string;
  statusCode: number;
}
