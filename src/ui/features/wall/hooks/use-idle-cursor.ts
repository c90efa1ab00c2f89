import { useEffect } from 'react';

const CURSOR_IDLE_MS = 3_000;
const HIDDEN_CLASS = 'cursor-hidden';

/** Hides the mouse pointer after `idleMs` without movement, and shows it again on the next move. */
export function useIdleCursor(enabled: boolean, idleMs: number = CURSOR_IDLE_MS): void {
  useEffect(() => {
    if (!enabled) return undefined;
    const root = document.documentElement;
    let timer = 0;
    const arm = () => {
      root.classList.remove(HIDDEN_CLASS);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => root.classList.add(HIDDEN_CLASS), idleMs);
    };
    arm();
    window.addEventListener('mousemove', arm, { passive: true });
    window.addEventListener('mousedown', arm, { passive: true });
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('mousemove', arm);
      window.removeEventListener('mousedown', arm);
      root.classList.remove(HIDDEN_CLASS);
    };
  }, [enabled, idleMs]);
}
