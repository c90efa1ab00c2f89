import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OverviewView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

export function getOverview({ signal }: { signal?: AbortSignal } = {}): Promise<OverviewView> {
  return apiGet<OverviewView>('/api/overview', { signal });
}

export function getOverviewQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.overview(),
    queryFn: ({ signal }) => getOverview({ signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useOverview() {
  return useQuery(getOverviewQueryOptions());
}
