import {
  createContext,
  use,
  useCallback,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { NOW_TICK_MS, onPollRoundLanded } from '../../lib/polling';

const LONG_DATE_KEY = 'mesoscope.longDate';

/** The shared "now" (ms) every relative time on the page is computed against, ticking while anyone listens. */
interface Clock {
  now: () => number;
  subscribe: (listener: () => void) => () => void;
}

/**
 * Ticks with every poll round that lands, in its commit (a page that polls renders once for both), and on its own
 * after `tickMs` without one.
 */
function createClock(tickMs: number): Clock {
  let now = Date.now();
  const listeners = new Set<() => void>();
  let timer: number | undefined;
  let stopFollowingPolls: (() => void) | undefined;
  const tick = () => {
    now = Date.now();
    window.clearTimeout(timer);
    timer = window.setTimeout(tick, tickMs);
    for (const notify of listeners) notify();
  };
  return {
    now: () => now,
    subscribe(listener) {
      listeners.add(listener);
      if (timer === undefined) {
        now = Date.now();
        timer = window.setTimeout(tick, tickMs);
        stopFollowingPolls = onPollRoundLanded(tick);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          window.clearTimeout(timer);
          timer = undefined;
          stopFollowingPolls?.();
        }
      };
    },
  };
}

interface TimeSettings {
  clock: Clock;
  /** True when times are shown as absolute ISO times instead of relative ones. */
  absolute: boolean;
  toggleAbsolute: () => void;
}

interface TimeContextValue extends Omit<TimeSettings, 'clock'> {
  now: number;
}

// The value changes only when the absolute/relative choice does: the tick reaches only what reads the clock.
const TimeContext = createContext<TimeSettings | null>(null);

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
  const clock = useMemo(() => createClock(tickMs), [tickMs]);
  const [absolute, setAbsolute] = useState(readAbsolute);

  const toggleAbsolute = useCallback(() => {
    setAbsolute((previous) => {
      writeAbsolute(!previous);
      return !previous;
    });
  }, []);

  const value = useMemo(() => ({ clock, absolute, toggleAbsolute }), [clock, absolute, toggleAbsolute]);
  return <TimeContext value={value}>{children}</TimeContext>;
}

function useTimeSettings(): TimeSettings {
  const value = use(TimeContext);
  if (!value) throw new Error('useTime must be used inside <TimeProvider>');
  return value;
}

/** The shared now, re-rendering the caller on every tick. */
export function useTime(): TimeContextValue {
  const { clock, absolute, toggleAbsolute } = useTimeSettings();
  const now = useSyncExternalStore(clock.subscribe, clock.now);
  return { now, absolute, toggleAbsolute };
}

/**
 * What `render` makes of the shared now, re-rendering the caller only when that changes: a cell showing
 * "3 hours ago" is not redrawn every tick.
 */
export function useClockValue<T extends string | number | boolean>(
  render: (now: number) => T,
): Omit<TimeSettings, 'clock'> & { value: T } {
  const { clock, absolute, toggleAbsolute } = useTimeSettings();
  const value = useSyncExternalStore(clock.subscribe, () => render(clock.now()));
  return { value, absolute, toggleAbsolute };
}
