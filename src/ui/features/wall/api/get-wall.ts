import { queryOptions, useQuery } from '@tanstack/react-query';
import type { WallView } from '../../../../bff/schemas/wall';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, WALL_POLL_MS } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

export function getWall({ signal }: { signal?: AbortSignal } = {}): Promise<WallView> {
  return apiGet<WallView>('/api/wall', { signal });
}

/** Polls in the background too: a wall display is never the focused window. */
export function getWallQueryOptions(refreshMs: number = WALL_POLL_MS) {
  return queryOptions({
    queryKey: queryKeys.wall(),
    queryFn: ({ signal }) => getWall({ signal }),
    refetchInterval: refreshMs,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
  });
}

export function useWall(refreshMs?: number) {
  return useQuery(getWallQueryOptions(refreshMs));
}
