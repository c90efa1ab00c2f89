/**
 * The cluster as the operator API event stream describes it, kept in v0 shapes so every view reads it exactly
 * like a polled `/master/state`. Events are folded in as they arrive; {@link StreamState.publish} returns an
 * immutable `MasterState` that shares every unchanged agent, framework and task object with the previous one,
 * so publishing after a few changes costs little more than those changes.
 */
import type { Agent, Framework, MasterState, Offer, Task } from '../master-state';
import { ZERO_RESOURCES, accumulateResources, clampResources, roundResources } from '../resources';
import type { Resources } from '../resources';
import type { ResourcesObject } from '../schema-utils';
import { FNV_OFFSET_BASIS, fnv1aBytes } from '../hash';
import { JsonArraySplitter } from '../json-array-splitter';
import { packStatuses, statusTimeAt } from '../packed-statuses';
import { keepingUnchanged } from '../same-json';
import { isTerminalState } from '../task-state';
import { v1AgentToV0, v1FrameworkToV0 } from './entities';
import type { OperatorEvent } from './events';
import { unwrapV1, v1StateToV0 } from './state';
import type { MasterHeader } from './state';

/** The task lists of a `GET_STATE`, in the order {@link StreamState.addSnapshotTasks} takes them. */
export const SNAPSHOT_TASK_LISTS = ['tasks', 'unreachable_tasks', 'completed_tasks', 'orphan_tasks'] as const;
export type SnapshotTaskList = (typeof SNAPSHOT_TASK_LISTS)[number];

/**
 * Bytes of a `GET_AGENTS` answer read at a time: the agents wholly inside are parsed together, so this bounds
 * the objects alive at once (about 45 agents of 1.4 KB).
 */
const AGENTS_JSON_CHUNK = 64 * 1024;

/** Mesos's defaults, used unless the master's flags say otherwise. */
const DEFAULT_MAX_COMPLETED_TASKS = 1000;
const DEFAULT_MAX_COMPLETED_FRAMEWORKS = 50;

type Scalars = Resources;

function zero(): Scalars {
  return { ...ZERO_RESOURCES };
}

/** Resources object with the scalars replaced (other entries, e.g. ports, kept as they were). */
function withScalars(base: ResourcesObject | undefined, s: Scalars): ResourcesObject {
  return { ...base, ...roundResources(s) };
}

function scalarsOf(r: ResourcesObject | undefined): Scalars {
  return r ? { cpus: r.cpus, gpus: r.gpus, mem: r.mem, disk: r.disk } : zero();
}

interface FrameworkEntry {
  /** The framework's own fields; its task lists live below. */
  base: Framework;
  tasks: Map<string, Task>;
  unreachable: Map<string, Task>;
  completed: Task[];
  offers: Offer[];
  /** Σ resources of its active tasks. */
  used: Scalars;
  /** What the master's own allocation adds to the tasks (executors), from the last poll. */
  usedOffset: Scalars;
  published: Framework | null;
  /** The last framework published, whose task lists the next one shares where they did not change. */
  last: Framework | null;
}

interface AgentEntry {
  base: Agent;
  used: Scalars;
  usedOffset: Scalars;
  offered: Scalars;
  published: Agent | null;
  /** The bytes `base` was last read from in a `GET_AGENTS` answer, when it was (see `applyAgentsJson`). */
  listed?: ListedAgent;
}

/** What the model keeps of one agent's JSON in a `GET_AGENTS` answer, to know the same bytes again unparsed. */
interface ListedAgent {
  /** FNV-1a of its bytes, and how many bytes: both must match. */
  hash: number;
  bytes: number;
  /** Its `used_resources` and `offered_resources`. */
  used: Scalars;
  offered: Scalars;
}

/** Where a task is listed in a published state (the task lists of the BFF's views). */
export type ListedGroup = 'active' | 'unreachable' | 'completed';

/**
 * Who lists a task: its (active) framework, a completed framework (whose id an active framework may have
 * too), or nobody (an orphan: its framework is not known, yet).
 */
export type Listing = 'framework' | 'retired' | 'orphan';

/**
 * What changed in the task lists between two published states: every task object that is no longer listed
 * where it was, and every one newly listed (a changed task is a new object: both). Readers that keep their own
 * model of the tasks update it from these instead of walking every task of the new state.
 */
