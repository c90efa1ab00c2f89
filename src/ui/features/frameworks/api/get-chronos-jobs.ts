import { useQuery } from '@tanstack/react-query';
import type { ChronosJobsView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** A Chronos framework's jobs, read by the BFF from the Chronos API at its webui_url. */
export function useChronosJobs(frameworkId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.chronosJobs(frameworkId),
    queryFn: ({ signal }) =>
      apiGet<ChronosJobsView>(`/api/frameworks/${encodeURIComponent(frameworkId)}/chronos-jobs`, { signal }),
    enabled,
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}
