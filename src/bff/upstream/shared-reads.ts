/** The outcome of a shared read: the latest good value (if any) and, if the latest attempt failed, why. */
export interface SharedRead<T> {
  value: T | undefined;
  /** When `value` was read (ms); 0 without a value. */
  at: number;
  error: unknown;
}

/**
 * One piece of work at a time: `run` while it is under way joins it instead of starting another. The work
 * starts a microtask later, so it counts as under way from the call on, even if it triggers a second call
 * before its first await.
 */
export class SingleFlight {
  private current: Promise<void> | null = null;

  get busy(): boolean {
    return this.current !== null;
  }

  run(work: () => Promise<void>): Promise<void> {
    if (this.current) return this.current;
    const current = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.current === current) this.current = null;
      });
    this.current = current;
    return current;
  }
}

interface Entry<T> {
  value: T | undefined;
  at: number;
  attemptAt: number;
  error: unknown;
  flight: SingleFlight;
}

/**
 * Reads something upstream at most once per `ttlMs` per key, however many viewers ask: concurrent callers
 * share the one request in flight (single flight), later callers get the cached answer until it is stale.
 * A failed read keeps the last good value next to the error, so a page can show it and say it is stale.
 */
export class SharedReads<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `load` gets the previous good value (e.g. an earlier sample to compute a rate against). */
  async read(key: string, load: (previous: T | undefined) => Promise<T>): Promise<SharedRead<T>> {
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      entry = { value: undefined, at: 0, attemptAt: -Infinity, error: undefined, flight: new SingleFlight() };
      this.entries.set(key, entry);
    }
    const current = entry;
    if (current.flight.busy || this.now() - current.attemptAt >= this.ttlMs()) {
      await current.flight.run(async () => {
        current.attemptAt = this.now();
        try {
          current.value = await load(current.value);
          current.at = this.now();
          current.error = undefined;
        } catch (error) {
          current.error = error;
        }
      });
    }
    return { value: current.value, at: current.at, error: current.error };
  }
}
