import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { TaskPage, TaskQueryGroup, TaskSortKey } from '../../../../bff/schemas/views';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { keepIfSame } from '../../../lib/keep-if-same';
import { POLL_IN_BACKGROUND, TASKS_FALLBACK_POLL_MS, VIEW_POLL } from '../../../lib/polling';
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

interface TasksPolling {
  /**
   * The page asks again when the status shows a new snapshot (useRefetchOnNewSnapshot), and on its own timer only
   * as a fallback.
   */
  followsSnapshots?: boolean;
  /**
   * False while the table is far off screen: it is not asked again (nor rendered again) until it comes back, and
   * then at once if its page is older than a poll.
   */
  onScreen?: boolean;
}

export function getTasksQueryOptions(
  query: TaskQuery,
  { followsSnapshots = false, onScreen = true }: TasksPolling = {},
) {
  return queryOptions({
    queryKey: queryKeys.tasks.page({ ...query }),
    queryFn: ({ signal }) => getTasks(query, { signal }),
    enabled: onScreen,
    refetchInterval: followsSnapshots ? TASKS_FALLBACK_POLL_MS : VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    // Keep the current page on screen while the next page, sort or filter loads.
    placeholderData: keepPreviousData,
    structuralSharing: keepIfSame,
  });
}

export function useTasks(query: TaskQuery, options: TasksPolling = {}) {
  return useQuery(getTasksQueryOptions(query, options));
}
