import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TaskDetailView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** Everything about one task (task IDs are unique per framework, so both name it). */
export function getTask(
  frameworkId: string,
  taskId: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<TaskDetailView> {
  const url = `/api/tasks/${encodeURIComponent(frameworkId)}/${encodeURIComponent(taskId)}`;
  return apiGet<TaskDetailView>(url, { signal });
}

export function getTaskQueryOptions(frameworkId: string, taskId: string) {
  return queryOptions({
    queryKey: queryKeys.tasks.detail(frameworkId, taskId),
    queryFn: ({ signal }) => getTask(frameworkId, taskId, { signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useTask(frameworkId: string, taskId: string) {
  return useQuery(getTaskQueryOptions(frameworkId, taskId));
}
