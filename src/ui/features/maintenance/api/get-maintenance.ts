import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MaintenanceView } from '../../../../bff/schemas/detail-views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** The maintenance schedule and the status of draining and down machines. */
export function getMaintenance({ signal }: { signal?: AbortSignal } = {}): Promise<MaintenanceView> {
  return apiGet<MaintenanceView>('/api/maintenance', { signal });
}

export function getMaintenanceQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.maintenance(),
    queryFn: ({ signal }) => getMaintenance({ signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useMaintenance() {
  return useQuery(getMaintenanceQueryOptions());
}
