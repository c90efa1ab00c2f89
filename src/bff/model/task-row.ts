import type { Framework, Task } from '../../mesos';
import {
  executorIdOf,
  frameworkRoles,
  taskFinishTime,
  taskHealth,
  taskNote,
  taskStartTime,
  toResources,
} from '../../mesos';
import type { Resources } from '../../mesos';
import type { TaskRow } from '../schemas/views';

/** A task as the task tables show it: `framework` is the one listing it (none for an orphan). */
export function taskRow(
  task: Task,
  framework: Framework | undefined,
  frameworkName: string | null,
  agentHostname: string | null,
): TaskRow {
  const { reason, message } = taskNote(task);
  return {
    id: task.id,
    name: task.name,
    frameworkId: task.framework_id,
    frameworkName,
    executorId: executorIdOf(task),
    agentId: task.slave_id,
    agentHostname,
    role: task.role ?? (framework ? (frameworkRoles(framework)[0] ?? null) : null),
    state: task.state,
    healthy: taskHealth(task),
    startTime: msToSeconds(taskStartTime(task)),
    finishTime: msToSeconds(taskFinishTime(task)),
    resources: resourcesOf(task),
    // Named here, not spread: a spread's properties go to a separate property array.
    reason,
    message,
  };
}

/** Rows share one summary of each shared resources object (an app's instances have the same). */
const summaries = new WeakMap<object, Resources>();

function resourcesOf(task: Task): Resources {
  const { resources } = task;
  if (typeof resources !== 'object' || resources === null) return toResources(resources);
  let summary = summaries.get(resources);
  if (!summary) {
    summary = Object.freeze(toResources(resources));
    summaries.set(resources, summary);
  }
  return summary;
}

/** The views keep Mesos's unit (seconds); the mesos helpers answer in ms for the browser's Date. */
function msToSeconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}
