import type { Agent, Framework, MasterState, Task } from '../../mesos';
import type { Listing, PublishedChanges } from '../../mesos/operator-v1/stream-state';
import { changesOf } from '../../mesos/operator-v1/stream-state';
import type { TaskGroup, TaskRow, TaskSortKey } from '../schemas/views';
import type { ClusterSnapshot } from './cluster-snapshot';
import { Facet } from './facet-counts';
import { SortedChunks } from './sorted-chunks';
import type { SortedView } from './sorted-chunks';
import { taskRow } from './task-row';
import { polledChangesOf } from './polled-changes';
import { TaskSelections, candidatesIn, candidatesOf, matchesFilter, pickInSlices } from './task-selections';
import type { Candidates, SelectionLimits, SelectionStats, TaskFilter } from './task-selections';
import { SLICE_TASKS } from './turns';

/** One task of the cluster with what the Tasks page, the task page and search need to find it fast. */
export interface IndexedTask {
  readonly row: TaskRow;
  readonly group: TaskGroup;
  /** The task as the master reported it. */
  readonly task: Task;
  /** For the text filter (with the row's state, framework, agent and role) and search. */
  readonly idLower: string;
  readonly nameLower: string;
  /** Who lists it (an orphan's rows name no listing framework's role). */
  readonly listing: Listing;
  /** When it was listed (ties of equal rows go by it, and the later of two equal keys is the one found). */
  readonly seq: number;
}

const GROUPS: readonly TaskGroup[] = ['active', 'unreachable', 'completed'];
const LISTINGS: readonly Listing[] = ['framework', 'orphan', 'retired'];

/**
 * An index entry with its group, listing and seq in one number (`seq * 16 + listing * 4 + group`): two fields
 * fewer than a plain object, 16 bytes a task (3 MB at `massive`'s 200,000 tasks).
 */
class Entry implements IndexedTask {
  private readonly packed: number;

  constructor(
    readonly row: TaskRow,
    readonly task: Task,
    readonly idLower: string,
    readonly nameLower: string,
    group: TaskGroup,
    listing: Listing,
    seq: number,
  ) {
    // Arithmetic, not bits: past 2^27 tasks listed (months of churn), seq still fits a double exactly.
    this.packed = seq * 16 + LISTINGS.indexOf(listing) * 4 + GROUPS.indexOf(group);
  }

  get group(): TaskGroup {
    return GROUPS[this.packed % 4]!;
  }

  get listing(): Listing {
    return LISTINGS[Math.floor(this.packed / 4) % 4]!;
  }

  get seq(): number {
    return Math.floor(this.packed / 16);
  }
}

/** How many tasks have each value of a filtered field. */
export type FacetCounts = ReadonlyMap<string, number>;

/**
 * Every task of one snapshot, indexed, and shared by every query on that snapshot. It never changes once
 * published: the model behind it is updated in place from what changed, and each snapshot sees a frozen
 * version of it.
 * - `order(sort)`: every task sorted ascending by one column (ties by id), so that a query is a single walk in
 *   that order, never a sort;
 * - `find`: framework id + task id → task (task ids are unique per framework only);
 * - `facets`: how many tasks have each group, state, framework, agent and role (the Tasks page's filters);
 * - `select(filter, sort)`: the tasks of a filter, sorted, kept from one snapshot to the next while asked;
 *   `selectInSlices` makes a new one a slice of tasks at a time, letting other requests in between;
 * - `onAgent`: the tasks on one agent.
 */
export interface TaskIndex {
  readonly size: number;
  readonly facets: Readonly<Record<'groups' | 'states' | 'frameworks' | 'agents' | 'roles', FacetCounts>>;
  /** The states of the active tasks, with how many (the Overview's counts without metrics). */
  readonly activeStates: ReadonlyMap<string, number>;
  /** Every task (or every task of one group) sorted ascending by a column. */
  order(sort: TaskSortKey, group?: TaskGroup): SortedView<IndexedTask>;
  /** The tasks a filter matches, sorted ascending by a column (ties as in `order`). */
  select(filter: TaskFilter, sort: TaskSortKey): SortedView<IndexedTask>;
  /**
   * The same tasks as `select`, but when that means looking at many tasks, they are looked at a slice at a
   * time with a turn of the event loop between slices; identical asks meanwhile share the walk.
   */
  selectInSlices(filter: TaskFilter, sort: TaskSortKey): Promise<SortedView<IndexedTask>>;
  /** The tasks on one agent, by start (ties as in `order`). */
  onAgent(agentId: string): readonly IndexedTask[];
  find(frameworkId: string, taskId: string): IndexedTask | undefined;
  /** Every task, in no particular order (a walk over all of them: for views that need every task). */
  all(): readonly IndexedTask[];
}

