/**
 * Agents the master no longer lists. Mesos drops an agent from `slaves` once it marks it unreachable, gone
 * or removed, and says no more than how many are unreachable; yet that agent is what an operator looks for
 * first. So mesoscope remembers every agent it saw listed, notices when one leaves, and learns the others
 * from the tasks the master still lists on agents it does not list any more.
 */
import type { Agent, MasterState, Resources, Task } from '../../mesos';
import { toResources } from '../../mesos';
import { sameIds } from './listed-by-id';
import type { TaskIndex } from './task-index';

/**
 * `unreachable`: the master lost contact and gave up on it (its partition-aware tasks are TASK_UNREACHABLE);
 * `gone`: an operator marked it gone for good (TASK_GONE_BY_OPERATOR); `removed`: it left otherwise
 * (shut down, or replaced by a new agent on the same host).
 */
export type DepartureKind = 'unreachable' | 'gone' | 'removed';

export interface DepartedAgent {
  id: string;
  /** Null when mesoscope never saw it listed (known only from its tasks). */
  hostname: string | null;
  port: number | null;
  state: DepartureKind;
  /** Seconds: when it left, when known (the master's status for its tasks, or when mesoscope saw it go). */
  since: number | null;
  /** Seconds: the last time it was heard of (listed by the master, or a status of one of its tasks). */
  lastSeen: number | null;
  /** Its resources when it was last listed. */
  total: Resources | null;
  version: string | null;
}

/** What mesoscope keeps of an agent it saw leave (bounded: the oldest departures are forgotten first). */
interface Remembered {
  agent: Agent;
  /** ms: the last snapshot that listed it, and the first that did not. */
  lastListedAt: number;
  leftAt: number;
  /** The master's count of unreachable agents went up as it left. */
  unreachable: boolean;
}

const MAX_REMEMBERED = 5_000;

/** Carried by the poller from one snapshot to the next. */
export class DepartureMemory {
  private readonly left = new Map<string, Remembered>();
  private listed: ReadonlyMap<string, Agent> | null = null;
  private listedAt = 0;
  private unreachableCount = 0;

  /** Notes the agents of a new snapshot: those of the previous one that are not listed any more have left. */
  observe(agentsById: ReadonlyMap<string, Agent>, state: MasterState, at: number): void {
    const unreachableCount = state.unreachable_slaves ?? 0;
    // The same agents as before (newer objects of them): none left, none came back.
    if (this.listed && !sameIds(this.listed, agentsById)) {
      const recovering = recoveredIds(state);
      for (const [id, agent] of this.listed) {
        if (agentsById.has(id) || recovering.has(id)) continue;
        this.left.delete(id);
        this.left.set(id, {
          agent,
          lastListedAt: this.listedAt,
          leftAt: at,
          unreachable: unreachableCount > this.unreachableCount,
        });
      }
      for (const id of [...this.left.keys()]) if (agentsById.has(id)) this.left.delete(id);
      while (this.left.size > MAX_REMEMBERED) {
        const oldest = this.left.keys().next().value;
        if (oldest === undefined) break;
        this.left.delete(oldest);
      }
    }
    this.listed = agentsById;
    this.listedAt = at;
    this.unreachableCount = unreachableCount;
  }

  remembered(): ReadonlyMap<string, Remembered> {
    return this.left;
  }
}

const MASTER_MESSAGE_HOST = /^(?:Agent|Slave) (\S+) (?:is unreachable|removed)/;

interface TaskEvidence {
  /** From the master's own status message ("Agent <host> is unreachable", "Slave <host> removed: ..."). */
  hostname: string | null;
  unreachableSince: number | null;
  goneSince: number | null;
  removedSince: number | null;
  lastHeard: number | null;
}

/**
 * Every agent the master does not list but mesoscope knows of: those it saw leave, and those its tasks
 * name. Newest departures first. Only the tasks of agents not listed are read (found by agent in the index).
 */
