import type { Agent, Framework, MasterState, MetricsSnapshot, Task } from '../../mesos';
import type { TaskGroup, TaskRow } from '../schemas/views';
import { ListedById } from './listed-by-id';
import { departedAgents } from './departed-agents';
import type { DepartedAgent, DepartureMemory } from './departed-agents';
import { taskIndex } from './task-index';
import type { TaskModel } from './task-index';
import type { TaskIndex } from './task-index';

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
  /**
   * The task rows by group, in master order. Made on first use by walking every task: views on the request
   * path read the task index instead.
   */
  readonly tasks: Readonly<Record<TaskGroup, readonly TaskRow[]>>;
  /**
   * The tasks indexed (see `taskIndex`), when the snapshot was built with the reader's model: frozen from it the
   * first time it is read, so that the publishes nobody reads copy nothing.
   */
  readonly index?: TaskIndex;
  /** The agents seen leaving so far (the poller's memory); see `departedAgentsOf`. */
  departures?: DepartureMemory;
}

/** The agents and frameworks by id, kept by a reader from one snapshot to the next (see {@link ListedById}). */
export interface ListedByIds {
  agents: ListedById<Agent>;
  frameworks: ListedById<Framework>;
}

/** Agents and frameworks by id for a new reader. */
export function listedByIds(): ListedByIds {
  return { agents: new ListedById(), frameworks: new ListedById() };
}

const departedCache = new WeakMap<ClusterSnapshot, DepartedAgent[]>();

/** Agents the master no longer lists but mesoscope knows of, newest departure first (computed once). */
export function departedAgentsOf(snapshot: ClusterSnapshot): readonly DepartedAgent[] {
  let departed = departedCache.get(snapshot);
  if (!departed) {
    departed = departedAgents(snapshot.state, snapshot.agentsById, taskIndex(snapshot), snapshot.departures);
    departedCache.set(snapshot, departed);
  }
  return departed;
}

/**
 * A snapshot of `input.state`. With a `model` (kept by the reader from one snapshot to the next), its tasks
 * are indexed now, from what changed since the model's last state where the state says so, and the index is
 * published when a view first reads it; without one, they are indexed on first use.
 *
 * Publishing the index freezes the model's sorted lists (the next change to a chunk copies it) and its counts:
 * done every 2 s for nobody, that was most of the garbage of a quiet minute at 10,000 agents. A snapshot read
 * only after a newer one was built gets the model as it is then (its tasks at most one publish newer).
 */
export function buildSnapshot(
  input: {
    version: number;
    fetchedAt: number;
    leaderUrl: string;
    state: MasterState;
    metrics: MetricsSnapshot | null;
  },
  model?: TaskModel,
  departures?: DepartureMemory,
  listed?: ListedByIds,
): ClusterSnapshot {
  const { state } = input;
  const agentsById = listed
    ? listed.agents.of(state.slaves)
    : new Map(state.slaves.map((agent) => [agent.id, agent]));
  departures?.observe(agentsById, state, input.fetchedAt);
  // An active framework wins over a completed one of the same id.
  const frameworksById = listed
    ? listed.frameworks.of(state.completed_frameworks, state.frameworks)
    : new Map([...state.completed_frameworks, ...state.frameworks].map((f) => [f.id, f]));
  model?.update(state, agentsById, frameworksById);
  let index: TaskIndex | undefined;
  let tasks: Record<TaskGroup, TaskRow[]> | null = null;
  const snapshot: ClusterSnapshot = {
    ...input,
    agentsById,
    frameworksById,
    get tasks() {
      tasks ??= groupedRows(state, taskIndex(snapshot));
      return tasks;
    },
    get index() {
      if (model) index ??= model.publish();
      return index;
    },
    departures,
  };
  return snapshot;
}

/** The rows of a state's tasks by group, in the order the master lists them. */
function groupedRows(state: MasterState, index: TaskIndex): Record<TaskGroup, TaskRow[]> {
  const entries = new Map<Task, TaskRow>();
  for (const entry of index.all()) entries.set(entry.task, entry.row);
  const grouped: Record<TaskGroup, TaskRow[]> = { active: [], unreachable: [], completed: [] };
  const add = (group: TaskGroup, tasks: readonly Task[]) => {
    for (const task of tasks) {
      const row = entries.get(task);
      if (row) grouped[group].push(row);
    }
  };
  for (const framework of state.frameworks) add('active', framework.tasks);
  add('active', state.orphan_tasks ?? []);
  for (const framework of state.frameworks) add('unreachable', framework.unreachable_tasks);
  for (const framework of state.frameworks) add('completed', framework.completed_tasks);
  for (const framework of state.completed_frameworks) {
    add('completed', framework.completed_tasks);
    add('completed', framework.tasks);
  }
  return grouped;
}
