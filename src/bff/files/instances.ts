import { findExecutor, taskSandboxDirectory } from '../../mesos';
import type { AgentReadings } from '../reading/agent-readings';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { AppInstance, AppInstancesView } from '../schemas/files';
import type { TaskRow } from '../schemas/views';

/** At most this many instances are listed: all running ones first, then the most recently finished. */
export const MAX_INSTANCES = 24;

/** `/frameworks/<fid>/executors/<eid>/runs/<cid>` in a sandbox path (absolute or virtual). */
const SANDBOX_PATH = /\/frameworks\/([^/]+)\/executors\/([^/]+)\/runs\/[^/]+/;

/** The app (framework and task name) whose sandbox holds `path` on `agentId`, if it is one. */
export function appOfSandboxPath(
  snapshot: ClusterSnapshot,
  agentId: string,
  path: string,
): { frameworkId: string; name: string } | null {
  const match = SANDBOX_PATH.exec(path);
  if (!match) return null;
  const frameworkId = match[1] ?? '';
  const executorId = match[2] ?? '';
  const taskId = /\/tasks\/([^/]+)/.exec(path.slice(match.index + match[0].length))?.[1];
  for (const group of ['active', 'completed', 'unreachable'] as const) {
    const task = snapshot.tasks[group].find(
      (row) =>
        row.frameworkId === frameworkId &&
        row.agentId === agentId &&
        (taskId ? row.id === taskId : row.executorId === executorId),
    );
    if (task) return { frameworkId, name: task.name };
  }
  return null;
}

function byStartDescending(a: TaskRow, b: TaskRow): number {
  return (b.startTime ?? 0) - (a.startTime ?? 0);
}

/** Every task named `name` of a framework, with its sandbox directory asked from its agent. */
export async function appInstances(
  snapshot: ClusterSnapshot,
  agents: AgentReadings,
  frameworkId: string,
  name: string,
): Promise<AppInstancesView> {
  const mine = (row: TaskRow) => row.frameworkId === frameworkId && row.name === name;
  const running = snapshot.tasks.active.filter(mine).sort(byStartDescending);
  const finished = [
    ...snapshot.tasks.unreachable.filter(mine),
    ...snapshot.tasks.completed.filter(mine),
  ].sort(byStartDescending);
  const rows = [...running, ...finished].slice(0, MAX_INSTANCES);
  const instances = await Promise.all(rows.map((row) => instanceOf(snapshot, agents, row)));
  return {
    frameworkId,
    frameworkName: snapshot.frameworksById.get(frameworkId)?.name ?? null,
    name,
    instances,
    limited: running.length + finished.length > rows.length,
  };
}

async function instanceOf(
  snapshot: ClusterSnapshot,
  agents: AgentReadings,
  row: TaskRow,
): Promise<AppInstance> {
  const instance: AppInstance = {
    taskId: row.id,
    agentId: row.agentId,
    agentHostname: row.agentHostname,
    state: row.state,
    startTime: row.startTime,
    directory: null,
  };
  const agent = snapshot.agentsById.get(row.agentId);
  if (!agent) return instance;
  try {
    const executor = findExecutor(await agents.state(agent), row.frameworkId, row.executorId);
    if (executor?.directory) instance.directory = taskSandboxDirectory(executor, row.id);
  } catch {
    // The agent did not answer: the instance is listed without its sandbox.
  }
  return instance;
}
