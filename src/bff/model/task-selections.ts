import type { TaskGroup, TaskSortKey } from '../schemas/views';
import { SortedChunks } from './sorted-chunks';
import type { SortedView } from './sorted-chunks';
import { SLICE_TASKS, nextTurn } from './turns';

/** What a filtered task query keeps: every field is "any" when null (or, for the text, empty). */
export interface TaskFilter {
  readonly group: TaskGroup | null;
  /** Task states (`TASK_RUNNING`), any of which matches; sorted, no repeats. */
  readonly states: readonly string[] | null;
  readonly framework: string | null;
  readonly agent: string | null;
  readonly role: string | null;
  /** Lowercased text the task's id, name, state, framework, agent or role must contain. */
  readonly needle: string;
}

/** The part of an index entry a filter reads. */
export interface Filterable {
  readonly group: TaskGroup;
  readonly idLower: string;
  readonly nameLower: string;
  readonly row: {
    readonly state: string;
    readonly frameworkId: string;
    readonly frameworkName: string | null;
    readonly agentId: string;
    readonly agentHostname: string | null;
    readonly role: string | null;
  };
}

export const NO_FILTER: TaskFilter = {
  group: null,
  states: null,
  framework: null,
  agent: null,
  role: null,
  needle: '',
};

export function matchesFilter(filter: TaskFilter, entry: Filterable): boolean {
  const { row } = entry;
  return (
    (filter.group === null || entry.group === filter.group) &&
    (filter.states === null || filter.states.includes(row.state)) &&
    (filter.framework === null || row.frameworkId === filter.framework) &&
    (filter.agent === null || row.agentId === filter.agent) &&
    (filter.role === null || row.role === filter.role) &&
    (filter.needle === '' || containsText(entry, filter.needle))
  );
}

/**
 * Whether the task's id, name, state ("failed" finds TASK_FAILED, as the state column reads), framework,
 * agent or role contains `needle`. The values many tasks share are lowercased once, not kept per task.
 */
export function containsText(entry: Filterable, needle: string): boolean {
  const { row } = entry;
  return (
    entry.idLower.includes(needle) ||
    entry.nameLower.includes(needle) ||
    lowered(row.state).includes(needle) ||
    lowered(row.frameworkId).includes(needle) ||
    (row.frameworkName !== null && lowered(row.frameworkName).includes(needle)) ||
    (row.agentHostname !== null && lowered(row.agentHostname).includes(needle)) ||
    lowered(row.agentId).includes(needle) ||
    (row.role !== null && lowered(row.role).includes(needle))
  );
}

const LOWERED_MAX = 100_000;
let lowercase = new Map<string, string>();

function lowered(value: string): string {
  let lower = lowercase.get(value);
  if (lower === undefined) {
    if (lowercase.size >= LOWERED_MAX) lowercase = new Map();
    lower = value.toLowerCase();
    lowercase.set(value, lower);
  }
  return lower;
}

/** True when every task `narrow` matches is matched by `wide` too (so `wide`'s tasks are candidates). */
export function narrows(narrow: TaskFilter, wide: TaskFilter): boolean {
  const same = (a: string | null, b: string | null) => b === null || a === b;
  return (
    same(narrow.group, wide.group) &&
    same(narrow.framework, wide.framework) &&
    same(narrow.agent, wide.agent) &&
    same(narrow.role, wide.role) &&
    (wide.states === null ||
      (narrow.states !== null && narrow.states.every((state) => wide.states?.includes(state)))) &&
    narrow.needle.includes(wide.needle)
  );
}

export function filterKey(filter: TaskFilter, sort: TaskSortKey): string {
  return JSON.stringify([
    sort,
    filter.group,
    filter.states,
    filter.framework,
    filter.agent,
    filter.role,
    filter.needle,
  ]);
}

/** Tasks a new selection may be picked from, and how many. */
export interface Candidates<T> {
  readonly size: number;
  /** Whether they come in the order the selection is asked in (what is picked from them needs no sort). */
  readonly sorted: boolean;
  /** The candidates as they are now, frozen: what changes after does not show in them. */
  chunks(): ReadonlyArray<readonly T[]>;
}

/** The candidates of an unordered list, copied when asked for (the list changes later). */
export function candidatesIn<T>(items: readonly T[]): Candidates<T> {
  return { size: items.length, sorted: false, chunks: () => [[...items]] };
}

/** The candidates of sorted lists (one list, or several whose tasks are told apart), frozen when asked for. */
export function candidatesOf<T>(lists: ReadonlyArray<SortedChunks<T>>, sorted: boolean): Candidates<T> {
  return {
    size: lists.reduce((size, list) => size + list.size, 0),
    sorted: sorted && lists.length === 1,
    chunks: () => lists.flatMap((list) => list.publish().chunks),
  };
}

