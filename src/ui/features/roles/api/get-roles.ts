import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RolesView } from '../../../../bff/schemas/detail-views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** Roles with weights, allocation, reservations and quota (the leader's /master/roles). */
export function getRoles({ signal }: { signal?: AbortSignal } = {}): Promise<RolesView> {
  return apiGet<RolesView>('/api/roles', { signal });
}

export function getRolesQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.roles(),
    queryFn: ({ signal }) => getRoles({ signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useRoles() {
  return useQuery(getRolesQueryOptions());
}
