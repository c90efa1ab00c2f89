import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AppInstancesView } from '../../../../bff/schemas/files';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** Which app: by framework and task name, or as the owner of a sandbox path on an agent. */
export type AppRef = { frameworkId: string; name: string } | { agentId: string; path: string };

/** GET /api/files/instances: every task of an app, with its sandbox. */
export function getAppInstances(app: AppRef, signal?: AbortSignal): Promise<AppInstancesView> {
  const params =
    'frameworkId' in app
      ? { framework: app.frameworkId, name: app.name }
      : { agent: app.agentId, path: app.path };
  return apiGet<AppInstancesView>(buildUrl('/api/files/instances', params), { signal });
}

export function getAppInstancesQueryOptions(app: AppRef) {
  return queryOptions({
    queryKey: queryKeys.files.instances(app),
    queryFn: ({ signal }) => getAppInstances(app, signal),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    retry: false,
  });
}

export function useAppInstances(app: AppRef, enabled = true) {
  return useQuery({ ...getAppInstancesQueryOptions(app), enabled });
}
