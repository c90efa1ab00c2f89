import { useSearchParams } from 'react-router';
import { useBuildReload } from './use-build-reload';
import { useIdleCursor } from './use-idle-cursor';
import { useRotation } from './use-rotation';

/**
 * `?kiosk` on any page: the layout hides its navigation, the pointer hides when idle, the page reloads on a
 * new build, and `rotate=` cycles through pages. Returns whether kiosk mode is on.
 */
export function useKiosk(): boolean {
  const [params] = useSearchParams();
  const kiosk = params.has('kiosk') && params.get('kiosk') !== 'false';
  useUnattended(kiosk);
  return kiosk;
}

/** What every unattended screen needs; the wall has it always. */
export function useUnattended(enabled: boolean): string[] {
  useIdleCursor(enabled);
  useBuildReload(enabled);
  return useRotation();
}
