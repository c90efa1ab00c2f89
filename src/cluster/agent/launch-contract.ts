/**
 * The seam between the master's scheduler API (which validates ACCEPT operations against offers) and the
 * agent side that runs what it launched: command tasks under the built-in command executor, tasks under an
 * executor the framework names, and task groups under the default executor.
 */

/** A `CommandInfo.URI` as schedulers send it (mesos.proto). */
export interface CommandUri {
  value: string;
  executable?: boolean;
  extract?: boolean;
  cache?: boolean;
  output_file?: string;
}

/** A v1 protobuf message as JSON, passed on as the scheduler sent it. */
export type V1Json = Record<string, unknown>;

/**
 * Tasks to run under an executor: LAUNCH of a TaskInfo with `executor` set (one task), or LAUNCH_GROUP (the
 * operation's ExecutorInfo, of type DEFAULT, and its TaskGroupInfo's tasks). Resources are already checked
 * against the offer; the agent is the offer's.
 */
export interface ExecutorLaunchRequest {
  frameworkId: string;
  agentId: string;
  executor: V1Json;
  tasks: V1Json[];
  group: boolean;
}
