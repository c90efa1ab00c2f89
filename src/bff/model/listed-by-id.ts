import { LazyMap } from './lazy-map';

/** What {@link ListedById} lists: agents and frameworks. */
interface Listed {
  id: string;
}

/**
 * The agents (or frameworks) of each published state by id, kept by the reader from one state to the next. A
 * stream-fed state lists its agents and frameworks anew whenever the tasks of one of them change (every
 * publish, with churn), but the same ones in the same order: their ids' positions are then shared with the
 * previous state's map instead of making a map of 10,000 agents (and one of 1,000 frameworks) every 2 s,
 * which was a good part of a quiet minute's garbage.
 */
export class ListedById<T extends Listed> {
  private positions = new Map<string, number>();
  private ids: readonly string[] = [];

  /**
   * `items` then `more` by id (the last of equal ids, as `new Map` keeps them), read-only: a state's completed
   * and active frameworks without an array of both.
   */
  of(items: readonly T[], more: readonly T[] = []): ListedItems<T> {
    const list = new ListedItems(items, more, this.positions);
    if (!this.sameIds(list)) {
      const positions = new Map<string, number>();
      const ids: string[] = [];
      for (let at = 0; at < list.length; at += 1) {
        const id = list.at(at).id;
        ids.push(id);
        positions.set(id, at);
      }
      this.positions = positions;
      this.ids = ids;
      return new ListedItems(items, more, positions);
    }
    return list;
  }

  private sameIds(list: ListedItems<T>): boolean {
    if (list.length !== this.ids.length) return false;
    for (let at = 0; at < list.length; at += 1) if (list.at(at).id !== this.ids[at]) return false;
    return true;
  }
}

/** Whether two maps list the same ids, when that is known without walking them. */
export function sameIds<T extends Listed>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): boolean {
  return a === b || (a instanceof ListedItems && a.sameIdsAs(b));
}

/** A list by id, through positions that lists of the same ids share. */
export class ListedItems<T extends Listed> extends LazyMap<string, T> {
  constructor(
    private readonly items: readonly T[],
    private readonly more: readonly T[],
    private readonly positions: ReadonlyMap<string, number>,
  ) {
    super();
  }

  /** How many items are listed (ids that repeat counted each time). */
  get length(): number {
    return this.items.length + this.more.length;
  }

  /** The item listed at `at` (0 ≤ at < {@link length}). */
  at(at: number): T {
    return (at < this.items.length ? this.items[at] : this.more[at - this.items.length])!;
  }

  /** Whether `other` lists the same ids (its items may be newer objects). */
  sameIdsAs(other: ReadonlyMap<string, T>): boolean {
    return other instanceof ListedItems && other.positions === this.positions;
  }

  override get size(): number {
    return this.positions.size;
  }

  override get(id: string): T | undefined {
    const at = this.positions.get(id);
    return at === undefined ? undefined : this.at(at);
  }

  override has(id: string): boolean {
    return this.positions.has(id);
  }

  /** Walking every item is rare (views build once per snapshot): the whole map is made then. */
  protected build(): Map<string, T> {
    return new Map([...this.positions].map(([id, at]) => [id, this.at(at)]));
  }
}
