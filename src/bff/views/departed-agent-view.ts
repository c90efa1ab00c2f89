import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { departedAgentsOf } from '../model/cluster-snapshot';
import { taskIndex } from '../model/task-index';
import type { DepartedAgentView } from '../schemas/detail-views';
import type { TaskGroup, TaskRow } from '../schemas/views';
import { DEPARTED_STATE } from './agents-view';

/** The tasks a departed agent's page lists at most (the master keeps a bounded number anyway). */
const DEPARTED_AGENT_TASKS = 1_000;

const GROUP_ORDER: Record<TaskGroup, number> = { unreachable: 0, active: 1, completed: 2 };

/** The page of an agent the master no longer lists, or null when mesoscope knows nothing of it. */
export function departedAgentView(snapshot: ClusterSnapshot, agentId: string): DepartedAgentView | null {
  const agent = departedAgentsOf(snapshot).find((candidate) => candidate.id === agentId);
  if (!agent) return null;
  const tasks: Array<{ row: TaskRow; group: TaskGroup }> = [];
  for (const { row, group } of taskIndex(snapshot).onAgent(agentId)) tasks.push({ row, group });
  tasks.sort(
    (a, b) =>
      GROUP_ORDER[a.group] - GROUP_ORDER[b.group] ||
      (b.row.finishTime ?? b.row.startTime ?? 0) - (a.row.finishTime ?? a.row.startTime ?? 0),
  );
  return {
    snapshotAt: snapshot.fetchedAt,
    departed: true,
    agentId: agent.id,
    hostname: agent.hostname,
    port: agent.port,
    state: DEPARTED_STATE[agent.state],
    since: agent.since,
    lastSeen: agent.lastSeen,
    total: agent.total,
    version: agent.version,
    cluster: snapshot.state.cluster ?? null,
    tasks: tasks.slice(0, DEPARTED_AGENT_TASKS).map((task) => task.row),
  };
}
