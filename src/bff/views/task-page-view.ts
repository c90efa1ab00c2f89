import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { SortedView } from '../model/sorted-chunks';
import type { FacetCounts } from '../model/task-index';
import { taskIndex } from '../model/task-index';
import type { FacetValue, TaskFacets, TaskPage, TaskQueryGroup, TaskSortKey } from '../schemas/views';
import { FACET_LIMIT } from '../schemas/views';

export interface TaskQuery {
  group: TaskQueryGroup;
  q?: string | undefined;
  /** Task states, any of which matches (`TASK_RUNNING` or `RUNNING`). */
  states?: readonly string[] | undefined;
  framework?: string | undefined;
  agent?: string | undefined;
  role?: string | undefined;
  sort?: TaskSortKey | undefined;
  order?: 'asc' | 'desc' | undefined;
  offset: number;
  limit: number;
}

function normalizeState(state: string): string {
  const upper = state.trim().toUpperCase();
  return upper.startsWith('TASK_') ? upper : `TASK_${upper}`;
}

/** The default order of each group, as the Mesos UI sorts its task tables. */
function defaultTaskSort(group: TaskQueryGroup): TaskSortKey {
  return group === 'completed' ? 'finish' : 'start';
}

/**
 * Filters, sorts and pages the tasks of a snapshot on the server, so the browser only ever holds one page.
 * The group's order, or the filter's selection kept by the index from one snapshot to the next, is already
 * sorted by the column: a query reads one page of it. A filter asked for the first time may have to look at
 * many tasks: it does so a slice at a time, other requests answered in between, and answers once done.
 */
export async function taskPageView(snapshot: ClusterSnapshot, query: TaskQuery): Promise<TaskPage> {
  const index = taskIndex(snapshot);
  const needle = query.q?.trim().toLowerCase() ?? '';
  const states = query.states?.length ? [...new Set(query.states.map(normalizeState))].sort() : null;
  const wantGroup = query.group === 'all' ? null : query.group;
  const sort = query.sort ?? defaultTaskSort(query.group);
  const filtered = states || query.framework || query.agent || query.role || needle !== '';
  const view = filtered
    ? await index.selectInSlices(
        {
          group: wantGroup,
          states,
          framework: query.framework || null,
          agent: query.agent || null,
          role: query.role || null,
          needle,
        },
        sort,
      )
    : index.order(sort, wantGroup ?? undefined);
  return {
    snapshotAt: snapshot.fetchedAt,
    group: query.group,
    total: view.size,
    offset: query.offset,
    limit: query.limit,
    rows: pageOf(view, query.offset, query.limit, (query.order ?? 'desc') === 'desc').map(
      (entry) => entry.row,
    ),
  };
}

/** Items `offset` to `offset + limit` of a sorted view, read from either end, skipping whole chunks. */
function pageOf<T>(view: SortedView<T>, offset: number, limit: number, descending: boolean): T[] {
  const { chunks } = view;
  const out: T[] = [];
  let skip = offset;
  for (let step = 0; step < chunks.length && out.length < limit; step += 1) {
    const chunk = chunks[descending ? chunks.length - 1 - step : step] as readonly T[];
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    for (let i = skip; i < chunk.length && out.length < limit; i += 1) {
      out.push(chunk[descending ? chunk.length - 1 - i : i] as T);
    }
    skip = 0;
  }
  return out;
}

/** The values the Tasks page filters on, each with its number of tasks (over every task). */
export function taskFacetsView(snapshot: ClusterSnapshot): TaskFacets {
  const { facets, size } = taskIndex(snapshot);
  const list = (counts: FacetCounts, label: (value: string) => string = (value) => value): FacetValue[] =>
    [...counts].map(([value, count]) => ({ value, label: label(value), count }));
  const frameworkName = (id: string) => snapshot.frameworksById.get(id)?.name || id;
  const hostname = (id: string) => snapshot.agentsById.get(id)?.hostname ?? id;
  const [frameworkList, frameworksOmitted] = topFacets(list(facets.frameworks, frameworkName), FACET_LIMIT);
  const [agentList, agentsOmitted] = topFacets(list(facets.agents, hostname), FACET_LIMIT);
  const [roleList, rolesOmitted] = topFacets(list(facets.roles), FACET_LIMIT);
  return {
    snapshotAt: snapshot.fetchedAt,
    total: size,
    groups: byLabel(list(facets.groups)),
    states: byLabel(list(facets.states)),
    frameworks: frameworkList,
    agents: agentList,
    roles: roleList,
    omitted: { frameworks: frameworksOmitted, agents: agentsOmitted, roles: rolesOmitted },
  };
}

function byLabel(values: FacetValue[]): FacetValue[] {
  return [...values].sort((a, b) => a.label.localeCompare(b.label) || a.value.localeCompare(b.value));
}

/** The `limit` values with the most tasks, by label, and how many were left out. */
export function topFacets(values: FacetValue[], limit: number): [FacetValue[], number] {
  if (values.length <= limit) return [byLabel(values), 0];
  const top = [...values].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, limit);
  return [byLabel(top), values.length - limit];
}
