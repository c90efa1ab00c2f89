import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { HistoryView, HistoryWindow } from '../../../../bff/schemas/wall';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { keepIfSame } from '../../../lib/keep-if-same';
import { HISTORY_POLL_MS, POLL_IN_BACKGROUND, pollOnBeat } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

export function getHistory(
  window: HistoryWindow,
  { signal }: { signal?: AbortSignal } = {},
): Promise<HistoryView> {
  return apiGet<HistoryView>(buildUrl('/api/history', { window }), { signal });
}

/** Never much faster than HISTORY_POLL_MS (the server records a sample every 5 s at most), on the page's beat. */
export function getHistoryQueryOptions(window: HistoryWindow, refreshMs: number = HISTORY_POLL_MS) {
  return queryOptions({
    queryKey: queryKeys.history(window),
    queryFn: ({ signal }) => getHistory(window, { signal }),
    refetchInterval: pollOnBeat(Math.max(refreshMs, HISTORY_POLL_MS)),
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    // Switching windows keeps the old chart until the new one arrives, instead of flashing empty.
    placeholderData: keepPreviousData,
    structuralSharing: keepIfSame,
  });
}

export function useHistory(window: HistoryWindow, refreshMs?: number) {
  return useQuery(getHistoryQueryOptions(window, refreshMs));
}
