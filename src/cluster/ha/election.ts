/**
 * Who leads among the local masters. Two ways, both with Mesos's rule that the earliest member still in the
 * group leads: in process (no ZooKeeper; a new leader is picked after a short delay, like a session timeout
 * plus recovery), or through a real ZooKeeper (see zookeeper-election.ts).
 */

/** Called with the id of the newly elected master, or null when nobody leads (during an election). */
export type LeaderListener = (leaderId: string | null) => void;

export interface Election {
  /** The elected master's id, or null while none is. */
  readonly leaderId: string | null;
  /** A master joins the group (at start, or when it comes back). */
  join(masterId: string, masterInfo: Record<string, unknown>): Promise<void>;
  /** A master leaves the group (it was killed). */
  leave(masterId: string): Promise<void>;
  close(): Promise<void>;
}

/** The in-process election: members in join order; when the leader leaves, the next one leads after a delay. */
export class LocalElection implements Election {
  private readonly members: string[] = [];
  private current: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private elected = false;

  constructor(
    private readonly delayMs: number,
    private readonly onChange: LeaderListener,
  ) {}

  get leaderId(): string | null {
    return this.current;
  }

  async join(masterId: string): Promise<void> {
    if (!this.members.includes(masterId)) this.members.push(masterId);
    // The very first election (cluster start) is immediate; later ones take the election delay.
    if (this.current === null) this.scheduleElection(this.elected ? this.delayMs : 0);
  }

  async leave(masterId: string): Promise<void> {
    const index = this.members.indexOf(masterId);
    if (index < 0) return;
    this.members.splice(index, 1);
    if (this.current !== masterId) return;
    this.current = null;
    this.onChange(null);
    this.scheduleElection(this.delayMs);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleElection(delayMs: number): void {
    if (this.timer) return;
    const elect = () => {
      this.timer = undefined;
      const next = this.members[0] ?? null;
      if (next === null || this.current !== null) return;
      this.current = next;
      this.elected = true;
      this.onChange(next);
    };
    if (delayMs === 0) elect();
    else {
      this.timer = setTimeout(elect, delayMs);
      this.timer.unref();
    }
  }
}
