/** Runs at most `limit` tasks at a time; the rest wait in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so `active` never exceeds `limit`.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** The work cannot be admitted now: too much is waiting already. */
export class BudgetFullError extends Error {
  override readonly name = 'BudgetFullError';
}

interface Waiter {
  cost: number;
  admit(): void;
}

/**
 * Admits work by what it costs (bytes it will hold): at most `capacity` at once, the rest wait in order, and
 * past `maxWaiting` waiters work is refused. Work that alone costs more than `capacity` runs by itself.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly capacity: number,
    readonly maxWaiting: number,
  ) {}

  /** Bytes held now. */
  get inUse(): number {
    return this.used;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Waits until `cost` fits (throws BudgetFullError at once when too many wait, or the signal's reason when it
   * aborts first); the function returned gives the bytes back, and does so once however often it is called.
   */
  async acquire(cost: number, signal?: AbortSignal): Promise<() => void> {
    const held = Math.min(Math.max(cost, 0), this.capacity);
    if (this.waiting.length === 0 && this.used + held <= this.capacity) {
      this.used += held;
      return this.releaser(held);
    }
    if (this.waiting.length >= this.maxWaiting) throw new BudgetFullError('Too many requests are waiting');
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        cost: held,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index !== -1) this.waiting.splice(index, 1);
        this.admitWaiting();
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
    return this.releaser(held);
  }

  private releaser(held: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= held;
      this.admitWaiting();
    };
  }

  /** In order: a big waiter at the head is not overtaken by small ones behind it, so it cannot starve. */
  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.cost <= this.capacity) {
      const next = this.waiting.shift()!;
      this.used += next.cost;
      next.admit();
    }
  }
}
