import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TaskFacets } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { FACETS_POLL_MS, POLL_IN_BACKGROUND } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** The states, frameworks, agents and roles the Tasks page can filter on, with their task counts. */
export function getTaskFacets({ signal }: { signal?: AbortSignal } = {}): Promise<TaskFacets> {
  return apiGet<TaskFacets>('/api/tasks/facets', { signal });
}

export function getTaskFacetsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.tasks.facets(),
    queryFn: ({ signal }) => getTaskFacets({ signal }),
    refetchInterval: FACETS_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useTaskFacets() {
  return useQuery(getTaskFacetsQueryOptions());
}