export interface PublishedChanges {
  /**
   * The state these changes lead from, held weakly: a reader compares it with the state it holds itself. Held
   * strongly, every published state (its array of agents, its frameworks' task lists) lived one publish
   * longer than its readers needed it, long enough to be moved to the old generation.
   */
  previous: WeakRef<MasterState>;
  removed: readonly Task[];
  added: ReadonlyArray<{ task: Task; group: ListedGroup; listing: Listing }>;
  /** Frameworks whose own fields (name, roles) may have changed: their tasks' rows may read differently. */
  frameworks: ReadonlySet<string>;
  /** Agents added, removed or renamed: the rows of their tasks name them. */
  agents: ReadonlySet<string>;
}

const publishedChanges = new WeakMap<MasterState, PublishedChanges>();

/**
 * The changes that lead to the state {@link StreamState.publish} returned last; none after a reset (read it
 * whole), and none for a state once a newer one is published.
 */
export function changesOf(state: MasterState): PublishedChanges | undefined {
  return publishedChanges.get(state);
}

/** Counts of what folding did, for the status page and tests. */
export interface FoldStats {
  events: number;
  /** TASK_UPDATED for a task the model did not know (it is added from the update). */
  unknownTasks: number;
}

type ListedBytes = Pick<ListedAgent, 'hash' | 'bytes'>;

function listedBytes(parts: readonly Uint8Array[]): ListedBytes {
  let hash = FNV_OFFSET_BASIS;
  let bytes = 0;
  for (const part of parts) {
    hash = fnv1aBytes(part, hash);
    bytes += part.length;
  }
  return { hash, bytes };
}

export class StreamState {
  private header: MasterHeader;
  private readonly agents = new Map<string, AgentEntry>();
  /** The agents' ids in the order of the last `GET_AGENTS` answer read from its bytes. */
  private listedAgentIds: readonly string[] = [];
  private readonly frameworks = new Map<string, FrameworkEntry>();
  private completedFrameworks: Framework[] = [];
  private readonly orphans = new Map<string, Task>();
  private recovered: MasterState['recovered_slaves'] = [];
  private unreachableSlaves = 0;
  private agentsChanged = true;
  private frameworksChanged = true;
  private orphansChanged = true;
  private published: MasterState | null = null;
  /** Increases with every change; equal values mean nothing changed. */
  private revision = 0;
  private publishedRevision = -1;
  /** What changed since the last publish; `null` after a reset, when everything did. */
  private removed: Task[] | null = null;
  /** Each newly listed task's record, as {@link PublishedChanges.added} hands it on: one object a task. */
  private added = new Map<Task, { task: Task; group: ListedGroup; listing: Listing }>();
  private touchedFrameworks = new Set<string>();
  private touchedAgents = new Set<string>();
  readonly stats: FoldStats = { events: 0, unknownTasks: 0 };

  constructor(header: MasterHeader, getState: unknown) {
    this.header = header;
    this.reset(getState);
  }

  /** Whether anything changed since the last {@link publish}. */
  get changed(): boolean {
    return this.revision !== this.publishedRevision;
  }

  get taskLimit(): number {
    const flag = Number(this.header.flags?.['max_completed_tasks_per_framework']);
    return Number.isFinite(flag) && flag > 0 ? flag : DEFAULT_MAX_COMPLETED_TASKS;
  }

  get frameworkLimit(): number {
    const flag = Number(this.header.flags?.['max_completed_frameworks']);
    return Number.isFinite(flag) && flag >= 0 ? flag : DEFAULT_MAX_COMPLETED_FRAMEWORKS;
  }

  get agentCount(): number {
    return this.agents.size;
  }

