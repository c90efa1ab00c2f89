import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ExecutorView } from '../../../../bff/schemas/detail-views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

const enc = encodeURIComponent;

/** One executor's queued, active and completed tasks. */
export function getExecutor(
  agentId: string,
  frameworkId: string,
  executorId: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<ExecutorView> {
  return apiGet<ExecutorView>(
    `/api/agents/${enc(agentId)}/frameworks/${enc(frameworkId)}/executors/${enc(executorId)}`,
    { signal },
  );
}

export function getExecutorQueryOptions(agentId: string, frameworkId: string, executorId: string) {
  return queryOptions({
    queryKey: queryKeys.agent.executor(agentId, frameworkId, executorId),
    queryFn: ({ signal }) => getExecutor(agentId, frameworkId, executorId, { signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useExecutor(agentId: string, frameworkId: string, executorId: string) {
  return useQuery(getExecutorQueryOptions(agentId, frameworkId, executorId));
}