const SORT_VALUE: Record<TaskSortKey, (row: TaskRow) => string | number> = {
  id: (row) => row.id,
  name: (row) => row.name,
  framework: (row) => row.frameworkName ?? row.frameworkId,
  role: (row) => row.role ?? '',
  state: (row) => row.state,
  health: (row) => (row.healthy === null ? 0 : row.healthy ? 2 : 1),
  host: (row) => row.agentHostname ?? '',
  agent: (row) => row.agentId,
  start: (row) => row.startTime ?? 0,
  finish: (row) => row.finishTime ?? 0,
  cpus: (row) => row.resources.cpus,
  mem: (row) => row.resources.mem,
  disk: (row) => row.resources.disk,
};

/** Kept sorted from the start: every task (by start), and the Overview's active and completed tables. */
const FIRST_SORTS: ReadonlyArray<[TaskSortKey, TaskGroup | null]> = [
  ['start', null],
  ['start', 'active'],
  ['finish', 'completed'],
];

function orderKey(sort: TaskSortKey, group: TaskGroup | null): string {
  return `${group ?? 'all'}:${sort}`;
}

/** Tasks in the order they were listed: the order of the lists a filter starts from. */
function bySeq(a: IndexedTask, b: IndexedTask): number {
  return a.seq - b.seq;
}

/** One sorted list the model keeps, of every task or of one group's. */
interface KeptOrder {
  group: TaskGroup | null;
  list: SortedChunks<IndexedTask>;
}

const GROUP_RANK: Record<TaskGroup, number> = { active: 0, unreachable: 1, completed: 2 };
/** Within a group, the master lists frameworks' tasks before orphans and completed frameworks' tasks. */
const LISTING_RANK: Record<Listing, number> = { framework: 0, orphan: 1, retired: 1 };

/** The order of a master's state: by group, then who lists the task, then framework, then as listed. */
function listedOrder(a: IndexedTask, b: IndexedTask): number {
  const byGroup = GROUP_RANK[a.group] - GROUP_RANK[b.group];
  if (byGroup !== 0) return byGroup;
  const byListing = LISTING_RANK[a.listing] - LISTING_RANK[b.listing];
  if (byListing !== 0) return byListing;
  const fa = a.row.frameworkId;
  const fb = b.row.frameworkId;
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a.seq - b.seq;
}

function comparator(sort: TaskSortKey): (a: IndexedTask, b: IndexedTask) => number {
  const value = SORT_VALUE[sort];
  return (a, b) => {
    const left = value(a.row);
    const right = value(b.row);
    if (left < right) return -1;
    if (left > right) return 1;
    const idA = a.row.id;
    const idB = b.row.id;
    if (idA < idB) return -1;
    if (idA > idB) return 1;
    // The same task id twice (a relaunch, or two frameworks): in the order the master lists them.
    return listedOrder(a, b);
  };
}

/**
 * Framework id → task id → the task (or, for a task id listed twice, the tasks), keyed by the strings the
 * tasks hold: no key is made per task.
 */
class TasksByKey {
  private readonly byFramework = new Map<string, Map<string, IndexedTask | IndexedTask[]>>();

  get(frameworkId: string, taskId: string): IndexedTask | IndexedTask[] | undefined {
    return this.byFramework.get(frameworkId)?.get(taskId);
  }

  /** The entry of one task object. */
  of(task: Task): IndexedTask | undefined {
    const found = this.get(task.framework_id, task.id);
    if (!Array.isArray(found)) return found?.task === task ? found : undefined;
    return found.find((entry) => entry.task === task);
  }

  add(entry: IndexedTask): void {
    const { frameworkId, id } = entry.row;
    let tasks = this.byFramework.get(frameworkId);
    if (!tasks) this.byFramework.set(frameworkId, (tasks = new Map()));
    const existing = tasks.get(id);
    if (existing === undefined) tasks.set(id, entry);
    else if (Array.isArray(existing)) existing.push(entry);
    else tasks.set(id, [existing, entry]);
  }

