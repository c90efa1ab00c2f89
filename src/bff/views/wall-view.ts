import type { Agent, Framework, ResourceKind, Resources, Task } from '../../mesos';
import {
  clampResources,
  agentStateLabel,
  clusterResources,
  maxShare,
  RESOURCE_KINDS,
  statusFieldsAt,
  taskFinishTime,
  toResources,
} from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { departedAgentsOf } from '../model/cluster-snapshot';
import type { AgentCell, AgentCellStatus, WallFailedTask, WallFramework, WallView } from '../schemas/wall';
import { masterInfoView, overviewView } from './overview-view';

const TOP_FRAMEWORKS = 6;
export const FAILED_TASKS = 8;
/** The window of `recentFailures`, which the wall's health word reads. */
const RECENT_FAILURES_MINUTES = 15;
const FAILED_STATES = new Set(['TASK_FAILED', 'TASK_LOST', 'TASK_ERROR']);
const MAX_TEXT = 160;

/** Everything the wall shows about the cluster now: health, allocation, agents, top frameworks, failures. */
export function wallView(snapshot: ClusterSnapshot): WallView {
  const { state } = snapshot;
  const overview = overviewView(snapshot);
  const master = masterInfoView(snapshot);
  const { total, allocated } = clusterResources(state);

  const departedCells = departedAgentsOf(snapshot)
    .filter((agent) => agent.state === 'unreachable')
    .map((agent): AgentCell => ({
      id: agent.id,
      hostname: agent.hostname ?? agent.id,
      status: 'unreachable',
      share: 0,
    }));
  const agentCells = [
    ...state.slaves.map(agentCell).sort((a, b) => compareText(a.hostname, b.hostname)),
    ...departedCells.sort((a, b) => compareText(a.hostname, b.hostname)),
  ];
  const countOf = (status: AgentCellStatus) => agentCells.filter((cell) => cell.status === status).length;

  return {
    snapshotAt: snapshot.fetchedAt,
    cluster: {
      name: master.cluster,
      leader: master.leader ? `${master.leader.hostname}:${master.leader.port}` : null,
      version: master.version || null,
      electedTime: master.electedTime,
    },
    agents: {
      total: agentCells.length,
      active: countOf('active'),
      unreachable: countOf('unreachable'),
      draining: countOf('draining'),
      drained: countOf('drained'),
      deactivated: countOf('deactivated'),
      unlisted: Math.max(0, (state.unreachable_slaves ?? 0) - departedCells.length),
    },
    frameworks: { active: overview.frameworks.active, inactive: overview.frameworks.inactive },
    tasks: overview.tasks,
    resources: { total, allocated: clampResources(allocated) },
    agentCells,
    topFrameworks: topFrameworks(state.frameworks, total),
    failedTasks: latestFailedTasks(snapshot),
    recentFailures: {
      count: failuresSince(snapshot, snapshot.fetchedAt - RECENT_FAILURES_MINUTES * 60_000),
      minutes: RECENT_FAILURES_MINUTES,
    },
  };
}

function agentCell(agent: Agent): AgentCell {
  const label = agentStateLabel(agent);
  let status: AgentCellStatus;
  if (label === 'Draining') status = 'draining';
  else if (label === 'Drained') status = 'drained';
  else if (label === 'Deactivated') status = 'deactivated';
  else status = agent.active === false ? 'unreachable' : 'active';
  return {
    id: agent.id,
    hostname: agent.hostname,
    status,
    share: round3(maxShare(toResources(agent.used_resources), toResources(agent.resources))),
  };
}

function topFrameworks(frameworks: readonly Framework[], total: Resources): WallFramework[] {
  return frameworks
    .filter((framework) => framework.active !== false)
    .map((framework) => {
      const used = toResources(framework.used_resources ?? framework.resources);
      return {
        id: framework.id,
        name: framework.name,
        share: round3(maxShare(used, total)),
        dominant: dominantKind(used, total),
        activeTasks: framework.tasks.length,
      };
    })
    .sort((a, b) => b.share - a.share || b.activeTasks - a.activeTasks || compareText(a.name, b.name))
    .slice(0, TOP_FRAMEWORKS);
}

function dominantKind(used: Resources, total: Resources): ResourceKind {
  let best: ResourceKind = 'cpus';
  let bestShare = -1;
  for (const kind of RESOURCE_KINDS) {
    const share = total[kind] > 0 ? used[kind] / total[kind] : 0;
    if (share > bestShare) {
      best = kind;
      bestShare = share;
    }
  }
  return best;
}

function failedTasksOf(snapshot: ClusterSnapshot) {
  const found: Array<{ task: Task; framework: Framework; finishedMs: number | null }> = [];
  for (const framework of [...snapshot.state.frameworks, ...snapshot.state.completed_frameworks]) {
    for (const task of [...framework.completed_tasks, ...framework.unreachable_tasks]) {
      if (FAILED_STATES.has(task.state)) found.push({ task, framework, finishedMs: taskFinishTime(task) });
    }
  }
  return found;
}

function failuresSince(snapshot: ClusterSnapshot, sinceMs: number): number {
  return failedTasksOf(snapshot).filter(({ finishedMs }) => finishedMs !== null && finishedMs >= sinceMs)
    .length;
}

/**
 * The most recent failures, newest first, with their last status message; failures of tasks with the same
 * name, framework, state and reason make one line with a count, so one crash-looping app is one line.
 */
function latestFailedTasks(snapshot: ClusterSnapshot): WallFailedTask[] {
  const found = failedTasksOf(snapshot);
  found.sort((a, b) => (b.finishedMs ?? 0) - (a.finishedMs ?? 0));
  const lines = new Map<string, WallFailedTask>();
  for (const { task, framework, finishedMs } of found) {
    const last = statusFieldsAt(task.statuses, task.statuses.length - 1);
    const reason = shorten(last?.reason);
    const message = shorten(last?.message);
    const key = JSON.stringify([task.name, framework.id, task.state, reason, message]);
    const line = lines.get(key);
    if (line) {
      line.count += 1;
      continue;
    }
    if (lines.size === FAILED_TASKS) continue;
    lines.set(key, {
      count: 1,
      id: task.id,
      name: task.name,
      frameworkName: framework.name || null,
      agentHostname: snapshot.agentsById.get(task.slave_id)?.hostname ?? null,
      state: task.state,
      finishTime: finishedMs === null ? null : finishedMs / 1000,
      reason,
      message,
    });
  }
  return [...lines.values()];
}

function shorten(text: string | undefined): string | null {
  if (!text) return null;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 1)}…` : oneLine;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

const collator = new Intl.Collator('en', { numeric: true });

function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}
