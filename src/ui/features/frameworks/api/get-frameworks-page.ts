import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { FrameworkGroup, FrameworksPage } from '../../../../bff/schemas/views';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL_MS } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** One page of one frameworks table, filtered and sorted by the server. */
export interface FrameworksQuery {
  group: FrameworkGroup;
  q: string;
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export function getFrameworksPage(
  query: FrameworksQuery,
  { signal }: { signal?: AbortSignal } = {},
): Promise<FrameworksPage> {
  return apiGet<FrameworksPage>(buildUrl('/api/frameworks', { ...query }), { signal });
}

export function getFrameworksPageQueryOptions(query: FrameworksQuery) {
  return queryOptions({
    queryKey: queryKeys.frameworkList({ ...query }),
    queryFn: ({ signal }) => getFrameworksPage(query, { signal }),
    refetchInterval: VIEW_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    placeholderData: keepPreviousData,
  });
}

export function useFrameworksPage(query: FrameworksQuery) {
  return useQuery(getFrameworksPageQueryOptions(query));
}