  remove(entry: IndexedTask): void {
    const { frameworkId, id } = entry.row;
    const tasks = this.byFramework.get(frameworkId);
    const existing = tasks?.get(id);
    if (!tasks || existing === undefined) return;
    if (existing === entry) tasks.delete(id);
    else if (Array.isArray(existing)) {
      const left = existing.filter((candidate) => candidate !== entry);
      tasks.set(id, left.length === 1 ? (left[0] as IndexedTask) : left);
    }
    if (tasks.size === 0) this.byFramework.delete(frameworkId);
  }

  clear(): void {
    this.byFramework.clear();
  }
}

/**
 * The cluster's tasks, indexed, kept from one snapshot to the next: a stream-fed state says which tasks
 * changed since the one before it (see `changesOf`), and so does a polled one compared with the poll before
 * (see `diffPolledState`); only those are re-indexed, in time proportional to the changes. Any other state
 * (the first, a new stream) is indexed whole.
 */
export class TaskModel {
  /**
   * Every entry by framework id and task id, and so by task object (no map of task objects besides: at
   * `massive` that was 200,000 more entries, about 7 MB).
   */
  private readonly byKey = new TasksByKey();
  private size = 0;
  /**
   * The tasks on each agent, in no order (their rows name the agent's hostname): arrays, not sets, which cost
   * about three times the memory for the few dozen tasks an agent runs.
   */
  private readonly byAgent = new Map<string, IndexedTask[]>();
  /** The tasks of each framework and of each state (by seq): where a filter on them starts. */
  private readonly byFramework = new Map<string, SortedChunks<IndexedTask>>();
  private readonly byState = new Map<string, SortedChunks<IndexedTask>>();
  private readonly slice: number;
  private readonly orders = new Map<string, KeptOrder>();
  private readonly selections: TaskSelections<IndexedTask>;
  private readonly facets = {
    groups: new Facet(),
    states: new Facet(),
    frameworks: new Facet(),
    agents: new Facet(),
    roles: new Facet(),
  };
  private activeStates = new Facet();
  private state: MasterState | null = null;
  private agentsById: ReadonlyMap<string, Agent> = new Map();
  private frameworksById: ReadonlyMap<string, Framework> = new Map();
  private seq = 0;
  /** Increases with every update; an index is the newest while its generation is the model's. */
  private generation = 0;
  private latest: TaskIndex | null = null;

  constructor(selectionLimits?: SelectionLimits) {
    this.selections = new TaskSelections(comparator, selectionLimits);
    this.slice = selectionLimits?.slice ?? SLICE_TASKS;
    for (const [sort, group] of FIRST_SORTS) {
      this.orders.set(orderKey(sort, group), { group, list: new SortedChunks(comparator(sort)) });
    }
  }

  /** Brings the model to `state`: from its changes when they lead from the state the model holds. */
  update(
    state: MasterState,
    agentsById: ReadonlyMap<string, Agent>,
    frameworksById: ReadonlyMap<string, Framework>,
  ): void {
    if (state === this.state) return;
    const changes = changesOf(state) ?? polledChangesOf(state);
    this.agentsById = agentsById;
    this.frameworksById = frameworksById;
    if (this.state && changes && changes.previous.deref() === this.state) this.apply(state, changes);
    else this.rebuild(state);
    this.state = state;
    this.generation += 1;
    this.latest = null;
  }

  /** How many new selections were picked a slice at a time, in how many slices. */
  get selectionStats(): Readonly<SelectionStats> {
    return this.selections.stats;
  }