  /** Replaces everything with a `GET_STATE` (from SUBSCRIBED). */
  reset(getState: unknown): void {
    const state = v1StateToV0(getState, this.header);
    this.removed = null;
    this.agents.clear();
    this.frameworks.clear();
    this.orphans.clear();
    for (const agent of state.slaves) this.agents.set(agent.id, this.agentEntry(agent));
    for (const framework of state.frameworks) {
      const entry = this.frameworkEntry(framework);
      // Terminal tasks still listed as active are only waiting for an acknowledgement, after which Mesos moves
      // them to completed without an event: count them as completed right away.
      for (const task of framework.tasks) {
        if (isTerminalState(task.state)) entry.completed.push(task);
        else this.putActive(entry, task);
      }
      for (const task of framework.unreachable_tasks) entry.unreachable.set(task.id, task);
      entry.completed.push(...framework.completed_tasks);
      entry.completed.sort((a, b) => lastTimestamp(a) - lastTimestamp(b));
      this.trimCompleted(entry);
      this.frameworks.set(framework.id, entry);
    }
    this.completedFrameworks = state.completed_frameworks;
    for (const task of state.orphan_tasks ?? []) this.orphans.set(`${task.framework_id}/${task.id}`, task);
    this.recovered = state.recovered_slaves ?? [];
    this.touchAll();
  }

  /**
   * A model of a `GET_STATE` without its tasks: {@link addSnapshotTasks} folds them in a slice at a time and
   * {@link finishSnapshot} completes it, so that reading a big cluster's first state leaves room for other
   * work, and what is folded so far can be published meanwhile. The result is what `reset` makes of the
   * whole state at once.
   */
  static withoutTasks(header: MasterHeader, getState: unknown): StreamState {
    const state = unwrapV1(unwrapV1(getState, 'subscribed'), 'get_state');
    return new StreamState(header, { ...state, get_tasks: {} });
  }

  /** Folds in tasks of one list of the `GET_STATE` given to {@link withoutTasks}, placed as `reset` places them. */
  addSnapshotTasks(list: SnapshotTaskList, tasks: readonly Task[]): void {
    const retired = new Map<string, Task[]>();
    for (const task of tasks) {
      const entry = list === 'orphan_tasks' ? undefined : this.frameworks.get(task.framework_id);
      if (entry) {
        if (list === 'unreachable_tasks') {
          entry.unreachable.set(task.id, task);
          this.listed(task, 'unreachable');
        } else if (list === 'completed_tasks' || isTerminalState(task.state)) {
          // As in `reset`: terminal tasks still listed as active only wait for an acknowledgement.
          entry.completed.push(task);
          this.listed(task, 'completed');
        } else {
          this.putActive(entry, task);
          this.standInFor(entry, task);
          this.markAgent(task.slave_id);
        }
        entry.published = null;
      } else if (
        list !== 'orphan_tasks' &&
        this.completedFrameworks.some((f) => f.id === task.framework_id)
      ) {
        const listed = retired.get(task.framework_id);
        if (listed) listed.push(task);
        else retired.set(task.framework_id, [task]);
      } else if (list !== 'completed_tasks') {
        this.orphans.set(`${task.framework_id}/${task.id}`, task);
        this.listed(task, 'active', 'orphan');
        this.orphansChanged = true;
      }
    }
    if (retired.size > 0) {
      // Published completed frameworks are shared with earlier states: each gets a new object.
      this.completedFrameworks = this.completedFrameworks.map((framework) => {
        const added = retired.get(framework.id);
        if (!added) return framework;
        for (const task of added) this.listed(task, 'completed', 'retired');
        return { ...framework, completed_tasks: [...framework.completed_tasks, ...added] };
      });
    }
    this.frameworksChanged = true;
    this.revision++;
  }

  /**
   * The allocation a poll said stands in for the tasks not folded in yet (see `applyFrameworks`): each task
   * folded in takes its share out of it, so that what is shown as used stays what the master said.
   */
  private standInFor(entry: FrameworkEntry, task: Task): void {
    const scalars = scalarsOf(task.resources);
    accumulateResources(entry.usedOffset, scalars, -1);
    entry.usedOffset = clampResources(entry.usedOffset);
    const agent = this.agents.get(task.slave_id);
    if (!agent) return;
    accumulateResources(agent.usedOffset, scalars, -1);
    agent.usedOffset = clampResources(agent.usedOffset);
  }

  /** Orders and trims each framework's completed tasks, once every task of the snapshot is folded in. */
  finishSnapshot(): void {
    for (const entry of this.frameworks.values()) {
      entry.completed.sort((a, b) => lastTimestamp(a) - lastTimestamp(b));
      this.trimCompleted(entry);
      entry.published = null;
    }
    this.frameworksChanged = true;
    this.revision++;
  }

