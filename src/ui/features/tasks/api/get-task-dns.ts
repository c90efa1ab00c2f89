import { useQuery } from '@tanstack/react-query';
import type { TaskDnsView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** A task's Mesos-DNS names and whether each resolves now, when mesoscope knows a Mesos-DNS. */
export function useTaskDns(frameworkId: string, taskId: string) {
  return useQuery({
    queryKey: queryKeys.tasks.dns(frameworkId, taskId),
    queryFn: ({ signal }) =>
      apiGet<TaskDnsView>(`/api/tasks/${encodeURIComponent(frameworkId)}/${encodeURIComponent(taskId)}/dns`, {
        signal,
      }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}
