import type { TaskRecord, TaskState, TaskStatusJson } from '../master/model';

/** Grace period between SIGTERM and SIGKILL when killing a task. */
export const KILL_GRACE_MS = 2000;

/** What a task's status update says besides its state. */
export type StatusExtra = Pick<
  TaskStatusJson,
  'reason' | 'message' | 'container_status' | 'healthy' | 'source'
>;

/** The master's one path for status updates: a runner reports every state a task reaches through it. */
export type StatusReporter<Task extends TaskRecord = TaskRecord> = (
  task: Task,
  state: TaskState,
  extra: StatusExtra,
) => void;

/** The command of a launched task. */
export interface TaskCommand {
  /** Shell command, run as `sh -c <cmd>` in the sandbox. */
  cmd: string;
  /** More environment for the command (`CommandInfo.environment`). */
  env?: Record<string, string>;
}

/**
 * What runs the master's command tasks once they are launched (TASK_STAGING, sandbox ready): real processes
 * on the local agents, or a simulation for the scale scenarios. Either way the master model keeps the books:
 * the runner only reports the states a task reaches.
 */
export interface TaskRunner<Task extends TaskRecord = TaskRecord> {
  /** Starts the task; resolves once it is TASK_RUNNING (or has already ended). */
  start(task: Task, command: TaskCommand): Promise<void>;
  /** Whether the runner has the task running (it may still be starting). */
  running(taskId: string): boolean;
  /** Ends a running task (SIGTERM, SIGKILL after `graceMs`); resolves once it is terminal. */
  kill(task: Task, graceMs: number): Promise<void>;
  /** Ends every task it runs; resolves once they have ended. */
  shutdown(): Promise<void>;
  /** Synchronous last resort (e.g. from `process.on('exit')`). */
  killAllNow(): void;
}
