import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentDetailView, DepartedAgentView } from '../../../../bff/schemas/detail-views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

const enc = encodeURIComponent;

/**
 * One agent, as the master and the agent itself describe it; or, for an agent the master no longer lists,
 * what mesoscope knows of it.
 */
export function getAgent(
  agentId: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<AgentDetailView | DepartedAgentView> {
  return apiGet<AgentDetailView | DepartedAgentView>(`/api/agents/${enc(agentId)}`, { signal });
}

export function getAgentQueryOptions(agentId: string) {
  return queryOptions({
    queryKey: queryKeys.agent.detail(agentId),
    queryFn: ({ signal }) => getAgent(agentId, { signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useAgent(agentId: string) {
  return useQuery(getAgentQueryOptions(agentId));
}
