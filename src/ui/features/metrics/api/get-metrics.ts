import { queryOptions, useQuery } from '@tanstack/react-query';
import { parseMetricsSnapshot, type MetricsSnapshot } from '../../../../mesos/metrics';
import { apiGet } from '../../../lib/api-client';
import { METRICS_POLL_MS, POLL_IN_BACKGROUND } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** `/metrics/snapshot` of the leading master (`agentId` null) or of one agent, through the passthrough. */
export async function getMetrics(
  agentId: string | null,
  { signal }: { signal?: AbortSignal } = {},
): Promise<MetricsSnapshot> {
  const url =
    agentId === null ? '/mesos/metrics/snapshot' : `/agent/${encodeURIComponent(agentId)}/metrics/snapshot`;
  return parseMetricsSnapshot(await apiGet<unknown>(url, { signal }));
}

export function getMetricsQueryOptions(agentId: string | null) {
  return queryOptions({
    queryKey: queryKeys.metrics(agentId),
    queryFn: ({ signal }) => getMetrics(agentId, { signal }),
    refetchInterval: METRICS_POLL_MS,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useMetrics(agentId: string | null) {
  return useQuery(getMetricsQueryOptions(agentId));
}
