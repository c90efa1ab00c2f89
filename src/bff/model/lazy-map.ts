/**
 * A read-only map made whole only when first read: {@link build} makes it, once. A subclass that can answer
 * `size`, `get` or `has` without the whole map overrides them.
 */
export abstract class LazyMap<K, V> implements ReadonlyMap<K, V> {
  private whole: Map<K, V> | null = null;

  /** The whole map, made the first time it is read. */
  protected abstract build(): Map<K, V>;

  get size(): number {
    return this.map().size;
  }

  get(key: K): V | undefined {
    return this.map().get(key);
  }

  has(key: K): boolean {
    return this.map().has(key);
  }

  keys(): MapIterator<K> {
    return this.map().keys();
  }

  values(): MapIterator<V> {
    return this.map().values();
  }

  entries(): MapIterator<[K, V]> {
    return this.map().entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [key, value] of this.map()) callback(value, key, this);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.map().entries();
  }

  private map(): Map<K, V> {
    this.whole ??= this.build();
    return this.whole;
  }
}
