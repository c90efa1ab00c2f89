import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { StatusView } from '../../../../bff/schemas/views';
import { getStatusQueryOptions } from '../../status/api/get-status';

const buildIdOf = (status: StatusView) => status.buildId ?? null;

/**
 * Reloads the page when the server starts serving another build of mesoscope than the one this page
 * first saw, so an unattended screen picks up a deployment by itself. The first build id seen is the page's
 * own: the server sends it with every status, and the page was loaded from that server moments before.
 */
export function useBuildReload(enabled: boolean, reload: () => void = () => window.location.reload()): void {
  // Only the build id: the frame of every page runs this, and must not render again at every status poll.
  const buildId = useQuery({ ...getStatusQueryOptions(), select: buildIdOf }).data ?? null;
  const loadedWith = useRef<string | null>(null);
  useEffect(() => {
    if (!enabled || buildId === null) return;
    if (loadedWith.current === null) {
      loadedWith.current = buildId;
      return;
    }
    if (buildId !== loadedWith.current) reload();
  }, [enabled, buildId, reload]);
}
