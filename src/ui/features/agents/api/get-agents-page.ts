import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentsPage } from '../../../../bff/schemas/views';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL_MS } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** One page of the agents, filtered and sorted by the server. */
export interface AgentsQuery {
  q: string;
  /** Agent states, any of which matches (`Active`, `Deactivated,Draining,Drained`); empty for all. */
  state?: string;
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export function getAgentsPage(
  query: AgentsQuery,
  { signal }: { signal?: AbortSignal } = {},
): Promise<AgentsPage> {
  return apiGet<AgentsPage>(buildUrl('/api/agents', { ...query }), { signal });
}

export function getAgentsPageQueryOptions(query: AgentsQuery) {
  return queryOptions({
    queryKey: queryKeys.agentList({ ...query }),
    queryFn: ({ signal }) => getAgentsPage(query, { signal }),
    refetchInterval: VIEW_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    placeholderData: keepPreviousData,
  });
}

export function useAgentsPage(query: AgentsQuery) {
  return useQuery(getAgentsPageQueryOptions(query));
}
