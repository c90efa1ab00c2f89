import { isTaskSortKey } from '../../../../bff/schemas/sort-keys';
import type { TaskQueryGroup } from '../../../../bff/schemas/views';
import { PAGE_SIZE } from '../../../components/data-table/data-table';
import { readTableState } from '../../../components/data-table/table-state';
import type { TableDefaults, TableState } from '../../../components/data-table/table-state';
import type { TaskQuery } from './get-tasks';

/** The table's own state (`tasks.q`, `tasks.sort`, `tasks.order`, `tasks.page`) sits next to the filters. */
export const TASKS_TABLE = 'tasks';
export const TASKS_TABLE_DEFAULTS: TableDefaults = { sort: 'start', order: 'desc' };
export const TASK_FILTERS = ['group', 'state', 'framework', 'agent', 'role'] as const;
export type TaskFilter = (typeof TASK_FILTERS)[number];

const QUERY_GROUPS: readonly TaskQueryGroup[] = ['all', 'active', 'unreachable', 'completed'];

function isQueryGroup(value: string): value is TaskQueryGroup {
  return (QUERY_GROUPS as readonly string[]).includes(value);
}

/** The filters, read from the URL (`?group=completed&state=TASK_FAILED&framework=...`). */
export function taskFiltersAt(params: URLSearchParams): Record<TaskFilter, string> {
  return Object.fromEntries(TASK_FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<
    TaskFilter,
    string
  >;
}

/** What the Tasks page asks the server for its filters and table state. */
export function tasksPageQuery(filters: Record<TaskFilter, string>, table: TableState): TaskQuery {
  return {
    group: isQueryGroup(filters.group) ? filters.group : 'all',
    q: table.q.trim(),
    state: filters.state,
    framework: filters.framework,
    agent: filters.agent,
    role: filters.role,
    sort: isTaskSortKey(table.sort) ? table.sort : 'start',
    order: table.order,
    offset: table.page * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

/** The query the Tasks page will make at `params`: asked for before the page (and its code) has loaded. */
export function tasksPageQueryAt(params: URLSearchParams): TaskQuery {
  return tasksPageQuery(taskFiltersAt(params), readTableState(params, TASKS_TABLE, TASKS_TABLE_DEFAULTS));
}
