/** The outcome of a shared read: the latest good value (if any) and, if the latest attempt failed, why. */
export interface SharedRead<T> {
  value: T | undefined;
  /** When `value` was read (ms); 0 without a value. */
  at: number;
  error: unknown;
}

interface Entry<T> {
  value: T | undefined;
  at: number;
  attemptAt: number;
  error: unknown;
  inFlight: Promise<void> | null;
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
      entry = { value: undefined, at: 0, attemptAt: -Infinity, error: undefined, inFlight: null };
      this.entries.set(key, entry);
    }
    const current = entry;
    if (!current.inFlight && this.now() - current.attemptAt >= this.ttlMs()) {
      current.attemptAt = this.now();
      current.inFlight = load(current.value)
        .then(
          (value) => {
            current.value = value;
            current.at = this.now();
            current.error = undefined;
          },
          (error: unknown) => {
            current.error = error;
          },
        )
        .finally(() => {
          current.inFlight = null;
        });
    }
    if (current.inFlight) await current.inFlight;
    return { value: current.value, at: current.at, error: current.error };
  }
}