  /** The model as it is now, frozen. */
  publish(): TaskIndex {
    if (this.latest) return this.latest;
    const generation = this.generation;
    const views = new Map<string, SortedView<IndexedTask>>();
    for (const [key, { list }] of this.orders) views.set(key, list.publish());
    const size = this.size;
    let all: IndexedTask[] | null = null;
    let keys: TasksByKey | null = null;
    const picking = new Map<string, Promise<SortedView<IndexedTask>>>();
    const allOf = (): IndexedTask[] => {
      all ??= [...walkView(views.get(orderKey('start', null)) as SortedView<IndexedTask>)];
      return all;
    };
    const index: TaskIndex = {
      size,
      facets: {
        groups: this.facets.groups.publish(),
        states: this.facets.states.publish(),
        frameworks: this.facets.frameworks.publish(),
        agents: this.facets.agents.publish(),
        roles: this.facets.roles.publish(),
      },
      activeStates: this.activeStates.publish(),
      order: (sort, group) => {
        const key = orderKey(sort, group ?? null);
        let view = views.get(key);
        if (!view) {
          if (generation === this.generation) {
            view = this.startOrder(sort, group ?? null).publish();
          } else {
            // An older snapshot asked for an order the model does not keep: sort this one once.
            const items = allOf()
              .filter((entry) => !group || entry.group === group)
              .sort(comparator(sort));
            view = { size: items.length, chunks: [items] };
          }
          views.set(key, view);
        }
        return view;
      },
      select: (filter, sort) => {
        const key = `select:${JSON.stringify([sort, filter])}`;
        let view = views.get(key);
        if (!view) {
          if (generation === this.generation) {
            view = this.selections.select(filter, sort, this.candidates(filter, sort));
          } else {
            const items = allOf()
              .filter((entry) => matchesFilter(filter, entry))
              .sort(comparator(sort));
            view = { size: items.length, chunks: [items] };
          }
          views.set(key, view);
        }
        return view;
      },
      selectInSlices: (filter, sort) => {
        const key = `select:${JSON.stringify([sort, filter])}`;
        const view = views.get(key);
        if (view) return Promise.resolve(view);
        let picked = picking.get(key);
        if (!picked) {
          const made =
            generation === this.generation
              ? this.selections.selectInSlices(filter, sort, this.candidates(filter, sort), generation)
              : this.pickFromOrder(views, filter, sort);
          picked = Promise.resolve(made).then((done) => {
            views.set(key, done);
            picking.delete(key);
            return done;
          });
          picking.set(key, picked);
        }
        return picked;
      },
      onAgent: (agentId) => {
        const onAgent =
          generation === this.generation
            ? [...(this.byAgent.get(agentId) ?? [])]
            : allOf().filter((entry) => entry.row.agentId === agentId);
        return onAgent.sort(comparator('start'));
      },
      find: (frameworkId, taskId) => {
        if (generation === this.generation) return best(this.byKey.get(frameworkId, taskId));
        if (!keys) {
          keys = new TasksByKey();
          for (const entry of allOf()) keys.add(entry);
        }
        return best(keys.get(frameworkId, taskId));
      },
      all: allOf,
    };
    this.latest = index;
    return index;
  }

  /**
   * Where the tasks of a new selection may be found: every task (in the asked order when the model keeps
   * it, so that what is picked needs no sort), the tasks of its group, and those of its agent, framework
   * and states.
   */
  private candidates(filter: TaskFilter, sort: TaskSortKey): Array<Candidates<IndexedTask>> {
    const found: Array<Candidates<IndexedTask>> = [];
    for (const [key, { group, list }] of this.orders) {
      if (group === null || group === filter.group) {
        found.push(candidatesOf([list], key === orderKey(sort, group)));
      }
    }
    if (filter.agent !== null) found.push(candidatesIn(this.byAgent.get(filter.agent) ?? []));
    if (filter.framework !== null) {
      const list = this.byFramework.get(filter.framework);
      found.push(candidatesOf(list ? [list] : [], false));
    }
    if (filter.states !== null) {
      const lists = filter.states.flatMap((state) => this.byState.get(state) ?? []);
      found.push(candidatesOf(lists, false));
    }
    return found;
  }

  /**
   * The tasks of a filter over an older index (the model moved on): picked from that index's own sorted
   * views a slice at a time, and not kept.
   */
  private pickFromOrder(
    views: ReadonlyMap<string, SortedView<IndexedTask>>,
    filter: TaskFilter,
    sort: TaskSortKey,
  ): Promise<SortedView<IndexedTask>> {
    const inOrder = views.get(orderKey(sort, filter.group)) ?? views.get(orderKey(sort, null));
    const every = inOrder ?? (views.get(orderKey('start', null)) as SortedView<IndexedTask>);
    const stats = this.selections.stats;
    stats.scans += 1;
    return pickInSlices(
      every.chunks,
      (entry) => matchesFilter(filter, entry),
      comparator(sort),
      inOrder !== undefined,
      this.slice,
      () => (stats.slices += 1),
    ).then((list) => list.publish());
  }

  private startOrder(sort: TaskSortKey, group: TaskGroup | null): SortedChunks<IndexedTask> {
    const list = new SortedChunks(comparator(sort));
    const every = this.orders.get(orderKey('start', null))!.list.publish();
    list.reset([...walkView(every)].filter((entry) => !group || entry.group === group));
    this.orders.set(orderKey(sort, group), { group, list });
    return list;
  }

