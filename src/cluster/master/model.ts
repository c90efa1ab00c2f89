import type { ClusterResources } from './resources';
import type { V1Json } from '../agent/launch-contract';
import type { TaskExtras } from './task-extras';

/** Every Mesos task state (the v0 JSON uses these names verbatim). */
export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_KILLED'
  | 'TASK_FAILED'
  | 'TASK_LOST'
  | 'TASK_ERROR'
  | 'TASK_DROPPED'
  | 'TASK_UNREACHABLE'
  | 'TASK_GONE'
  | 'TASK_GONE_BY_OPERATOR';

/** States after which a task never changes again. */
export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set([
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** A TaskStatus exactly as it is rendered in v0 JSON. */
export interface TaskStatusJson {
  state: TaskState;
  timestamp: number;
  source?: 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';
  reason?: string;
  message?: string;
  /** Set on the updates a health check sends. */
  healthy?: boolean;
  container_status?: {
    /** A task of a task group runs in a container nested in its executor's (`parent`). */
    container_id: { value: string; parent?: { value: string } };
    executor_pid?: number;
    network_infos: { ip_addresses: { protocol: 'IPv4'; ip_address: string }[] }[];
  };
}

/** A task known to the master (and to the agent running it). */
export interface TaskRecord {
  id: string;
  name: string;
  frameworkId: string;
  agentId: string;
  /** The agent-side executor id; for command tasks it equals the task id. */
  executorId: string;
  containerId: string;
  directory: string;
  command: string;
  resources: ClusterResources;
  role: string;
  user: string;
  state: TaskState;
  statuses: TaskStatusJson[];
  /** When the master accepted the launch (float secs); orders tasks that have no status yet. */
  launchedAt: number;
  /** Pid (= process group id) of the task shell once it is running. */
  pid?: number;
  killRequested: boolean;
  /** Labels, container, discovery info and health check, when the framework gave any. */
  extras?: TaskExtras;
  /** The TaskInfo of a task launched through the scheduler API, as the framework sent it. */
  taskInfo?: V1Json;
  /**
   * Set when the task runs under an executor the framework named (`CUSTOM`) or under the default executor
   * of a task group (`DEFAULT`); command tasks leave it out and render an empty `executor_id`.
   */
  executorType?: 'CUSTOM' | 'DEFAULT';
}

/** A command executor on an agent (one per command task, like Mesos). */
export interface ExecutorRecord {
  id: string;
  name: string;
  source: string;
  frameworkId: string;
  containerId: string;
  directory: string;
  resources: ClusterResources;
  role: string;
  /** The first task; a command executor has no other. */
  task: TaskRecord;
  /** Every task of a custom or default executor, in launch order (left out for command executors). */
  tasks?: TaskRecord[];
  /** Tasks of `tasks` not yet handed to the executor (it has not subscribed yet). */
  queuedTaskIds?: ReadonlySet<string>;
  /** `CUSTOM` or `DEFAULT` for an executor the framework named; left out for command executors. */
  type?: 'CUSTOM' | 'DEFAULT';
  /** Pid (= process group id) of the executor's own process, when it runs one. */
  pid?: number;
  /** Labels of the ExecutorInfo, as the agent state renders them. */
  labels?: unknown;
  /** The ExecutorInfo (v1 JSON) of an executor the framework named, as the agent's v1 API returns it. */
  info?: Record<string, unknown>;
}

/** The command executor Mesos starts for a command task, named after the task and its command. */
export function commandExecutorOf(task: TaskRecord): ExecutorRecord {
  const shortCommand = task.command.length > 15 ? `${task.command.slice(0, 15)}...` : task.command;
  return {
    id: task.executorId,
    name: `Command Executor (Task: ${task.id}) (Command: sh -c '${shortCommand}')`,
    source: task.id,
    frameworkId: task.frameworkId,
    containerId: task.containerId,
    directory: task.directory,
    resources: task.resources,
    role: task.role,
    task,
  };
}

/** A framework registered with the master. */
export interface FrameworkRecord {
  id: string;
  name: string;
  user: string;
  hostname: string;
  principal?: string;
  webuiUrl: string;
  roles: string[];
  /** Pre-MULTI_ROLE frameworks are rendered with `role` instead of `roles`. */
  singleRole: boolean;
  capabilities: string[];
  failoverTimeout: number;
  checkpoint: boolean;
  registeredTime: number;
  unregisteredTime: number;
  active: boolean;
  tasks: Map<string, TaskRecord>;
  completedTasks: TaskRecord[];
  unreachableTasks: TaskRecord[];
  /**
   * Executors the framework named that run on agents now (ExecutorInfo as v1 JSON, by `<agent id>/<executor
   * id>`); command executors are implicit and never listed.
   */
  executors?: Map<string, { agentId: string; info: Record<string, unknown> }>;
}

/** An outstanding offer. */
export interface OfferRecord {
  id: string;
  frameworkId: string;
  agentId: string;
  role: string;
  resources: ClusterResources;
  /** The part of `resources` statically reserved for `role` on the agent. */
  reserved?: ClusterResources;
}
