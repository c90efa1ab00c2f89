/** How failed sign-ins are throttled; the defaults suit people typing passwords. */
interface ThrottleOptions {
  /** Failures allowed before the first wait. */
  freeAttempts: number;
  /** The first wait; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A client or user quiet this long (and not waiting) starts again from nothing. */
  forgetAfterMs: number;
  /** Clients and users remembered at most (the oldest are dropped first). */
  maxEntries: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeAttempts: 5,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 15 * 60_000,
  maxEntries: 10_000,
};

interface Entry {
  failures: number;
  lockedUntil: number;
  lastAt: number;
}

/**
 * Failed sign-ins per key (a client address, a user name): a few are free, then each one makes the key wait
 * twice as long as the one before, up to {@link ThrottleOptions.maxDelayMs}. An attempt counts as failed
 * from the moment it starts (before the password is checked), so a burst of concurrent guesses is throttled
 * as if it came one by one; a right password gives its attempt back.
 */
export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ThrottleOptions = DEFAULT_THROTTLE) {}

  /** Milliseconds until any of `keys` may try again; 0 when all may now. */
  waitMs(keys: readonly string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const entry = this.current(key, now);
      if (entry) wait = Math.max(wait, entry.lockedUntil - now);
    }
    return wait;
  }

  /** Counts an attempt for every key as failed; the function returned gives it back (the password was right). */
  attempt(keys: readonly string[], now = Date.now()): () => void {
    const undo = keys.map((key) => {
      const entry = this.current(key, now) ?? this.create(key, now);
      const before = { lockedUntil: entry.lockedUntil };
      entry.failures += 1;
      entry.lastAt = now;
      const over = entry.failures - this.options.freeAttempts;
      if (over >= 0) {
        const delay = Math.min(this.options.maxDelayMs, this.options.firstDelayMs * 2 ** Math.min(over, 30));
        entry.lockedUntil = now + delay;
      }
      return () => {
        entry.failures = Math.max(0, entry.failures - 1);
        entry.lockedUntil = before.lockedUntil;
      };
    });
    return () => undo.forEach((give) => give());
  }

  /** Keys remembered now (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private current(key: string, now: number): Entry | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (now >= entry.lockedUntil && now - entry.lastAt > this.options.forgetAfterMs) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }

  private create(key: string, now: number): Entry {
    if (this.entries.size >= this.options.maxEntries) {
      // Map order is insertion order: the oldest key goes first.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const entry: Entry = { failures: 0, lockedUntil: 0, lastAt: now };
    this.entries.set(key, entry);
    return entry;
  }
}
