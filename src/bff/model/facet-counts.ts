import { LazyMap } from './lazy-map';

/**
 * Counts by value (tasks by state, agent, framework...), kept as tasks come and go and published with every
 * snapshot as read-only maps. A publish costs what changed since the one before, not a copy of every count (at
 * 10,000 agents that copy was most of a publish): a published map is the counts of an earlier moment plus the
 * changes since, made whole the first time it is read. Most are never read, since views are built only for the
 * snapshots browsers ask for.
 */
export class Facet {
  private readonly counts = new Map<string, number>();
  /** The counts when {@link changes} started; never changed, as published maps read it. */
  private base: ReadonlyMap<string, number> = new Map();
  private changes: Change[] = [];
  private published: ReadonlyMap<string, number> = this.base;
  private dirty = false;

  add(value: string): void {
    this.change(value, 1);
  }

  remove(value: string): void {
    this.change(value, -1);
  }

  /** The counts now, unchanged by later adds and removes. */
  publish(): ReadonlyMap<string, number> {
    if (this.dirty) {
      this.published = new PublishedCounts(this.base, this.changes, this.changes.length);
      this.dirty = false;
    }
    return this.published;
  }

  private change(value: string, delta: number): void {
    applyChange(this.counts, value, delta);
    this.changes.push({ value, delta });
    this.dirty = true;
    // A new base once the changes outnumber the counts: each copy is paid for by as many changes.
    if (this.changes.length >= Math.max(MIN_CHANGES_BEFORE_REBASE, this.counts.size)) {
      this.base = new Map(this.counts);
      this.changes = [];
    }
  }
}

interface Change {
  value: string;
  delta: number;
}

/** Below this many changes a facet's base is not copied again (small facets: groups, states). */
const MIN_CHANGES_BEFORE_REBASE = 1_024;

function applyChange(counts: Map<string, number>, value: string, delta: number): void {
  const left = (counts.get(value) ?? 0) + delta;
  if (left > 0) counts.set(value, left);
  else counts.delete(value);
}

/** Published counts: `base` plus the first `length` of `changes`, made a map when first read. */
class PublishedCounts extends LazyMap<string, number> {
  constructor(
    private readonly base: ReadonlyMap<string, number>,
    private readonly changes: readonly Change[],
    private readonly length: number,
  ) {
    super();
  }

  protected build(): Map<string, number> {
    const whole = new Map(this.base);
    for (let i = 0; i < this.length; i += 1) {
      const { value, delta } = this.changes[i] as Change;
      applyChange(whole, value, delta);
    }
    return whole;
  }
}
