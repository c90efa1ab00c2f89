import { useQuery } from '@tanstack/react-query';
import type { TaskJsonView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

/**
 * One task's full JSON, read from the master by the BFF; only while `enabled` (its section is open), and once:
 * it is not polled, as it is large and rarely looked at.
 */
export function useTaskJson(frameworkId: string, taskId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.tasks.json(frameworkId, taskId),
    queryFn: ({ signal }) =>
      apiGet<TaskJsonView>(
        `/api/tasks/${encodeURIComponent(frameworkId)}/${encodeURIComponent(taskId)}/json`,
        {
          signal,
        },
      ),
    enabled,
    staleTime: Infinity,
    retry: false,
  });
}
