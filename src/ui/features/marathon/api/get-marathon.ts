import { queryOptions, useQuery } from '@tanstack/react-query';
import type {
  MarathonAppView,
  MarathonAppsView,
  MarathonDeploymentsView,
  MarathonSummaryView,
  MarathonVersionsView,
} from '../../../../bff/schemas/marathon';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** Marathon's views, under the cluster's keys so that refreshing everything refreshes them too. */
const marathonKeys = {
  apps: (marathon: string | null) => [...queryKeys.all, 'marathon', marathon, 'apps'] as const,
  app: (marathon: string | null, id: string) => [...queryKeys.all, 'marathon', marathon, 'app', id] as const,
  deployments: (marathon: string | null) => [...queryKeys.all, 'marathon', marathon, 'deployments'] as const,
  versions: (marathon: string | null, id: string) =>
    [...queryKeys.all, 'marathon', marathon, 'versions', id] as const,
  summary: () => [...queryKeys.all, 'marathon', 'summary'] as const,
};

const polled = { refetchInterval: VIEW_POLL, refetchIntervalInBackground: POLL_IN_BACKGROUND };

export function getMarathonAppsQueryOptions(marathon: string | null) {
  return queryOptions({
    queryKey: marathonKeys.apps(marathon),
    queryFn: ({ signal }) =>
      apiGet<MarathonAppsView>(buildUrl('/api/marathon/apps', { marathon }), { signal }),
    ...polled,
  });
}

export function useMarathonApps(marathon: string | null) {
  return useQuery(getMarathonAppsQueryOptions(marathon));
}

export function useMarathonApp(marathon: string | null, id: string) {
  return useQuery(
    queryOptions({
      queryKey: marathonKeys.app(marathon, id),
      queryFn: ({ signal }) =>
        apiGet<MarathonAppView>(buildUrl('/api/marathon/app', { marathon, id }), { signal }),
      ...polled,
    }),
  );
}

/** An app's versions change only with its deployments: asked less often than the views. */
export function useMarathonVersions(marathon: string | null, id: string) {
  return useQuery(
    queryOptions({
      queryKey: marathonKeys.versions(marathon, id),
      queryFn: ({ signal }) =>
        apiGet<MarathonVersionsView>(buildUrl('/api/marathon/versions', { marathon, id }), { signal }),
      refetchInterval: 15_000,
      refetchIntervalInBackground: POLL_IN_BACKGROUND,
    }),
  );
}

export function useMarathonDeployments(marathon: string | null) {
  return useQuery(
    queryOptions({
      queryKey: marathonKeys.deployments(marathon),
      queryFn: ({ signal }) =>
        apiGet<MarathonDeploymentsView>(buildUrl('/api/marathon/deployments', { marathon }), { signal }),
      ...polled,
    }),
  );
}

export function useMarathonSummary(enabled: boolean) {
  return useQuery(
    queryOptions({
      queryKey: marathonKeys.summary(),
      queryFn: ({ signal }) => apiGet<MarathonSummaryView>('/api/marathon/summary', { signal }),
      enabled,
      ...polled,
    }),
  );
}
