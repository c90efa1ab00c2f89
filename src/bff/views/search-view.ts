import { agentStateLabel, shortState } from '../../mesos';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { departedAgentsOf } from '../model/cluster-snapshot';
import { DEPARTED_STATE } from './agents-view';
import { taskIndex } from '../model/task-index';
import { walk } from '../model/sorted-chunks';
import { NO_FILTER } from '../model/task-selections';
import { SLICE_TASKS, nextTurn } from '../model/turns';
import type { SearchHit, SearchKind, SearchResults } from '../schemas/views';

/**
 * How well one text matches the query (both lowercased), 0 for no match. Exact beats prefix beats the
 * start of a word (after `.`, `-`, `_`, `/`, `:` or a space) beats anywhere; an ID match counts a little
 * more than a name match, because an ID names one thing.
 */
export function matchScore(text: string, query: string): number {
  if (text === '' || query === '') return 0;
  if (text === query) return 100;
  if (text.startsWith(query)) return 80;
  const at = text.indexOf(query);
  if (at === -1) return 0;
  let from = at;
  while (from !== -1) {
    if (/[.\-_/:\s]/.test(text[from - 1] ?? '')) return 60;
    from = text.indexOf(query, from + 1);
  }
  return 40;
}

interface Candidate {
  hit: SearchHit;
  score: number;
  /** Breaks ties: shorter titles first (closer to the query), then alphabetical. */
  title: string;
  /** Breaks the last ties: the one listed first (tasks in the order the master listed them). */
  order?: number;
}

/** Keeps the best `limit` candidates seen, best first, in O(limit) per offer. */
class TopK {
  readonly items: Candidate[] = [];
  total = 0;
  constructor(private readonly limit: number) {}

  offer(candidate: Candidate): void {
    this.total += 1;
    const items = this.items;
    if (items.length === this.limit && !better(candidate, items[items.length - 1] as Candidate)) return;
    let at = items.length;
    while (at > 0 && better(candidate, items[at - 1] as Candidate)) at -= 1;
    items.splice(at, 0, candidate);
    if (items.length > this.limit) items.pop();
  }
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.title.length !== b.title.length) return a.title.length < b.title.length;
  if (a.title !== b.title) return a.title < b.title;
  return (a.order ?? 0) < (b.order ?? 0);
}

const ID_BONUS = 5;
const LIVE_BONUS = 3;

/**
 * The best matches among tasks, frameworks and agents, by ID, name or hostname. One pass over the tasks whose
 * text holds the query, which the index keeps while it is asked (see `npm run bench -- search`).
 */
export async function searchView(
  snapshot: ClusterSnapshot,
  rawQuery: string,
  limit: number,
): Promise<SearchResults> {
  const query = rawQuery.trim().toLowerCase();
  const tasks = new TopK(limit);
  const frameworks = new TopK(limit);
  const agents = new TopK(limit);

  // Only tasks whose text holds the query can match: the index keeps them from one snapshot to the next.
  // Those of a query asked for the first time, and the scores of many, are made a slice of tasks at a time.
  const index = taskIndex(snapshot);
  const candidates =
    query === '' ? [] : walk(await index.selectInSlices({ ...NO_FILTER, needle: query }, 'start'));
  let scored = 0;
  for (const entry of candidates) {
    if (++scored % SLICE_TASKS === 0) await nextTurn();
    const byId = matchScore(entry.idLower, query);
    const byName = matchScore(entry.nameLower, query);
    if (byId === 0 && byName === 0) continue;
    const { row } = entry;
    const score = Math.max(byId + ID_BONUS, byName) + (entry.group === 'active' ? LIVE_BONUS : 0);
    tasks.offer({
      score,
      title: row.name,
      order: entry.seq,
      hit: {
        kind: 'task',
        id: row.id,
        title: row.name,
        detail: `${shortState(row.state)} · ${row.frameworkName ?? row.frameworkId}`,
        frameworkId: row.frameworkId,
      },
    });
  }

  const registered = new Set(snapshot.state.frameworks.map((framework) => framework.id));
  for (const framework of snapshot.frameworksById.values()) {
    const name = framework.name ?? '';
    const byId = matchScore(framework.id.toLowerCase(), query);
    const byName = matchScore(name.toLowerCase(), query);
    if (byId === 0 && byName === 0) continue;
    const live = registered.has(framework.id);
    const state = !live ? 'completed' : framework.active === false ? 'inactive' : 'active';
    frameworks.offer({
      score: Math.max(byId + ID_BONUS, byName) + (live ? LIVE_BONUS : 0),
      title: name,
      hit: {
        kind: 'framework',
        id: framework.id,
        title: name || framework.id,
        detail: state,
        frameworkId: null,
      },
    });
  }

  for (const agent of departedAgentsOf(snapshot)) {
    const byId = matchScore(agent.id.toLowerCase(), query);
    const byHost = matchScore((agent.hostname ?? '').toLowerCase(), query);
    if (byId === 0 && byHost === 0) continue;
    agents.offer({
      // An agent that has left is what one searches for when something is wrong: no less than a listed one.
      score: Math.max(byId + ID_BONUS, byHost),
      title: agent.hostname ?? agent.id,
      hit: {
        kind: 'agent',
        id: agent.id,
        title: agent.hostname ?? agent.id,
        detail: DEPARTED_STATE[agent.state],
        frameworkId: null,
      },
    });
  }

  for (const agent of snapshot.agentsById.values()) {
    const byId = matchScore(agent.id.toLowerCase(), query);
    const byHost = matchScore(agent.hostname.toLowerCase(), query);
    if (byId === 0 && byHost === 0) continue;
    agents.offer({
      score: Math.max(byId + ID_BONUS, byHost),
      title: agent.hostname,
      hit: {
        kind: 'agent',
        id: agent.id,
        title: agent.hostname,
        detail: agentStateLabel(agent),
        frameworkId: null,
      },
    });
  }

  const hits = (top: TopK) => top.items.map((candidate) => candidate.hit);
  const totals: Record<SearchKind, number> = {
    task: tasks.total,
    framework: frameworks.total,
    agent: agents.total,
  };
  return {
    snapshotAt: snapshot.fetchedAt,
    query: rawQuery.trim(),
    tasks: hits(tasks),
    frameworks: hits(frameworks),
    agents: hits(agents),
    totals,
    best: {
      task: tasks.items[0]?.score ?? 0,
      framework: frameworks.items[0]?.score ?? 0,
      agent: agents.items[0]?.score ?? 0,
    },
  };
}
