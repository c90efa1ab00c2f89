import type { TaskGroup, TaskSortKey } from '../schemas/views';
import { SortedChunks } from './sorted-chunks';
import type { SortedView } from './sorted-chunks';

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
  pick(keep: (item: T) => boolean): T[];
}

/** The candidates of a set (or any sized collection). */
export function candidatesIn<T>(items: Iterable<T> & { readonly size: number }): Candidates<T> {
  return {
    size: items.size,
    pick: (keep) => {
      const picked: T[] = [];
      for (const item of items) if (keep(item)) picked.push(item);
      return picked;
    },
  };
}

interface Selection<T> {
  filter: TaskFilter;
  list: SortedChunks<T>;
}

export interface SelectionLimits {
  /** How many selections are kept at most. */
  count: number;
  /** How many entries all kept selections hold together at most (one reference each). */
  held: number;
}

const DEFAULT_LIMITS: SelectionLimits = { count: 48, held: 1_000_000 };

/**
 * The tasks of recently asked filters, each kept sorted by the column it was asked in, and updated with
 * every inserted or removed entry (a check per kept selection), so that a filtered query on the next
 * snapshot reads a page of a list already made instead of walking every task. A new filter is made from
 * the smallest candidates known: a kept selection it narrows (typing one more letter narrows the last
 * search) or whatever the caller offers (the tasks of one agent), else every task, once.
 * The least recently asked are forgotten first, within a bound on their number and size.
 */
export class TaskSelections<T extends Filterable> {
  private readonly kept = new Map<string, Selection<T>>();

  constructor(
    private readonly comparator: (sort: TaskSortKey) => (a: T, b: T) => number,
    private readonly limits: SelectionLimits = DEFAULT_LIMITS,
  ) {}

  get size(): number {
    return this.kept.size;
  }

  /** The tasks of `filter` sorted by `sort`, made now from the smallest of the candidates when not kept. */
  select(filter: TaskFilter, sort: TaskSortKey, candidates: ReadonlyArray<Candidates<T>>): SortedView<T> {
    const key = filterKey(filter, sort);
    const found = this.kept.get(key);
    if (found) {
      // Most recently used last: Map keeps insertion order.
      this.kept.delete(key);
      this.kept.set(key, found);
      return found.list.publish();
    }
    let source = candidates.reduce<Candidates<T> | null>(
      (smallest, next) => (smallest === null || next.size < smallest.size ? next : smallest),
      null,
    );
    for (const selection of this.kept.values()) {
      if ((source === null || selection.list.size < source.size) && narrows(filter, selection.filter)) {
        source = selection.list;
      }
    }
    const items = source?.pick((entry) => matchesFilter(filter, entry)) ?? [];
    const list = new SortedChunks(this.comparator(sort));
    list.reset(items);
    const view = list.publish();
    this.keep(key, { filter, list });
    return view;
  }

  insert(entry: T): void {
    for (const { filter, list } of this.kept.values()) if (matchesFilter(filter, entry)) list.insert(entry);
  }

  remove(entry: T): void {
    for (const { filter, list } of this.kept.values()) if (matchesFilter(filter, entry)) list.delete(entry);
  }

  /** Forgets every selection (the entries they hold are gone). */
  clear(): void {
    this.kept.clear();
  }

  private keep(key: string, selection: Selection<T>): void {
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
