import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { IndexedTask } from '../model/task-index';
import { taskIndex } from '../model/task-index';
import type {
  FacetValue,
  TaskFacets,
  TaskPage,
  TaskQueryGroup,
  TaskRow,
  TaskSortKey,
} from '../schemas/views';
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
 * One walk over the rows in the precomputed order of the sort column: O(n) per query, no sorting.
 */
export function taskPageView(snapshot: ClusterSnapshot, query: TaskQuery): TaskPage {
  const index = taskIndex(snapshot);
  const needle = query.q?.trim().toLowerCase() ?? '';
  const states = query.states?.length ? new Set(query.states.map(normalizeState)) : null;
  const { group, state, frameworkId, agentId, role, haystack } = index.columns;
  const wantGroup = query.group === 'all' ? null : query.group;
  const matches = (at: number): boolean =>
    (wantGroup === null || group[at] === wantGroup) &&
    (states === null || states.has(state[at] as string)) &&
    (!query.framework || frameworkId[at] === query.framework) &&
    (!query.agent || agentId[at] === query.agent) &&
    (!query.role || role[at] === query.role) &&
    (needle === '' || (haystack[at] as string).includes(needle));

  const order = index.order(query.sort ?? defaultTaskSort(query.group));
  const descending = (query.order ?? 'desc') === 'desc';
  const end = query.offset + query.limit;
  const rows: TaskRow[] = [];
  let total = 0;
  for (let step = 0; step < order.length; step += 1) {
    const position = order[descending ? order.length - 1 - step : step] as number;
    if (!matches(position)) continue;
    if (total >= query.offset && total < end) rows.push((index.rows[position] as IndexedTask).row);
    total += 1;
  }
  return {
    snapshotAt: snapshot.fetchedAt,
    group: query.group,
    total,
    offset: query.offset,
    limit: query.limit,
    rows,
  };
}

/** The values the Tasks page filters on, each with its number of tasks (over every task). */
export function taskFacetsView(snapshot: ClusterSnapshot): TaskFacets {
  const index = taskIndex(snapshot);
  const count = () => new Map<string, { label: string; count: number }>();
  const groups = count();
  const states = count();
  const frameworks = count();
  const agents = count();
  const roles = count();
  const bump = (map: ReturnType<typeof count>, value: string, label = value) => {
    const entry = map.get(value);
    if (entry) entry.count += 1;
    else map.set(value, { label, count: 1 });
  };
  for (const { row, group } of index.rows) {
    bump(groups, group);
    bump(states, row.state);
    bump(frameworks, row.frameworkId, row.frameworkName || row.frameworkId);
    bump(agents, row.agentId, row.agentHostname ?? row.agentId);
    if (row.role !== null) bump(roles, row.role);
  }
  const list = (map: ReturnType<typeof count>): FacetValue[] =>
    [...map].map(([value, { label, count: n }]) => ({ value, label, count: n }));
  const [frameworkList, frameworksOmitted] = topFacets(list(frameworks), FACET_LIMIT);
  const [agentList, agentsOmitted] = topFacets(list(agents), FACET_LIMIT);
  const [roleList, rolesOmitted] = topFacets(list(roles), FACET_LIMIT);
  return {
    snapshotAt: snapshot.fetchedAt,
    total: index.rows.length,
    groups: byLabel(list(groups)),
    states: byLabel(list(states)),
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