  /** Replaces the master-level fields (GET_MASTER, GET_VERSION, GET_FLAGS). */
  setHeader(header: MasterHeader): void {
    this.header = header;
    this.revision++;
  }

  /** Folds one event in. */
  apply(event: OperatorEvent): void {
    this.stats.events++;
    switch (event.type) {
      case 'SUBSCRIBED':
        this.reset(event.getState);
        return;
      case 'TASK_ADDED':
        return this.taskAdded(event.task);
      case 'TASK_UPDATED':
        return this.taskUpdated(event);
      case 'AGENT_ADDED': {
        const previous = this.agents.get(event.agent.id);
        const entry = this.agentEntry(event.agent);
        if (previous?.base.hostname !== event.agent.hostname) this.touchedAgents.add(event.agent.id);
        if (previous) {
          entry.used = previous.used;
          entry.offered = previous.offered;
        }
        this.agents.set(event.agent.id, entry);
        this.agentsChanged = true;
        this.revision++;
        return;
      }
      case 'AGENT_REMOVED':
        if (this.agents.delete(event.agentId)) {
          this.touchedAgents.add(event.agentId);
          this.agentsChanged = true;
          this.revision++;
        }
        return;
      case 'FRAMEWORK_ADDED':
      case 'FRAMEWORK_UPDATED': {
        const entry = this.frameworks.get(event.framework.id);
        if (entry) {
          // Events carry no offers or allocation (master.proto): keep what the last poll said.
          entry.base = { ...event.framework, offers: entry.base.offers };
          entry.published = null;
          this.touchedFrameworks.add(event.framework.id);
        } else {
          this.frameworks.set(event.framework.id, this.frameworkEntry(event.framework));
          this.touchedFrameworks.add(event.framework.id);
        }
        this.frameworksChanged = true;
        this.revision++;
        return;
      }
      case 'FRAMEWORK_REMOVED':
        return this.frameworkRemoved(event.frameworkId);
      default:
        return;
    }
  }

  /**
   * Outstanding offers and allocation from a `GET_FRAMEWORKS` poll (events never carry them). Only frameworks
   * and agents whose offers or allocation differ are published anew: republishing all of them copied every
   * framework's task lists once a poll.
   */
  applyFrameworks(getFrameworks: unknown): void {
    const body = (getFrameworks as { get_frameworks?: { frameworks?: unknown[] } })?.get_frameworks ?? {};
    const offered = new Map<string, Scalars>();
    let changed = false;
    for (const raw of body.frameworks ?? []) {
      const framework = v1FrameworkToV0(raw);
      const entry = this.frameworks.get(framework.id);
      if (!entry) continue;
      const used = scalarsOf(framework.used_resources);
      accumulateResources(used, entry.used, -1);
      // Executor overheads are never negative; a negative difference is only the poll racing the events.
      const usedOffset = clampResources(used);
      // An offer's resources never change: the same ids are the same offers.
      if (!sameScalars(usedOffset, entry.usedOffset) || !sameOffers(framework.offers, entry.offers)) {
        entry.offers = framework.offers;
        entry.usedOffset = usedOffset;
        entry.published = null;
        changed = true;
      }
      for (const offer of framework.offers) {
        const sum = offered.get(offer.slave_id) ?? zero();
        accumulateResources(sum, scalarsOf(offer.resources), 1);
        offered.set(offer.slave_id, sum);
      }
    }
    for (const [id, entry] of this.agents) {
      const next = offered.get(id) ?? zero();
      if (!sameScalars(next, entry.offered)) {
        entry.offered = next;
        entry.published = null;
        changed = true;
      }
    }
    if (!changed) return;
    this.frameworksChanged = true;
    this.agentsChanged = true;
    this.revision++;
  }

  /**
   * Agent details events do not carry (deactivation, drain, allocation) from a `GET_AGENTS` poll. Only agents
   * whose details or allocation differ are published anew, and nothing at all when none does.
   */
  applyAgents(getAgents: unknown): void {
    const body = (getAgents as { get_agents?: { agents?: unknown[] } })?.get_agents ?? {};
    let changed = false;
    for (const raw of body.agents ?? []) changed = this.takeAgent(v1AgentToV0(raw), undefined) || changed;
    if (changed) this.agentsMoved();
  }

