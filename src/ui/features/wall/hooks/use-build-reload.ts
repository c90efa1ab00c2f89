import { useEffect, useRef } from 'react';
import { useStatus } from '../../status/api/get-status';

/**
 * Reloads the page when the server starts serving another build of mesoscope than the one this page
 * first saw, so an unattended screen picks up a deployment by itself. The first build id seen is the page's
 * own: the server sends it with every status, and the page was loaded from that server moments before.
 */
export function useBuildReload(enabled: boolean, reload: () => void = () => window.location.reload()): void {
  const { data } = useStatus();
  const buildId = data?.buildId ?? null;
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
