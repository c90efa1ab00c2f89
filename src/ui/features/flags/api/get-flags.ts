import { queryOptions, useQuery } from '@tanstack/react-query';
import { parseFlagsResponse } from '../../../../mesos/metrics-format';
import { apiGet } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

/** The command-line flags of the leading master (`agentId` null) or of one agent, through the passthrough. */
export async function getFlags(
  agentId: string | null,
  { signal }: { signal?: AbortSignal } = {},
): Promise<Record<string, string>> {
  const url = agentId === null ? '/mesos/master/flags' : `/agent/${encodeURIComponent(agentId)}/flags`;
  return parseFlagsResponse(await apiGet<unknown>(url, { signal })).flags;
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