  /**
   * {@link applyAgents} from the bytes of a `GET_AGENTS` answer (13.9 MB of JSON at 10,000 agents), read a
   * few dozen agents at a time: each agent's JSON is let go as soon as it is compared, where parsing the
   * answer whole held about 50 MB of objects long enough to move them to the old generation and set off a
   * full collection. Throws `JsonStreamError` when the bytes are not JSON; the agents before the fault are
   * taken.
   */
  applyAgentsJson(bytes: Uint8Array): void {
    let changed = false;
    // Most agents' bytes are the same from one answer to the next (only a few are deactivated, drained or
    // allocated anew): an agent found at the same place with the same bytes as last time is not parsed again.
    const lastIds = this.listedAgentIds;
    const ids: string[] = [];
    const hashes: ListedBytes[] = [];
    const splitter = new JsonArraySplitter({
      arrays: [['get_agents', 'agents']],
      skipElement: (_, index, parts) => {
        const listed = listedBytes(parts);
        const id = lastIds[index];
        const entry = id === undefined ? undefined : this.agents.get(id);
        const known = entry?.listed;
        if (!entry || !known || known.hash !== listed.hash || known.bytes !== listed.bytes) {
          hashes[index] = listed;
          return false;
        }
        ids[index] = id as string;
        changed = this.takeAllocation(entry, { ...known.used }, known.offered) || changed;
        return true;
      },
      mapElement: (_, raw, index) => {
        const agent = v1AgentToV0(raw);
        ids[index] = agent.id;
        changed = this.takeAgent(agent, hashes[index]) || changed;
        return null;
      },
    });
    try {
      for (let at = 0; at < bytes.length; at += AGENTS_JSON_CHUNK)
        splitter.push(bytes.subarray(at, at + AGENTS_JSON_CHUNK));
      splitter.end();
      this.listedAgentIds = ids;
    } catch (error) {
      this.listedAgentIds = [];
      throw error;
    } finally {
      if (changed) this.agentsMoved();
    }
  }

  /**
   * One agent of a `GET_AGENTS` poll, and the bytes it was read from (kept to know them again: see
   * {@link applyAgentsJson}); whether anything of it that is published changed.
   */
  private takeAgent(agent: Agent, bytes: ListedBytes | undefined): boolean {
    const entry = this.agents.get(agent.id);
    if (!entry) return false;
    const used = scalarsOf(agent.used_resources);
    const offered = scalarsOf(agent.offered_resources);
    entry.listed = bytes && { ...bytes, used: { ...used }, offered };
    const allocated = this.takeAllocation(entry, used, offered);
    // An agent's JSON changes mostly in its allocation: its resources, reservations and attributes stay the
    // objects kept before.
    const base = keepingUnchanged(agent, entry.base);
    if (base === entry.base) return allocated;
    if (entry.base.hostname !== agent.hostname) this.touchedAgents.add(agent.id);
    entry.base = base;
    entry.published = null;
    return true;
  }

  /**
   * What a poll says an agent uses beyond its tasks folded in (`used`: its `used_resources`, taken over) and
   * is offered; whether either changed.
   */
  private takeAllocation(entry: AgentEntry, used: Scalars, offered: Scalars): boolean {
    accumulateResources(used, entry.used, -1);
    const usedOffset = clampResources(used);
    if (sameScalars(usedOffset, entry.usedOffset) && sameScalars(offered, entry.offered)) return false;
    entry.usedOffset = usedOffset;
    entry.offered = offered;
    entry.published = null;
    return true;
  }

  private agentsMoved(): void {
    this.agentsChanged = true;
    this.revision++;
  }

  /**
   * Takes what the master says is allocated from the agents' and frameworks' own `used_resources`: for a model
   * made from `GET_AGENTS` and `GET_FRAMEWORKS` answers, what {@link applyFrameworks} and {@link applyAgents}
   * of those same answers would do, without converting 10,000 agents and their resources a second time.
   */
  useListedAllocation(): void {
    for (const entry of [...this.frameworks.values(), ...this.agents.values()]) {
      const used = scalarsOf(entry.base.used_resources);
      accumulateResources(used, entry.used, -1);
      entry.usedOffset = clampResources(used);
      entry.published = null;
    }
    this.frameworksChanged = true;
    this.agentsChanged = true;
    this.revision++;
  }

