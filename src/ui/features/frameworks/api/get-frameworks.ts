import { queryOptions, useQuery } from '@tanstack/react-query';
import type { FrameworksView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL_MS } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

export function getFrameworks({ signal }: { signal?: AbortSignal } = {}): Promise<FrameworksView> {
  return apiGet<FrameworksView>('/api/frameworks', { signal });
}

export function getFrameworksQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.frameworks(),
    queryFn: ({ signal }) => getFrameworks({ signal }),
    refetchInterval: VIEW_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useFrameworks() {
  return useQuery(getFrameworksQueryOptions());
}