  private rebuild(state: MasterState): void {
    this.size = 0;
    this.byKey.clear();
    this.byAgent.clear();
    this.byFramework.clear();
    this.byState.clear();
    this.selections.clear();
    for (const key of Object.keys(this.facets) as Array<keyof typeof this.facets>) {
      this.facets[key] = new Facet();
    }
    this.activeStates = new Facet();
    const adding: IndexedTask[] = [];
    const add = (
      task: Task,
      group: TaskGroup,
      framework: Framework | undefined,
      listing: Listing = 'framework',
    ) => {
      const entry = this.index(task, group, framework, listing);
      this.count(entry);
      adding.push(entry);
    };
    for (const framework of state.frameworks) {
      for (const task of framework.tasks) add(task, 'active', framework);
    }
    for (const task of state.orphan_tasks ?? []) add(task, 'active', undefined, 'orphan');
    for (const framework of state.frameworks) {
      for (const task of framework.unreachable_tasks) add(task, 'unreachable', framework);
    }
    for (const framework of state.frameworks) {
      for (const task of framework.completed_tasks) add(task, 'completed', framework);
    }
    for (const framework of state.completed_frameworks) {
      for (const task of framework.completed_tasks) add(task, 'completed', framework, 'retired');
      for (const task of framework.tasks) add(task, 'completed', framework, 'retired');
    }
    for (const { group, list } of this.orders.values()) {
      list.reset(adding.filter((entry) => !group || entry.group === group));
    }
    // `adding` is in seq order: each list is made in one pass.
    for (const [lists, value] of this.facetLists()) {
      const grouped = new Map<string, IndexedTask[]>();
      for (const entry of adding) {
        const key = value(entry);
        const list = grouped.get(key);
        if (list) list.push(entry);
        else grouped.set(key, [entry]);
      }
      for (const [key, entries] of grouped) {
        const list = new SortedChunks(bySeq);
        list.reset(entries);
        lists.set(key, list);
      }
    }
  }

  /** The lists of tasks by framework and by state, with the value each is keyed by. */
  private facetLists(): Array<[Map<string, SortedChunks<IndexedTask>>, (entry: IndexedTask) => string]> {
    return [
      [this.byFramework, (entry) => entry.row.frameworkId],
      [this.byState, (entry) => entry.row.state],
    ];
  }

  private apply(state: MasterState, changes: PublishedChanges): void {
    for (const task of changes.removed) {
      const entry = this.byKey.of(task);
      if (entry) this.remove(entry);
    }
    for (const { task, group, listing } of changes.added) {
      const entry = this.index(task, group, this.listedBy(state, task, listing), listing);
      this.count(entry);
      this.insert(entry);
    }
    // Rows name their framework and agent: re-read those of renamed ones.
    const stale = new Set<IndexedTask>();
    for (const frameworkId of changes.frameworks) {
      const listed = [
        state.frameworks.find((framework) => framework.id === frameworkId),
        state.completed_frameworks.find((framework) => framework.id === frameworkId),
      ];
      for (const task of state.orphan_tasks ?? []) {
        const entry = task.framework_id === frameworkId ? this.byKey.of(task) : undefined;
        if (entry) stale.add(entry);
      }
      for (const framework of listed) {
        if (!framework) continue;
        for (const list of [framework.tasks, framework.unreachable_tasks, framework.completed_tasks]) {
          for (const task of list) {
            const entry = this.byKey.of(task);
            if (entry) stale.add(entry);
          }
        }
      }
    }
    for (const agentId of changes.agents) {
      for (const entry of this.byAgent.get(agentId) ?? []) stale.add(entry);
    }
    for (const entry of stale) {
      const { task, group, listing } = entry;
      const fresh = this.index(task, group, this.listedBy(state, task, listing), listing, entry.seq);
      if (sameRow(fresh.row, entry.row)) continue;
      this.remove(entry);
      this.count(fresh);
      this.insert(fresh);
    }
  }

  /** The framework that lists a task: a completed one, an active one, or none (an orphan). */
  private listedBy(state: MasterState, task: Task, listing: Listing): Framework | undefined {
    switch (listing) {
      case 'orphan':
        return undefined;
      case 'retired':
        return state.completed_frameworks.find((framework) => framework.id === task.framework_id);
      case 'framework':
        return this.frameworksById.get(task.framework_id);
    }
  }