  /** What only metrics say (unreachable agents are not listed by GET_AGENTS). */
  setUnreachableAgents(count: number): void {
    if (count === this.unreachableSlaves) return;
    this.unreachableSlaves = count;
    this.revision++;
  }

  /** The current state as an immutable v0 `MasterState`, sharing unchanged objects with the previous one. */
  publish(): MasterState {
    if (this.published && !this.changed) return this.published;
    const previous = this.published;
    let slaves: Agent[];
    if (this.agentsChanged || !previous) {
      // One array a publish (every 2 s, 10,000 agents at the biggest scale), not a copy and then a map of one.
      slaves = new Array<Agent>(this.agents.size);
      let at = 0;
      for (const entry of this.agents.values()) slaves[at++] = this.publishAgent(entry);
    } else slaves = previous.slaves;
    const frameworks =
      this.frameworksChanged || !previous
        ? [...this.frameworks.values()].map((e) => this.publishFramework(e))
        : previous.frameworks;
    const orphans =
      this.orphansChanged || !previous ? [...this.orphans.values()] : (previous.orphan_tasks ?? []);
    let activated = 0;
    for (const agent of slaves) if (agent.active !== false && !agent.deactivated) activated += 1;
    this.published = {
      ...this.header,
      activated_slaves: activated,
      deactivated_slaves: slaves.length - activated,
      unreachable_slaves: this.unreachableSlaves,
      slaves,
      recovered_slaves: this.recovered,
      frameworks,
      completed_frameworks: this.completedFrameworks,
      orphan_tasks: orphans,
      unregistered_frameworks: [],
    };
    if (previous) {
      // Readers follow changes from the state just before (they read each state as it is published): the
      // previous state's own changes would only keep every state ever published alive, one through the next.
      publishedChanges.delete(previous);
    }
    if (previous && this.removed) {
      publishedChanges.set(this.published, {
        previous: new WeakRef(previous),
        removed: this.removed,
        added: [...this.added.values()],
        frameworks: this.touchedFrameworks,
        agents: this.touchedAgents,
      });
    }
    this.removed = [];
    this.added = new Map();
    this.touchedFrameworks = new Set();
    this.touchedAgents = new Set();
    this.agentsChanged = false;
    this.frameworksChanged = false;
    this.orphansChanged = false;
    this.publishedRevision = this.revision;
    return this.published;
  }

  private agentEntry(agent: Agent): AgentEntry {
    return {
      base: agent,
      used: zero(),
      usedOffset: zero(),
      offered: scalarsOf(agent.offered_resources),
      published: null,
    };
  }

  private frameworkEntry(framework: Framework): FrameworkEntry {
    return {
      base: { ...framework, tasks: [], unreachable_tasks: [], completed_tasks: [] },
      tasks: new Map(),
      unreachable: new Map(),
      completed: [],
      offers: framework.offers,
      used: zero(),
      usedOffset: zero(),
      published: null,
      last: null,
    };
  }

  private publishAgent(entry: AgentEntry): Agent {
    if (entry.published) return entry.published;
    const used = { ...entry.used };
    accumulateResources(used, entry.usedOffset, 1);
    entry.published = {
      ...entry.base,
      used_resources: withScalars(entry.base.used_resources, used),
      offered_resources: withScalars(entry.base.offered_resources, entry.offered),
    };
    return entry.published;
  }

  private publishFramework(entry: FrameworkEntry): Framework {
    if (entry.published) return entry.published;
    const used = { ...entry.used };
    accumulateResources(used, entry.usedOffset, 1);
    const offered = zero();
    for (const offer of entry.offers) accumulateResources(offered, scalarsOf(offer.resources), 1);
    const total = { ...used };
    accumulateResources(total, offered, 1);
    // A framework is published anew for any change to its tasks, most often one task of one list: its other
    // lists (up to 1,000 completed tasks) are the same arrays as before rather than copies made every publish.
    const last = entry.last;
    entry.published = {
      ...entry.base,
      tasks: sharedList(entry.tasks, entry.tasks.size, last?.tasks),
      unreachable_tasks: sharedList(entry.unreachable, entry.unreachable.size, last?.unreachable_tasks),
      completed_tasks: sharedList(entry.completed, entry.completed.length, last?.completed_tasks),
      offers: entry.offers,
      used_resources: withScalars(entry.base.used_resources, used),
      offered_resources: withScalars(entry.base.offered_resources, offered),
      resources: withScalars(entry.base.resources, total),
    };
    entry.last = entry.published;
    return entry.published;
  }

