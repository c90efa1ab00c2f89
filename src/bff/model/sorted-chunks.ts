/**
 * A sorted list kept as a list of small sorted chunks, updated in place in O(log n + chunk) per insert or
 * delete, whose published versions never change: a chunk shared with a published version is copied before
 * it is written (copy on write), and publishing copies only the list of chunks (n / 512 references).
 */

/** One published, immutable version of a sorted list. */
export interface SortedView<T> {
  readonly size: number;
  readonly chunks: ReadonlyArray<readonly T[]>;
}

const MAX_CHUNK = 1024;

export class SortedChunks<T> {
  private chunks: T[][] = [];
  /** Chunks created since the last publish: only these may be written in place. */
  private owned = new Set<T[]>();
  private count = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.count;
  }

  /** Replaces the content with `items` (any order). */
  reset(items: T[]): void {
    items.sort(this.compare);
    this.chunks = [];
    this.owned = new Set();
    for (let at = 0; at < items.length; at += MAX_CHUNK / 2) {
      const chunk = items.slice(at, at + MAX_CHUNK / 2);
      this.chunks.push(chunk);
      this.owned.add(chunk);
    }
    this.count = items.length;
  }

  insert(item: T): void {
    if (this.chunks.length === 0) {
      const chunk = [item];
      this.chunks.push(chunk);
      this.owned.add(chunk);
      this.count = 1;
      return;
    }
    let c = this.chunkFor(item);
    if (c === this.chunks.length) c -= 1;
    const chunk = this.writable(c);
    chunk.splice(this.position(chunk, item), 0, item);
    this.count += 1;
    if (chunk.length > MAX_CHUNK) {
      const upper = chunk.splice(MAX_CHUNK / 2);
      this.chunks.splice(c + 1, 0, upper);
      this.owned.add(upper);
    }
  }

  /** Removes `item` (found by the comparison, which must tell every item apart); false when absent. */
  delete(item: T): boolean {
    const c = this.chunkFor(item);
    const found = this.chunks[c];
    if (!found) return false;
    const at = this.position(found, item);
    if (at >= found.length || this.compare(found[at] as T, item) !== 0) return false;
    const chunk = this.writable(c);
    chunk.splice(at, 1);
    this.count -= 1;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** The items `keep` accepts, in order. */
  pick(keep: (item: T) => boolean): T[] {
    const picked: T[] = [];
    for (const chunk of this.chunks) for (const item of chunk) if (keep(item)) picked.push(item);
    return picked;
  }

  /** The current content, frozen: later inserts and deletes copy what they change. */
  publish(): SortedView<T> {
    this.owned = new Set();
    return { size: this.count, chunks: this.chunks.slice() };
  }

  /** The first chunk whose last item is not below `item` (`chunks.length` when there is none). */
  private chunkFor(item: T): number {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const chunk = this.chunks[mid] as T[];
      if (this.compare(chunk[chunk.length - 1] as T, item) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The first position in `chunk` whose item is not below `item`. */
  private position(chunk: readonly T[], item: T): number {
    let low = 0;
    let high = chunk.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compare(chunk[mid] as T, item) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private writable(c: number): T[] {
    const chunk = this.chunks[c] as T[];
    if (this.owned.has(chunk)) return chunk;
    const copy = chunk.slice();
    this.chunks[c] = copy;
    this.owned.add(copy);
    return copy;
  }
}

/** The items of a view in order, ascending or descending. */
export function* walk<T>(view: SortedView<T>, descending = false): Generator<T> {
  const { chunks } = view;
  if (descending) {
    for (let c = chunks.length - 1; c >= 0; c -= 1) {
      const chunk = chunks[c] as readonly T[];
      for (let i = chunk.length - 1; i >= 0; i -= 1) yield chunk[i] as T;
    }
  } else {
    for (const chunk of chunks) yield* chunk;
  }
}
