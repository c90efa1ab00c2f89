import type { Agent, Framework, MasterState, MetricsSnapshot, Task } from '../../mesos';
import {
  executorIdOf,
  frameworkRoles,
  taskFinishTime,
  taskHealth,
  taskNote,
  taskStartTime,
  toResources,
} from '../../mesos';
import { FNV_OFFSET_BASIS, fnv1a } from '../../mesos/hash';
import type { TaskGroup, TaskRow } from '../schemas/views';
import { departedAgents } from './departed-agents';
import type { DepartedAgent, DepartureMemory } from './departed-agents';

/**
 * One consistent, indexed reading of the cluster, built once per poll and shared by every view and viewer.
 * Nothing here is mutated after construction.
 */
export interface ClusterSnapshot {
  /** Increases by one with every successful poll; the basis of ETags. */
  version: number;
  /** mesoscope's clock (ms) when the state was fetched. */
  fetchedAt: number;
  leaderUrl: string;
  state: MasterState;
  metrics: MetricsSnapshot | null;
  agentsById: ReadonlyMap<string, Agent>;
  frameworksById: ReadonlyMap<string, Framework>;
  tasks: Readonly<Record<TaskGroup, readonly TaskRow[]>>;
  /** The agents seen leaving so far (the poller's memory); see `departedAgentsOf`. */
  departures?: DepartureMemory;
}

const departedCache = new WeakMap<ClusterSnapshot, DepartedAgent[]>();

/** Agents the master no longer lists but mesoscope knows of, newest departure first (computed once). */
export function departedAgentsOf(snapshot: ClusterSnapshot): readonly DepartedAgent[] {
  let departed = departedCache.get(snapshot);
  if (!departed) {
    departed = departedAgents(snapshot.state, snapshot.agentsById, snapshot.departures);
    departedCache.set(snapshot, departed);
  }
  return departed;
}

/**
 * Rows kept across snapshots: a stream-fed state shares unchanged task and framework objects between
 * snapshots, so their rows are reused instead of rebuilt (some 200,000 rows a second otherwise).
 */
export class RowCache {
  readonly byTask = new WeakMap<Task, TaskRow>();
  /** A framework's rows by group, valid while the agents (whose hostnames the rows carry) are the same. */
  readonly byFramework = new WeakMap<
    Framework,
    { agents: number; active: TaskRow[]; unreachable: TaskRow[]; completed: TaskRow[] }
  >();
}

export function buildSnapshot(
  input: {
    version: number;
    fetchedAt: number;
    leaderUrl: string;
    state: MasterState;
    metrics: MetricsSnapshot | null;
  },
  rowCache?: RowCache,
  departures?: DepartureMemory,
): ClusterSnapshot {
  const { state } = input;
  const agentsById = new Map(state.slaves.map((agent) => [agent.id, agent]));
  departures?.observe(agentsById, state, input.fetchedAt);
  const frameworksById = new Map<string, Framework>();
  for (const framework of [...state.completed_frameworks, ...state.frameworks]) {
    frameworksById.set(framework.id, framework);
  }

  const toRow = (task: Task, framework: Framework | undefined): TaskRow => {
    const frameworkName = framework?.name ?? frameworksById.get(task.framework_id)?.name ?? null;
    const agentHostname = agentsById.get(task.slave_id)?.hostname ?? null;
    const cached = rowCache?.byTask.get(task);
    if (cached && cached.frameworkName === frameworkName && cached.agentHostname === agentHostname)
      return cached;
    const row: TaskRow = {
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
      resources: toResources(task.resources),
      ...taskNote(task),
    };
    rowCache?.byTask.set(task, row);
    return row;
  };

  const agents = rowCache ? agentsFingerprint(state.slaves) : 0;
  const active: TaskRow[] = [];
  const unreachable: TaskRow[] = [];
  const completed: TaskRow[] = [];
  for (const framework of state.frameworks) {
    let rows = rowCache?.byFramework.get(framework);
    if (!rows || rows.agents !== agents) {
      rows = {
        agents,
        active: framework.tasks.map((task) => toRow(task, framework)),
        unreachable: framework.unreachable_tasks.map((task) => toRow(task, framework)),
        completed: framework.completed_tasks.map((task) => toRow(task, framework)),
      };
      rowCache?.byFramework.set(framework, rows);
    }
    for (const row of rows.active) active.push(row);
    for (const row of rows.unreachable) unreachable.push(row);
    for (const row of rows.completed) completed.push(row);
  }
  for (const framework of state.completed_frameworks) {
    for (const task of framework.completed_tasks) completed.push(toRow(task, framework));
    for (const task of framework.tasks) completed.push(toRow(task, framework));
  }
  // Mesos before 1.0 listed tasks of frameworks that had not re-registered yet as "orphans"; they still run.
  for (const task of state.orphan_tasks ?? []) active.push(toRow(task, undefined));

  return { ...input, agentsById, frameworksById, tasks: { active, unreachable, completed }, departures };
}

/** Changes when an agent comes, goes or changes hostname (task rows carry agent hostnames). */
function agentsFingerprint(agents: readonly Agent[]): number {
  let h = FNV_OFFSET_BASIS ^ agents.length;
  for (const agent of agents) h = fnv1a(agent.id + agent.hostname, h);
  return h;
}

/** The views keep Mesos's unit (seconds); the mesos helpers answer in ms for the browser's Date. */
function msToSeconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}
