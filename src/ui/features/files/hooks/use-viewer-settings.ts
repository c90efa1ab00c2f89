import { useCallback, useState } from 'react';
import type { ViewerSettings } from '../components/log-pane';

const STORAGE_KEY = 'mesoscope.viewer';
const DEFAULTS: ViewerSettings = { wrap: true, gutter: 'lines' };

function load(): ViewerSettings {
  try {
    const stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<ViewerSettings>;
    return {
      wrap: typeof stored.wrap === 'boolean' ? stored.wrap : DEFAULTS.wrap,
      gutter: stored.gutter === 'offsets' ? 'offsets' : DEFAULTS.gutter,
    };
  } catch {
    return DEFAULTS;
  }
}

/** Wrap and gutter preferences, kept in this browser for every file. */
export function useViewerSettings() {
  const [settings, setSettings] = useState<ViewerSettings>(load);
  const update = useCallback((patch: Partial<ViewerSettings>) => {
    setSettings((current) => {
      const next = { ...current, ...patch };
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      } catch {
        // Storage full or disabled: the setting holds for this page only.
      }
      return next;
    });
  }, []);
  return [settings, update] as const;
}
