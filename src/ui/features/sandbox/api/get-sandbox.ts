import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SandboxView } from '../../../../bff/schemas/views';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

export interface SandboxQuery {
  agentId: string;
  frameworkId: string;
  executorId: string;
  /** null for an executor's sandbox. */
  taskId: string | null;
}

export function getSandbox(
  query: SandboxQuery,
  { signal }: { signal?: AbortSignal } = {},
): Promise<SandboxView> {
  const url = buildUrl('/api/sandbox', {
    agent: query.agentId,
    framework: query.frameworkId,
    executor: query.executorId,
    task: query.taskId,
  });
  return apiGet<SandboxView>(url, { signal });
}

export function getSandboxQueryOptions(query: SandboxQuery) {
  return queryOptions({
    queryKey: queryKeys.sandbox(query),
    queryFn: ({ signal }) => getSandbox(query, { signal }),
    // Resolved once, to redirect: a sandbox directory never moves.
    staleTime: Infinity,
  });
}

export function useSandbox(query: SandboxQuery) {
  return useQuery(getSandboxQueryOptions(query));
}
