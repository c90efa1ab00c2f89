import type { Agent } from '../../mesos';
import { LazyMap } from './lazy-map';

/**
 * The agents of each published state by id, kept by the reader from one state to the next. A stream-fed state
 * lists its agents anew whenever the tasks of one of them change (every publish, with churn), but the same
 * agents in the same order: their ids' positions are then shared with the previous state's map instead of
 * making a map of 10,000 entries every 2 s, which was a good part of a quiet minute's garbage.
 */
export class AgentsById {
  private positions = new Map<string, number>();
  private ids: readonly string[] = [];

  /** `agents` by id (the last of equal ids, as `new Map` keeps them), read-only. */
  of(agents: readonly Agent[]): ListedAgents {
    if (!this.sameIds(agents)) {
      const positions = new Map<string, number>();
      const ids: string[] = [];
      for (let at = 0; at < agents.length; at += 1) {
        ids.push(agents[at]!.id);
        positions.set(agents[at]!.id, at);
      }
      this.positions = positions;
      this.ids = ids;
    }
    return new ListedAgents(agents, this.positions);
  }

  private sameIds(agents: readonly Agent[]): boolean {
    if (agents.length !== this.ids.length) return false;
    for (let at = 0; at < agents.length; at += 1) if (agents[at]!.id !== this.ids[at]) return false;
    return true;
  }
}

/** Whether two maps of agents list the same ids, when that is known without walking them. */
export function sameAgentIds(a: ReadonlyMap<string, Agent>, b: ReadonlyMap<string, Agent>): boolean {
  return a === b || (a instanceof ListedAgents && a.sameIdsAs(b));
}

/** A list of agents by id, through positions that lists of the same agents share. */
export class ListedAgents extends LazyMap<string, Agent> {
  constructor(
    private readonly agents: readonly Agent[],
    private readonly positions: ReadonlyMap<string, number>,
  ) {
    super();
  }

  /** Whether `other` lists the same agent ids (its agents may be newer objects). */
  sameIdsAs(other: ReadonlyMap<string, Agent>): boolean {
    return other instanceof ListedAgents && other.positions === this.positions;
  }

  override get size(): number {
    return this.positions.size;
  }

  override get(id: string): Agent | undefined {
    const at = this.positions.get(id);
    return at === undefined ? undefined : this.agents[at];
  }

  override has(id: string): boolean {
    return this.positions.has(id);
  }

  /** Walking every agent is rare (views build once per snapshot): the whole map is made then. */
  protected build(): Map<string, Agent> {
    return new Map([...this.positions].map(([id, at]) => [id, this.agents[at]!]));
  }
}
