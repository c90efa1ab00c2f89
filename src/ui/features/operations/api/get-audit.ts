import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditEntryView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

export function getAuditQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.audit(),
    queryFn: ({ signal }) => apiGet<{ entries: AuditEntryView[] }>('/api/audit', { signal }),
    refetchInterval: 10_000,
  });
}

export function useAudit() {
  return useQuery(getAuditQueryOptions());
}
