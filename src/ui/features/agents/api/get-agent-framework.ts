import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentFrameworkView } from '../../../../bff/schemas/detail-views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

const enc = encodeURIComponent;

/** One framework's executors on one agent. */
export function getAgentFramework(
  agentId: string,
  frameworkId: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<AgentFrameworkView> {
  return apiGet<AgentFrameworkView>(`/api/agents/${enc(agentId)}/frameworks/${enc(frameworkId)}`, { signal });
}

export function getAgentFrameworkQueryOptions(agentId: string, frameworkId: string) {
  return queryOptions({
    queryKey: queryKeys.agent.framework(agentId, frameworkId),
    queryFn: ({ signal }) => getAgentFramework(agentId, frameworkId, { signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useAgentFramework(agentId: string, frameworkId: string) {
  return useQuery(getAgentFrameworkQueryOptions(agentId, frameworkId));
}