  private touchAll(): void {
    this.agentsChanged = true;
    this.frameworksChanged = true;
    this.orphansChanged = true;
    this.published = null;
    this.revision++;
  }

  private markAgent(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (agent) agent.published = null;
    this.agentsChanged = true;
  }

  private markFramework(entry: FrameworkEntry): void {
    entry.published = null;
    this.frameworksChanged = true;
    this.revision++;
  }

  /** Counts an active task's resources on its framework and agent. */
  private putActive(entry: FrameworkEntry, task: Task): void {
    entry.tasks.set(task.id, task);
    this.listed(task, 'active');
    accumulateResources(entry.used, scalarsOf(task.resources), 1);
    const agent = this.agents.get(task.slave_id);
    if (agent) accumulateResources(agent.used, scalarsOf(task.resources), 1);
  }

  private dropActive(entry: FrameworkEntry, task: Task): void {
    entry.tasks.delete(task.id);
    this.unlisted(task);
    accumulateResources(entry.used, scalarsOf(task.resources), -1);
    const agent = this.agents.get(task.slave_id);
    if (agent) accumulateResources(agent.used, scalarsOf(task.resources), -1);
  }

  private trimCompleted(entry: FrameworkEntry): void {
    const excess = entry.completed.length - this.taskLimit;
    if (excess > 0) for (const task of entry.completed.splice(0, excess)) this.unlisted(task);
  }

  /** Notes a task newly listed in a group (while changes are tracked, that is between publishes). */
  private unlistedFramework(framework: Framework): void {
    this.touchedFrameworks.add(framework.id);
    for (const task of completedTasksOf(framework)) this.unlisted(task);
  }

  private listed(task: Task, group: ListedGroup, listing: Listing = 'framework'): void {
    if (this.removed) this.added.set(task, { task, group, listing });
  }

  /** Notes a task no longer listed where it was: one listed since the last publish was never published. */
  private unlisted(task: Task): void {
    if (!this.removed) return;
    if (!this.added.delete(task)) this.removed.push(task);
  }

  private taskAdded(task: Task): void {
    const entry = this.frameworks.get(task.framework_id);
    if (!entry) {
      const key = `${task.framework_id}/${task.id}`;
      const replaced = this.orphans.get(key);
      if (replaced) this.unlisted(replaced);
      this.orphans.set(key, task);
      this.listed(task, 'active', 'orphan');
      this.orphansChanged = true;
      this.revision++;
      return;
    }
    const previous = entry.tasks.get(task.id);
    if (previous) this.dropActive(entry, previous);
    if (isTerminalState(task.state)) {
      entry.completed.push(task);
      this.listed(task, 'completed');
      this.trimCompleted(entry);
    } else this.putActive(entry, task);
    this.markAgent(task.slave_id);
    this.markFramework(entry);
  }

  private taskUpdated(event: Extract<OperatorEvent, { type: 'TASK_UPDATED' }>): void {
    const entry = this.frameworks.get(event.frameworkId);
    const orphanKey = `${event.frameworkId}/${event.taskId}`;
    if (!entry) {
      const orphan = this.orphans.get(orphanKey);
      if (!orphan) return;
      this.unlisted(orphan);
      if (isTerminalState(event.state)) this.orphans.delete(orphanKey);
      else {
        const next = withStatus(orphan, event);
        this.orphans.set(orphanKey, next);
        this.listed(next, 'active', 'orphan');
      }
      this.orphansChanged = true;
      this.revision++;
      return;
    }
    const active = entry.tasks.get(event.taskId);
    const unreachable = active ? undefined : entry.unreachable.get(event.taskId);
    let task = active ?? unreachable;
    if (!task) {
      // Not seen before (e.g. the model started from a stream that missed it): build it from the update.
      this.stats.unknownTasks++;
      task = {
        id: event.taskId,
        name: '',
        framework_id: event.frameworkId,
        executor_id: event.executorId ?? '',
        slave_id: event.agentId ?? '',
        state: event.state,
        resources: { cpus: 0, gpus: 0, mem: 0, disk: 0 },
        statuses: [],
      };
    }
    const next = withStatus(task, event);
    if (active) this.dropActive(entry, active);
    if (unreachable) {
      entry.unreachable.delete(event.taskId);
      this.unlisted(unreachable);
    }
    if (isTerminalState(next.state)) {
      entry.completed.push(next);
      this.listed(next, 'completed');
      this.trimCompleted(entry);
    } else if (next.state === 'TASK_UNREACHABLE') {
      entry.unreachable.set(next.id, next);
      this.listed(next, 'unreachable');
    } else {
      this.putActive(entry, next);
    }
    this.markAgent(next.slave_id);
    this.markFramework(entry);
  }