  /** A new index entry, neither counted nor inserted. */
  private index(
    task: Task,
    group: TaskGroup,
    framework: Framework | undefined,
    listing: Listing,
    seq?: number,
  ): IndexedTask {
    const frameworkName = framework?.name ?? this.frameworksById.get(task.framework_id)?.name ?? null;
    const agentHostname = this.agentsById.get(task.slave_id)?.hostname ?? null;
    const row = taskRow(task, framework, frameworkName, agentHostname);
    const idLower = row.id.toLowerCase();
    const nameLower = row.name.toLowerCase();
    return new Entry(row, task, idLower, nameLower, group, listing, seq ?? this.seq++);
  }

  /** Counts and keys an entry in (its sorts aside: during a rebuild they are made in one go). */
  private count(entry: IndexedTask): void {
    const { row } = entry;
    this.size += 1;
    this.byKey.add(entry);
    const onAgent = this.byAgent.get(row.agentId);
    if (onAgent) onAgent.push(entry);
    else this.byAgent.set(row.agentId, [entry]);
    this.facets.groups.add(entry.group);
    this.facets.states.add(row.state);
    this.facets.frameworks.add(row.frameworkId);
    this.facets.agents.add(row.agentId);
    if (row.role !== null) this.facets.roles.add(row.role);
    if (entry.group === 'active') this.activeStates.add(row.state);
  }

  /** Inserts a counted entry into the kept sorts, lists and selections. */
  private insert(entry: IndexedTask): void {
    for (const { group, list } of this.orders.values())
      if (!group || entry.group === group) list.insert(entry);
    for (const [lists, value] of this.facetLists()) {
      const key = value(entry);
      let list = lists.get(key);
      if (!list) lists.set(key, (list = new SortedChunks(bySeq)));
      list.insert(entry);
    }
    // These changes make the model's next generation.
    this.selections.insert(entry, this.generation + 1);
  }

  private remove(entry: IndexedTask): void {
    const { row } = entry;
    this.size -= 1;
    this.byKey.remove(entry);
    const onAgent = this.byAgent.get(row.agentId);
    const at = onAgent?.indexOf(entry) ?? -1;
    if (onAgent && at >= 0) {
      // Swap with the last: the list has no order.
      onAgent[at] = onAgent[onAgent.length - 1]!;
      onAgent.pop();
      if (onAgent.length === 0) this.byAgent.delete(row.agentId);
    }
    this.facets.groups.remove(entry.group);
    this.facets.states.remove(row.state);
    this.facets.frameworks.remove(row.frameworkId);
    this.facets.agents.remove(row.agentId);
    if (row.role !== null) this.facets.roles.remove(row.role);
    if (entry.group === 'active') this.activeStates.remove(row.state);
    for (const { group, list } of this.orders.values())
      if (!group || entry.group === group) list.delete(entry);
    for (const [lists, value] of this.facetLists()) {
      const key = value(entry);
      const list = lists.get(key);
      list?.delete(entry);
      if (list?.size === 0) lists.delete(key);
    }
    this.selections.remove(entry, this.generation + 1);
  }
}

function sameRow(a: TaskRow, b: TaskRow): boolean {
  return a.frameworkName === b.frameworkName && a.agentHostname === b.agentHostname && a.role === b.role;
}

/** Of the tasks with one key (a relaunched task id), the live one, else the one listed last. */
function best(found: IndexedTask | IndexedTask[] | undefined): IndexedTask | undefined {
  if (!Array.isArray(found)) return found;
  let chosen: IndexedTask | undefined;
  for (const entry of found) {
    if (
      !chosen ||
      GROUP_RANK[entry.group] < GROUP_RANK[chosen.group] ||
      (entry.group === chosen.group && listedOrder(entry, chosen) > 0)
    ) {
      chosen = entry;
    }
  }
  return chosen;
}

function* walkView(view: SortedView<IndexedTask>): Generator<IndexedTask> {
  for (const chunk of view.chunks) yield* chunk;
}

/** The task index of a snapshot: the one it was published with, else (a snapshot built alone) built once. */
export function taskIndex(snapshot: ClusterSnapshot): TaskIndex {
  if (snapshot.index) return snapshot.index;
  let index = ownIndexes.get(snapshot);
  if (!index) {
    const model = new TaskModel();
    model.update(snapshot.state, snapshot.agentsById, snapshot.frameworksById);
    index = model.publish();
    ownIndexes.set(snapshot, index);
  }
  return index;
}

const ownIndexes = new WeakMap<ClusterSnapshot, TaskIndex>();
