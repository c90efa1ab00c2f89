import { SingleFlight } from './shared-reads';

interface SoonOptions {
  /** Wait this long first (0: read now), e.g. to let a burst of events settle. */
  delayMs?: number;
  /**
   * When a read is under way: read once more after it, because the change may have come too late for it.
   * Without it, the read under way is taken to cover the change.
   */
  rereadIfBusy?: boolean;
}

/**
 * Reads one upstream on a timer for every viewer. Reads never overlap (`once` during a read joins it); the
 * next starts `intervalMs` after the last one ended, or sooner when asked (`soon`). A failed read is the
 * reader's to record: the loop goes on at the same pace.
 */
export class PollLoop {
  private readonly flight = new SingleFlight();
  private timer: NodeJS.Timeout | null = null;
  /** When the timer will read next (`Date.now()` time), or null while no read is scheduled. */
  private dueAt: number | null = null;
  private again = false;
  private started = false;

  constructor(
    private readonly read: () => Promise<void>,
    private readonly intervalMs: () => number,
  ) {}

  get running(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.cycle();
  }

  stop(): void {
    this.started = false;
    this.again = false;
    this.clearTimer();
  }

  /**
   * How long until the next read starts (0 when one is under way or due), or null when none is scheduled: lets
   * a client ask for what a read published just after it, instead of up to a whole interval later.
   */
  nextReadInMs(now = Date.now()): number | null {
    if (this.flight.busy) return 0;
    return this.dueAt === null ? null : Math.max(0, this.dueAt - now);
  }

  /** Reads now unless a read is under way, in which case it waits for that one. */
  once(): Promise<void> {
    return this.flight.run(this.read);
  }

  /** Reads sooner than the timer would (only while started). */
  soon({ delayMs = 0, rereadIfBusy = false }: SoonOptions = {}): void {
    if (!this.started) return;
    if (this.flight.busy) {
      if (rereadIfBusy) this.again = true;
      return;
    }
    if (delayMs > 0) this.schedule(delayMs);
    else {
      this.clearTimer();
      void this.cycle();
    }
  }

  private async cycle(): Promise<void> {
    // A read that throws (rather than recording its failure) must not end the loop: nothing would read again.
    await this.once().catch(() => undefined);
    if (this.again && this.started) {
      this.again = false;
      await this.once().catch(() => undefined);
    }
    if (this.started) this.schedule(this.intervalMs());
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.dueAt = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.cycle(), delayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
  }
}