/**
 * What picking a selection from candidates costs, about: a look at each, and a sort of what is picked unless
 * they are in order already (a share of them, each sorted in at a cost that grows with their number).
 */
function costOf(candidates: Candidates<unknown>): number {
  const { size } = candidates;
  return candidates.sorted ? size : size * (1 + Math.log2(size + 1) / 4);
}

interface Selection<T> {
  filter: TaskFilter;
  sort: TaskSortKey;
  list: SortedChunks<T>;
}

/** One change to the tasks while a selection is being picked, and the generation of the model it made. */
interface Change<T> {
  entry: T;
  added: boolean;
  generation: number;
}

/** A selection being picked a slice at a time, and who waits for it. */
interface Scan<T> {
  filter: TaskFilter;
  sort: TaskSortKey;
  /** The generation whose tasks are picked; the changes since then are applied to them at the end. */
  from: number;
  changes: Array<Change<T>>;
  /** False once the model was rebuilt: the selection then serves those who waited, and is not kept. */
  keepable: boolean;
  /** Those who wait, by the generation of the index they asked. */
  waiting: Map<number, Array<(view: SortedView<T>) => void>>;
}

export interface SelectionLimits {
  /** How many selections are kept at most. */
  count: number;
  /** How many entries all kept selections hold together at most (one reference each). */
  held: number;
  /** How many candidates a new selection looks at in one turn of the event loop. */
  slice?: number;
}

const DEFAULT_LIMITS: SelectionLimits = { count: 48, held: 1_000_000 };

/** How much picking new selections cost so far. */
export interface SelectionStats {
  /** Selections picked a slice at a time. */
  scans: number;
  /** Slices looked at by them, each in its own turn of the event loop. */
  slices: number;
}

/**
 * The candidates of `chunks` that `keep` accepts, sorted by `compare`, looked at `slice` at a time with a turn
 * of the event loop between slices (`onSlice` told of each).
 */
export async function pickInSlices<T>(
  chunks: ReadonlyArray<readonly T[]>,
  keep: (item: T) => boolean,
  compare: (a: T, b: T) => number,
  sorted: boolean,
  slice: number,
  onSlice: () => void,
): Promise<SortedChunks<T>> {
  const list = new SortedChunks(compare);
  const picked: T[] = [];
  let budget = slice;
  onSlice();
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length;) {
      if (budget === 0) {
        await nextTurn();
        onSlice();
        budget = slice;
      }
      const end = Math.min(chunk.length, at + budget);
      for (let i = at; i < end; i += 1) {
        const item = chunk[i] as T;
        if (!keep(item)) continue;
        // In order already: sorted once at the end, in one pass. Else sorted in as found, a slice at a time.
        if (sorted) picked.push(item);
        else list.insert(item);
      }
      budget -= end - at;
      at = end;
    }
  }
  if (sorted) list.reset(picked);
  return list;
}

/**
 * The tasks of recently asked filters, each kept sorted by the column it was asked in, and updated with
 * every inserted or removed entry (a check per kept selection), so that a filtered query on the next
 * snapshot reads a page of a list already made instead of walking every task. A new filter is made from
 * the cheapest candidates known: a kept selection it narrows (typing one more letter narrows the last
 * search) or whatever the caller offers (the tasks of one agent, framework or state; every task in the
 * asked order).
 * `selectInSlices` looks at many candidates a slice at a time, letting the event loop run between slices;
 * identical asks meanwhile wait for the same walk, and the changes made to the tasks meanwhile are applied to
 * what it picked, so that each asker gets the tasks of its own snapshot and the kept selection follows the
 * model. The least recently asked are forgotten first, within a bound on their number and size.
 */
export class TaskSelections<T extends Filterable> {
  private readonly kept = new Map<string, Selection<T>>();
  private readonly scans = new Map<string, Scan<T>>();
  private readonly slice: number;
  readonly stats: SelectionStats = { scans: 0, slices: 0 };

  constructor(
    private readonly comparator: (sort: TaskSortKey) => (a: T, b: T) => number,
    private readonly limits: SelectionLimits = DEFAULT_LIMITS,
  ) {
    this.slice = limits.slice ?? SLICE_TASKS;
  }

  get size(): number {
    return this.kept.size;
  }

  /** The tasks of `filter` sorted by `sort`, made now from the cheapest of the candidates when not kept. */
  select(filter: TaskFilter, sort: TaskSortKey, candidates: ReadonlyArray<Candidates<T>>): SortedView<T> {
    const key = filterKey(filter, sort);
    const found = this.used(key);
    if (found) return found.list.publish();
    const source = this.cheapest(filter, sort, candidates);
    const items: T[] = [];
    for (const chunk of source?.chunks() ?? []) {
      for (const entry of chunk) if (matchesFilter(filter, entry)) items.push(entry);
    }
    const list = new SortedChunks(this.comparator(sort));
    list.reset(items);
    const view = list.publish();
    this.keep(key, { filter, sort, list });
    return view;
  }

