import { memo, useCallback } from 'react';
import { useSearchParams } from 'react-router';
import type { TaskQueryGroup } from '../../../../bff/schemas/views';
import type { QueryKey } from '@tanstack/react-query';
import { shortState } from '../../../../mesos/task-state';
import { DataTable, TASK_ROWS_IN_PAGE_FROM } from '../../../components/data-table/data-table';
import { FacetSelect } from '../../../components/filters/facet-select';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import { useTaskFacets } from '../api/get-task-facets';
import { getTasksQueryOptions, useTasks } from '../api/get-tasks';
import { useRefetchOnNewSnapshot } from '../api/follow-snapshots';
import {
  TASK_FILTERS,
  TASKS_TABLE,
  TASKS_TABLE_DEFAULTS,
  taskFiltersAt,
  tasksPageQuery,
} from '../api/tasks-page-query';
import type { TaskFilter } from '../api/tasks-page-query';
import { AgentFilter } from './agent-filter';
import { allTaskColumns } from './task-columns';

const GROUPS: ReadonlyArray<{ value: TaskQueryGroup; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'unreachable', label: 'Unreachable' },
  { value: 'completed', label: 'Completed' },
];

/** The filters in the URL, and setting or clearing them. */
function useTaskFilters(): [
  Record<TaskFilter, string>,
  (filter: TaskFilter, value: string) => void,
  () => void,
] {
  const [params, setParams] = useSearchParams();
  const filters = taskFiltersAt(params);
  const set = useCallback(
    (filter: TaskFilter, value: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value === '') next.delete(filter);
          else next.set(filter, value);
          // A new filter starts again at the first page.
          next.delete(`${TASKS_TABLE}.page`);
          return next;
        },
        { preventScrollReset: true },
      ),
    [setParams],
  );
  const clear = useCallback(
    () =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const name of TASK_FILTERS) next.delete(name);
          next.delete(`${TASKS_TABLE}.q`);
          next.delete(`${TASKS_TABLE}.page`);
          return next;
        },
        { preventScrollReset: true },
      ),
    [setParams],
  );
  return [filters, set, clear];
}

/**
 * Asks for the page's tasks again at each new snapshot, in a component of its own: a new snapshot version then
 * renders this, not the whole page (its filters' hundreds of options and its table) a second time per poll.
 */
function RefetchOnNewSnapshot({ queryKey }: { queryKey: QueryKey }) {
  useRefetchOnNewSnapshot(queryKey);
  return null;
}

/** The filters above the table, with their values and counts; rendered again only when those change. */
const TaskFilterBar = memo(
  function TaskFilterBar({
    group,
    filters,
    filtered,
    setFilter,
    clearFilters,
  }: {
    /** The group shown, as the page's query reads it from the filters. */
    group: TaskQueryGroup;
    filters: Record<TaskFilter, string>;
    filtered: boolean;
    setFilter: (filter: TaskFilter, value: string) => void;
    clearFilters: () => void;
  }) {
    const facets = useTaskFacets();
    const groupCounts = new Map(facets.data?.groups.map((facet) => [facet.value, facet.count]));
    return (
      <div className="filter-bar filter-bar-single-line" role="search" aria-label="Task filters">
        <div className="filter-field">
          <span id="task-group-label">Tasks</span>
          <div className="segmented-control" role="group" aria-labelledby="task-group-label">
            {GROUPS.map((option) => (
              <button
                key={option.value}
                type="button"
                aria-pressed={group === option.value}
                onClick={() => setFilter('group', option.value === 'all' ? '' : option.value)}
              >
                {option.label}
                {option.value !== 'all' && groupCounts.has(option.value) && (
                  <span className="segment-count">{groupCounts.get(option.value)}</span>
                )}
              </button>
            ))}
          </div>
        </div>
        <FacetSelect
          label="State"
          value={filters.state}
          options={facets.data?.states}
          format={(option) => shortState(option.value)}
          onChange={(value) => setFilter('state', value)}
        />
        <FacetSelect
          label="Framework"
          value={filters.framework}
          options={facets.data?.frameworks}
          omitted={facets.data?.omitted.frameworks}
          onChange={(value) => setFilter('framework', value)}
        />
        <AgentFilter
          value={filters.agent}
          busiest={facets.data?.agents}
          omitted={facets.data?.omitted.agents}
          onChange={(value) => setFilter('agent', value)}
        />
        <FacetSelect
          label="Role"
          value={filters.role}
          options={facets.data?.roles}
          omitted={facets.data?.omitted.roles}
          onChange={(value) => setFilter('role', value)}
        />
        {filtered && (
          <button type="button" className="button" onClick={clearFilters}>
            Clear filters
          </button>
        )}
      </div>
    );
  },
  (before, after) =>
    before.group === after.group &&
    before.filtered === after.filtered &&
    before.setFilter === after.setFilter &&
    before.clearFilters === after.clearFilters &&
    TASK_FILTERS.every((name) => before.filters[name] === after.filters[name]),
);

/**
 * Every task in the cluster (active, unreachable and completed), filtered, sorted and paged by the server so
 * that it stays fast with 100,000 tasks; every filter, the sort and the page are in the URL.
 */
export function TasksPage() {
  const [filters, setFilter, clearFilters] = useTaskFilters();
  const [table, setTable] = useTableUrlState(TASKS_TABLE, TASKS_TABLE_DEFAULTS);
  const query = tasksPageQuery(filters, table);
  const tasks = useTasks(query, { followsSnapshots: true });
  const filtered = TASK_FILTERS.some((name) => filters[name] !== '') || table.q.trim() !== '';

  return (
    <div className="stack">
      <RefetchOnNewSnapshot queryKey={getTasksQueryOptions(query).queryKey} />
      <TaskFilterBar
        group={query.group}
        filters={filters}
        filtered={filtered}
        setFilter={setFilter}
        clearFilters={clearFilters}
      />
      <DataTable
        title="Tasks"
        columns={allTaskColumns}
        data={tasks.data?.rows}
        total={tasks.data?.total ?? 0}
        getRowId={(task) => `${task.frameworkId}/${task.id}`}
        emptyMessage={filtered ? 'No tasks match these filters.' : 'No tasks.'}
        state={table}
        onStateChange={setTable}
        error={tasks.error}
        testId="all-tasks"
        virtualizeFrom={TASK_ROWS_IN_PAGE_FROM}
        virtualizeIn="page"
      />
    </div>
  );
}
