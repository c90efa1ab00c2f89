import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { TaskPage, TaskQueryGroup, TaskSortKey } from '../../../../bff/schemas/views';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, TASKS_FALLBACK_POLL_MS, VIEW_POLL_MS } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** One page of tasks, filtered and sorted by the server. Empty strings mean "no filter". */
export interface TaskQuery {
  group: TaskQueryGroup;
  q: string;
  /** A task state, or a comma-separated list of them. */
  state?: string;
  framework: string;
  agent: string;
  role?: string;
  sort: TaskSortKey;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export function getTasks(query: TaskQuery, { signal }: { signal?: AbortSignal } = {}): Promise<TaskPage> {
  return apiGet<TaskPage>(buildUrl('/api/tasks', { ...query }), { signal });
}

/**
 * `followsSnapshots`: the page asks again when the status shows a new snapshot (useRefetchOnNewSnapshot), and on
 * its own timer only as a fallback.
 */
export function getTasksQueryOptions(query: TaskQuery, { followsSnapshots = false } = {}) {
  return queryOptions({
    queryKey: queryKeys.tasks.page({ ...query }),
    queryFn: ({ signal }) => getTasks(query, { signal }),
    refetchInterval: followsSnapshots ? TASKS_FALLBACK_POLL_MS : VIEW_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    // Keep the current page on screen while the next page, sort or filter loads.
    placeholderData: keepPreviousData,
  });
}

export function useTasks(query: TaskQuery, options: { followsSnapshots?: boolean } = {}) {
  return useQuery(getTasksQueryOptions(query, options));
}