  /**
   * Like `select`, for an index of generation `generation` (the model's current one): when the candidates are
   * more than a slice, they are looked at a slice at a time and the answer comes once all were.
   */
  selectInSlices(
    filter: TaskFilter,
    sort: TaskSortKey,
    candidates: ReadonlyArray<Candidates<T>>,
    generation: number,
  ): SortedView<T> | Promise<SortedView<T>> {
    const key = filterKey(filter, sort);
    const found = this.used(key);
    if (found) return found.list.publish();
    let scan = this.scans.get(key);
    if (!scan) {
      const source = this.cheapest(filter, sort, candidates);
      if (!source || source.size <= this.slice) return this.select(filter, sort, candidates);
      scan = { filter, sort, from: generation, changes: [], keepable: true, waiting: new Map() };
      this.scans.set(key, scan);
      this.stats.scans += 1;
      void this.finish(key, scan, source);
    }
    const waiting = scan.waiting.get(generation) ?? [];
    scan.waiting.set(generation, waiting);
    return new Promise((resolve) => waiting.push(resolve));
  }

  /** `generation` is the one the change makes (the model's next). */
  insert(entry: T, generation: number): void {
    for (const { filter, list } of this.kept.values()) if (matchesFilter(filter, entry)) list.insert(entry);
    for (const scan of this.scans.values()) {
      if (matchesFilter(scan.filter, entry)) scan.changes.push({ entry, added: true, generation });
    }
  }

  remove(entry: T, generation: number): void {
    for (const { filter, list } of this.kept.values()) if (matchesFilter(filter, entry)) list.delete(entry);
    for (const scan of this.scans.values()) {
      if (matchesFilter(scan.filter, entry)) scan.changes.push({ entry, added: false, generation });
    }
  }

  /** Forgets every selection (the entries they hold are gone); those being picked serve who waits only. */
  clear(): void {
    this.kept.clear();
    for (const scan of this.scans.values()) scan.keepable = false;
    this.scans.clear();
  }

  private used(key: string): Selection<T> | undefined {
    const found = this.kept.get(key);
    if (found) {
      // Most recently used last: Map keeps insertion order.
      this.kept.delete(key);
      this.kept.set(key, found);
    }
    return found;
  }

  private cheapest(
    filter: TaskFilter,
    sort: TaskSortKey,
    candidates: ReadonlyArray<Candidates<T>>,
  ): Candidates<T> | null {
    const all = [...candidates];
    for (const selection of this.kept.values()) {
      if (narrows(filter, selection.filter))
        all.push(candidatesOf([selection.list], selection.sort === sort));
    }
    let source: Candidates<T> | null = null;
    for (const next of all) if (source === null || costOf(next) < costOf(source)) source = next;
    return source;
  }

  /**
   * Picks the scan's tasks of its first generation, then answers each waiting generation in turn with the
   * changes up to it applied, and keeps the selection brought up to the model's generation.
   */
  private async finish(key: string, scan: Scan<T>, source: Candidates<T>): Promise<void> {
    const { filter, sort } = scan;
    const list = await pickInSlices(
      source.chunks(),
      (entry) => matchesFilter(filter, entry),
      this.comparator(sort),
      source.sorted,
      this.slice,
      () => (this.stats.slices += 1),
    );
    if (this.scans.get(key) === scan) this.scans.delete(key);
    const { changes } = scan;
    let applied = 0;
    for (const generation of [...scan.waiting.keys()].sort((a, b) => a - b)) {
      for (
        ;
        applied < changes.length && (changes[applied] as Change<T>).generation <= generation;
        applied++
      ) {
        apply(list, changes[applied] as Change<T>);
      }
      const view = list.publish();
      for (const resolve of scan.waiting.get(generation) ?? []) resolve(view);
    }
    if (!scan.keepable) return;
    for (; applied < changes.length; applied++) apply(list, changes[applied] as Change<T>);
    this.keep(key, { filter, sort, list });
  }

  private keep(key: string, selection: Selection<T>): void {
    this.kept.delete(key);
    const size = selection.list.size;
    // One selection bigger than the bound serves the snapshot that asked for it, and is not kept.
    if (size > this.limits.held) return;
    let held = size;
    for (const { list } of this.kept.values()) held += list.size;
    for (const [oldKey, old] of this.kept) {
      if (this.kept.size < this.limits.count && held <= this.limits.held) break;
      this.kept.delete(oldKey);
      held -= old.list.size;
    }
    this.kept.set(key, selection);
  }
}

function apply<T>(list: SortedChunks<T>, change: Change<T>): void {
  if (change.added) list.insert(change.entry);
  else list.delete(change.entry);
}