export function departedAgents(
  state: MasterState,
  agentsById: ReadonlyMap<string, Agent>,
  tasks: Pick<TaskIndex, 'facets' | 'onAgent'>,
  memory?: DepartureMemory,
): DepartedAgent[] {
  const evidence = new Map<string, TaskEvidence>();
  const recovering = recoveredIds(state);
  const note = (task: Task) => {
    if (agentsById.has(task.slave_id) || recovering.has(task.slave_id) || !task.slave_id) return;
    let entry = evidence.get(task.slave_id);
    if (!entry) {
      entry = {
        hostname: null,
        unreachableSince: null,
        goneSince: null,
        removedSince: null,
        lastHeard: null,
      };
      evidence.set(task.slave_id, entry);
    }
    for (const status of task.statuses) {
      const t = status.timestamp;
      if (status.state === 'TASK_UNREACHABLE') entry.unreachableSince = earliest(entry.unreachableSince, t);
      else if (status.state === 'TASK_GONE_BY_OPERATOR') entry.goneSince = earliest(entry.goneSince, t);
      else if (status.reason === 'REASON_SLAVE_REMOVED' || status.reason === 'REASON_AGENT_REMOVED') {
        entry.removedSince = earliest(entry.removedSince, t);
      }
      if (status.source === 'SOURCE_MASTER' && status.message) {
        entry.hostname ??= MASTER_MESSAGE_HOST.exec(status.message)?.[1] ?? null;
      }
      if (status.source !== 'SOURCE_MASTER') entry.lastHeard = Math.max(entry.lastHeard ?? 0, t) || null;
    }
  };
  for (const agentId of tasks.facets.agents.keys()) {
    if (agentsById.has(agentId) || recovering.has(agentId)) continue;
    // An orphan's framework has not re-registered yet: its tasks say nothing of their agent's departure.
    for (const entry of tasks.onAgent(agentId)) if (entry.listing !== 'orphan') note(entry.task);
  }

  const out: DepartedAgent[] = [];
  const remembered = memory?.remembered() ?? new Map<string, Remembered>();
  for (const [id, seen] of remembered) {
    const found = evidence.get(id);
    evidence.delete(id);
    const leftAt = seen.leftAt / 1000;
    const { agent } = seen;
    const state: DepartureKind = found?.unreachableSince
      ? 'unreachable'
      : found?.goneSince
        ? 'gone'
        : seen.unreachable
          ? 'unreachable'
          : 'removed';
    out.push({
      id,
      hostname: agent.hostname,
      port: agent.port ?? null,
      state,
      since: found?.unreachableSince ?? found?.goneSince ?? found?.removedSince ?? leftAt,
      lastSeen: Math.max(seen.lastListedAt / 1000, found?.lastHeard ?? 0),
      total: toResources(agent.resources),
      version: agent.version ?? null,
    });
  }
  for (const [id, found] of evidence) {
    out.push({
      id,
      hostname: found.hostname,
      port: null,
      state: found.unreachableSince ? 'unreachable' : found.goneSince ? 'gone' : 'removed',
      since: found.unreachableSince ?? found.goneSince ?? found.removedSince,
      lastSeen: found.lastHeard,
      total: null,
      version: null,
    });
  }
  return out.sort((a, b) => (b.since ?? 0) - (a.since ?? 0) || (a.id < b.id ? -1 : 1));
}

/**
 * After a failover the new leader lists the agents it recovered from its registry apart, until they
 * re-register: they have not left.
 */
function recoveredIds(state: MasterState): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const info of state.recovered_slaves ?? []) {
    const id = (info as { id?: unknown }).id;
    if (typeof id === 'string') ids.add(id);
    else if (id && typeof (id as { value?: unknown }).value === 'string')
      ids.add((id as { value: string }).value);
  }
  return ids;
}

function earliest(current: number | null, t: number): number {
  return current === null ? t : Math.min(current, t);
}
