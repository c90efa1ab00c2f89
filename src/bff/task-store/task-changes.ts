import type { Agent, Framework, Task } from '../../mesos';
import {
  containerSummary,
  executorIdOf,
  frameworkRoles,
  statusFieldsAt,
  statusTimeAt,
  taskNote,
  toResources,
} from '../../mesos';
import { isEnded, isFailure } from './failures';
import type { AgentWrite, FrameworkWrite, StatusWrite, TaskWrite } from './types';

/** What a task's row in the store says, and its statuses, from the master's view of it. */
export function taskWrites(
  task: Task,
  framework: Framework | undefined,
  agent: Agent | undefined,
  seenAt: number,
): { task: TaskWrite; statuses: StatusWrite[] } {
  const statuses = new Array<StatusWrite>(task.statuses.length);
  for (let at = 0; at < statuses.length; at++) {
    // Read in place: a packed list makes no status object for this.
    const status = statusFieldsAt(task.statuses, at)!;
    statuses[at] = {
      frameworkId: task.framework_id,
      taskId: task.id,
      state: status.state,
      t: Math.round(statusTimeAt(task.statuses, at)! * 1000),
      source: status.source ?? null,
      reason: status.reason ?? null,
      message: status.message ? status.message.slice(0, 1_000) : null,
      healthy: typeof status.healthy === 'boolean' ? status.healthy : null,
    };
  }
  const first = statuses[0];
  const last = statuses.at(-1);
  const ended = isEnded(task.state);
  const { reason, message } = taskNote(task);
  const resources = toResources(task.resources);
  return {
    task: {
      frameworkId: task.framework_id,
      taskId: task.id,
      name: task.name,
      agentId: task.slave_id || null,
      host: agent?.hostname ?? null,
      role: task.role ?? (framework ? (frameworkRoles(framework)[0] ?? null) : null),
      state: task.state,
      started: first ? first.t : null,
      updated: last ? last.t : seenAt,
      ended: ended ? (last?.t ?? seenAt) : null,
      failed: ended && isFailure(task.state, last?.reason ?? reason),
      reason,
      message,
      cpus: resources.cpus || null,
      mem: resources.mem || null,
      disk: resources.disk || null,
      gpus: resources.gpus || null,
      detail: taskDetail(task),
    },
    statuses,
  };
}

/** The details few tasks have, in as few bytes as possible: executor, image, labels. */
function taskDetail(task: Task): string | null {
  const detail: Record<string, unknown> = {};
  const executor = executorIdOf(task);
  if (executor !== task.id) detail['executor'] = executor;
  const image = containerSummary(task.container)?.image;
  if (image) detail['image'] = image;
  const labels = (task.labels ?? []).flatMap((label) =>
    label && typeof label.key === 'string' ? [[label.key, label.value ?? '']] : [],
  );
  if (labels.length > 0) detail['labels'] = labels;
  return Object.keys(detail).length > 0 ? JSON.stringify(detail) : null;
}

export function frameworkWrite(framework: Framework): FrameworkWrite {
  return { frameworkId: framework.id, name: framework.name };
}

export function agentWrite(agent: Agent): AgentWrite {
  const attributes = agent.attributes && Object.keys(agent.attributes).length > 0 ? agent.attributes : null;
  return {
    agentId: agent.id,
    host: agent.hostname,
    attributes: attributes ? JSON.stringify(attributes) : null,
  };
}

export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}
