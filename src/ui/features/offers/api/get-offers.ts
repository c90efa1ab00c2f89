import { queryOptions, useQuery } from '@tanstack/react-query';
import type { OffersView } from '../../../../bff/schemas/detail-views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** Outstanding offers. */
export function getOffers({ signal }: { signal?: AbortSignal } = {}): Promise<OffersView> {
  return apiGet<OffersView>('/api/offers', { signal });
}

export function getOffersQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.offers(),
    queryFn: ({ signal }) => getOffers({ signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useOffers() {
  return useQuery(getOffersQueryOptions());
}