  private frameworkRemoved(frameworkId: string): void {
    const entry = this.frameworks.get(frameworkId);
    if (!entry) return;
    const stillActive = [...entry.tasks.values()];
    for (const task of stillActive) {
      this.dropActive(entry, task);
      this.markAgent(task.slave_id);
    }
    const done: Framework = {
      ...entry.base,
      active: false,
      connected: false,
      tasks: [],
      unreachable_tasks: [],
      completed_tasks: [...entry.completed, ...stillActive, ...entry.unreachable.values()],
      offers: [],
      used_resources: withScalars(entry.base.used_resources, zero()),
      offered_resources: withScalars(entry.base.offered_resources, zero()),
      resources: withScalars(entry.base.resources, zero()),
      unregistered_time: Date.now() / 1000,
    };
    for (const task of entry.completed) this.unlisted(task);
    for (const task of entry.unreachable.values()) this.unlisted(task);
    this.frameworks.delete(frameworkId);
    const kept = this.completedFrameworks.filter((f) => {
      if (f.id !== frameworkId) return true;
      this.unlistedFramework(f);
      return false;
    });
    kept.push(done);
    const dropped = Math.max(0, kept.length - this.frameworkLimit);
    for (const gone of kept.slice(0, dropped)) this.unlistedFramework(gone);
    this.completedFrameworks = kept.slice(dropped);
    if (this.completedFrameworks.includes(done)) {
      for (const task of completedTasksOf(done)) this.listed(task, 'completed', 'retired');
    }
    this.touchedFrameworks.add(frameworkId);
    this.frameworksChanged = true;
    this.revision++;
  }
}

/** A new task object with the update applied (published snapshots share the old one, so it is not mutated). */
/** A completed framework's tasks, all listed as completed. */
function completedTasksOf(framework: Framework): Task[] {
  return [...framework.completed_tasks, ...framework.tasks];
}

function withStatus(task: Task, event: Extract<OperatorEvent, { type: 'TASK_UPDATED' }>): Task {
  return {
    ...task,
    state: event.state,
    slave_id: task.slave_id || event.agentId || '',
    statuses: packStatuses(task.statuses).with(event.status),
  };
}

/** The values of `items` (`count` of them) as an array: `previous` itself when it lists the same ones in order. */
function sharedList<T>(
  items: { values(): Iterable<T> },
  count: number,
  previous: readonly T[] | undefined,
): T[] {
  if (previous?.length === count) {
    let at = 0;
    let same = true;
    for (const item of items.values()) {
      if (item !== previous[at++]) {
        same = false;
        break;
      }
    }
    // Published lists are never written to: sharing one between two published states is safe.
    if (same) return previous as T[];
  }
  // Sized once: `Array.from` of an iterator grows its array step by step, several times the garbage of the
  // list itself (a framework's 1,000 completed tasks, copied whenever one of its tasks ends).
  if (Array.isArray(items)) return (items as T[]).slice();
  const list = new Array<T>(count);
  let at = 0;
  for (const item of items.values()) list[at++] = item;
  return list;
}

function lastTimestamp(task: Task): number {
  return statusTimeAt(task.statuses, task.statuses.length - 1) ?? 0;
}

function sameOffers(a: readonly Offer[], b: readonly Offer[]): boolean {
  return a.length === b.length && a.every((offer, at) => offer.id === b[at]!.id);
}

function sameScalars(a: Scalars, b: Scalars): boolean {
  return a.cpus === b.cpus && a.gpus === b.gpus && a.mem === b.mem && a.disk === b.disk;
}
