import { useMemo, useRef } from 'react';
import { isTaskSortKey } from '../../../../bff/schemas/sort-keys';
import type { TaskSortKey } from '../../../../bff/schemas/sort-keys';
import type { TaskGroup } from '../../../../bff/schemas/views';
import { DataTable, PAGE_SIZE, TASK_ROWS_IN_PAGE_FROM } from '../../../components/data-table/data-table';
import { readTableState } from '../../../components/data-table/table-state';
import type { TableDefaults, TableState } from '../../../components/data-table/table-state';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import { useOnScreen } from '../../../lib/use-on-screen';
import { useTasks } from '../api/get-tasks';
import type { TaskQuery } from '../api/get-tasks';
import { taskColumns } from './task-columns';

const GROUPS: Record<TaskGroup, { title: string; empty: string; defaults: TableDefaults }> = {
  active: { title: 'Active Tasks', empty: 'No active tasks.', defaults: { sort: 'start', order: 'desc' } },
  unreachable: {
    title: 'Unreachable Tasks',
    empty: 'No unreachable tasks.',
    defaults: { sort: 'start', order: 'desc' },
  },
  completed: {
    title: 'Completed Tasks',
    empty: 'No completed tasks.',
    defaults: { sort: 'finish', order: 'desc' },
  },
};

/** What one group's table asks the server, from its state in the URL. */
function groupQuery(
  group: TaskGroup,
  state: TableState,
  { frameworkId, agentId }: { frameworkId?: string; agentId?: string },
): TaskQuery {
  const sort = isTaskSortKey(state.sort) ? state.sort : (GROUPS[group].defaults.sort as TaskSortKey);
  return {
    group,
    q: state.q.trim(),
    framework: frameworkId ?? '',
    agent: agentId ?? '',
    sort,
    order: state.order,
    offset: state.page * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

/** The query a group's table will make on a page at `params`: asked for before the page renders. */
export function groupQueryAt(group: TaskGroup, params: URLSearchParams): TaskQuery {
  return groupQuery(group, readTableState(params, group, GROUPS[group].defaults), {});
}

/**
 * One task group (active, unreachable, completed), filtered, sorted and paged by the server; its state
 * lives in the URL under the group's name (`active.q`, `completed.page`, …).
 */
export function TasksTable({
  group,
  frameworkId,
  agentId,
}: {
  group: TaskGroup;
  /** Only this framework's tasks (its page): the table has no framework column. */
  frameworkId?: string;
  /** Only the tasks on this agent (its page). */
  agentId?: string;
}) {
  const spec = GROUPS[group];
  const [state, setState] = useTableUrlState(group, spec.defaults);
  const withFramework = frameworkId === undefined;
  // The same columns from poll to poll, so that unchanged rows are not rendered again.
  const columns = useMemo(() => taskColumns(group, { withFramework }), [group, withFramework]);
  // The Overview's completed tasks are a screen or two down: while nobody can see them, they are not polled.
  const sectionRef = useRef<HTMLElement>(null);
  const onScreen = useOnScreen(sectionRef);
  const query = useTasks(groupQuery(group, state, { frameworkId, agentId }), { onScreen });
  return (
    <DataTable
      title={spec.title}
      columns={columns}
      data={query.data?.rows}
      total={query.data?.total ?? 0}
      getRowId={(task) => `${task.frameworkId}/${task.id}`}
      emptyMessage={spec.empty}
      state={state}
      onStateChange={setState}
      error={query.error}
      testId={`${group}-tasks`}
      collapseWhenEmpty
      sectionRef={sectionRef}
      virtualizeFrom={TASK_ROWS_IN_PAGE_FROM}
      virtualizeIn="page"
    />
  );
}
