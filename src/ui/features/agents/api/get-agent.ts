import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentDetailView } from '../../../../bff/schemas/detail-views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL_MS } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

const enc = encodeURIComponent;

/** One agent, as the master and the agent itself describe it. */
export function getAgent(
  agentId: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<AgentDetailView> {
  return apiGet<AgentDetailView>(`/api/agents/${enc(agentId)}`, { signal });
}

export function getAgentQueryOptions(agentId: string) {
  return queryOptions({
    queryKey: queryKeys.agent.detail(agentId),
    queryFn: ({ signal }) => getAgent(agentId, { signal }),
    refetchInterval: VIEW_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useAgent(agentId: string) {
  return useQuery(getAgentQueryOptions(agentId));
}
