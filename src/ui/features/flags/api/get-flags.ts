import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MasterFlagsView } from '../../../../bff/schemas/views';
import { parseAgentState } from '../../../../mesos/agent-state';
import { parseFlagsResponse } from '../../../../mesos/metrics-format';
import { apiGet, isApiError } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

/**
 * The command-line flags of the leading master (`agentId` null, from the BFF's copy of its state) or of one
 * agent (its `/flags`, or the `flags` of its `state.json` on agents older than 0.25, which have no `/flags` and
 * answer only the `.json` form of their state).
 * Null when the process does not show its flags to mesoscope.
 */
export async function getFlags(
  agentId: string | null,
  { signal }: { signal?: AbortSignal } = {},
): Promise<Record<string, string> | null> {
  if (agentId === null) return (await apiGet<MasterFlagsView>('/api/flags', { signal })).flags;
  const agent = `/agent/${encodeURIComponent(agentId)}`;
  try {
    return parseFlagsResponse(await apiGet<unknown>(`${agent}/flags`, { signal })).flags;
  } catch (error) {
    if (!isApiError(error) || error.status !== 404) throw error;
    return parseAgentState(await apiGet<unknown>(`${agent}/state.json`, { signal })).flags ?? null;
  }
}

export function getFlagsQueryOptions(agentId: string | null) {
  return queryOptions({
    queryKey: queryKeys.flags(agentId),
    queryFn: ({ signal }) => getFlags(agentId, { signal }),
    // Flags are set when a process starts; a minute-old copy is as good as new.
    staleTime: 60_000,
  });
}

export function useFlags(agentId: string | null) {
  return useQuery(getFlagsQueryOptions(agentId));
}
