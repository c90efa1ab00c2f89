import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { NOW_TICK_MS } from '../../lib/polling';

const LONG_DATE_KEY = 'mesoscope.longDate';

interface TimeContextValue {
  /** The shared "now" (ms) every relative time on the page is computed against. */
  now: number;
  /** True when times are shown as absolute ISO times instead of relative ones. */
  absolute: boolean;
  toggleAbsolute: () => void;
}

const TimeContext = createContext<TimeContextValue | null>(null);

function readAbsolute(): boolean {
  try {
    return window.localStorage.getItem(LONG_DATE_KEY) === 'true';
  } catch {
    return false;
  }
}

function writeAbsolute(value: boolean): void {
  try {
    window.localStorage.setItem(LONG_DATE_KEY, String(value));
  } catch {
    // Storage can be disabled; the toggle still works for this page load.
  }
}

export function TimeProvider({ children, tickMs = NOW_TICK_MS }: { children: ReactNode; tickMs?: number }) {
  const [now, setNow] = useState(() => Date.now());
  const [absolute, setAbsolute] = useState(readAbsolute);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), tickMs);
    return () => window.clearInterval(timer);
  }, [tickMs]);

  const toggleAbsolute = useCallback(() => {
    setAbsolute((previous) => {
      writeAbsolute(!previous);
      return !previous;
    });
  }, []);

  const value = useMemo(() => ({ now, absolute, toggleAbsolute }), [now, absolute, toggleAbsolute]);
  return <TimeContext value={value}>{children}</TimeContext>;
}

export function useTime(): TimeContextValue {
  const value = use(TimeContext);
  if (!value) throw new Error('useTime must be used inside <TimeProvider>');
  return value;
}
