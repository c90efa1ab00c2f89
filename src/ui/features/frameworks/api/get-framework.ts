import { queryOptions, useQuery } from '@tanstack/react-query';
import type { FrameworkDetailView } from '../../../../bff/schemas/detail-views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

const enc = encodeURIComponent;

/** One framework: summary, task counters, allocated and offered resources. */
export function getFramework(
  frameworkId: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<FrameworkDetailView> {
  return apiGet<FrameworkDetailView>(`/api/frameworks/${enc(frameworkId)}`, { signal });
}

export function getFrameworkQueryOptions(frameworkId: string) {
  return queryOptions({
    queryKey: queryKeys.framework(frameworkId),
    queryFn: ({ signal }) => getFramework(frameworkId, { signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useFramework(frameworkId: string) {
  return useQuery(getFrameworkQueryOptions(frameworkId));
}
