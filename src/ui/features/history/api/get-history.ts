import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type {
  FailuresView,
  HistoryStatusView,
  HistoryTaskPageView,
  HistoryTaskView,
} from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

const search = (params: Readonly<Record<string, string>>) => {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== '')).toString();
  return query ? `?${query}` : '';
};

export function useHistoryTasks(params: Readonly<Record<string, string>>) {
  return useQuery(
    queryOptions({
      queryKey: queryKeys.taskHistory('tasks', params),
      queryFn: ({ signal }) => apiGet<HistoryTaskPageView>(`/api/history/tasks${search(params)}`, { signal }),
      placeholderData: keepPreviousData,
    }),
  );
}

export function useFailures(params: Readonly<Record<string, string>>) {
  return useQuery(
    queryOptions({
      queryKey: queryKeys.taskHistory('failures', params),
      queryFn: ({ signal }) => apiGet<FailuresView>(`/api/history/failures${search(params)}`, { signal }),
      placeholderData: keepPreviousData,
      refetchInterval: 60_000,
    }),
  );
}

/** A task from the history (null while not asked for: the master still lists it). */
export function useHistoryTask(frameworkId: string, taskId: string, enabled: boolean) {
  return useQuery(
    queryOptions({
      queryKey: queryKeys.taskHistory('task', { frameworkId, taskId }),
      queryFn: ({ signal }) =>
        apiGet<HistoryTaskView & { statuses: HistoryStatusView[] }>(
          `/api/history/tasks/${encodeURIComponent(frameworkId)}/${encodeURIComponent(taskId)}`,
          { signal },
        ),
      enabled,
      retry: false,
    }),
  );
}

export function useAgentTimeline(agentId: string, params: Readonly<Record<string, string>>) {
  return useQuery(
    queryOptions({
      queryKey: queryKeys.taskHistory('timeline', { agentId, ...params }),
      queryFn: ({ signal }) =>
        apiGet<{ from: number; to: number; truncated: boolean; tasks: HistoryTaskView[] }>(
          `/api/history/agents/${encodeURIComponent(agentId)}/timeline${search(params)}`,
          { signal },
        ),
      refetchInterval: 30_000,
    }),
  );
}

/** Each agent's failures in the last 24 h; empty when the history is off. */
export function useAgentFailures() {
  return useQuery(
    queryOptions({
      queryKey: queryKeys.taskHistory('agent-failures', {}),
      queryFn: ({ signal }) =>
        apiGet<{ agents: Record<string, number> }>('/api/history/agents/failures', { signal }),
      refetchInterval: 60_000,
      retry: false,
    }),
  );
}
