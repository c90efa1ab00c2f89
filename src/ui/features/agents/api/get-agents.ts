import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentsView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL_MS } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

export function getAgents({ signal }: { signal?: AbortSignal } = {}): Promise<AgentsView> {
  return apiGet<AgentsView>('/api/agents', { signal });
}

export function getAgentsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.agents(),
    queryFn: ({ signal }) => getAgents({ signal }),
    refetchInterval: VIEW_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useAgents() {
  return useQuery(getAgentsQueryOptions());
}
