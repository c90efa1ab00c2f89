import type { HistoryWindow } from '../../../../bff/schemas/wall';

/** Every tile the wall can show, in the default order. */
export const WALL_TILES = [
  'health',
  'gauges',
  'agents',
  'cpu',
  'mem',
  'tasks',
  'disk',
  'gpu',
  'failures',
  'frameworks',
  'failed',
] as const;
export type WallTileId = (typeof WALL_TILES)[number];

type WallTheme = 'dark' | 'light';

interface WallOptions {
  theme: WallTheme;
  tiles: WallTileId[];
  /** Shown in the wall's header instead of the cluster name. */
  title: string | null;
  /** How often the wall asks for fresh data. */
  refreshMs: number;
  /** The span of the history charts. */
  window: HistoryWindow;
  /** What was wrong with the URL, in words; the wall shows it and uses the defaults for those options. */
  problems: string[];
}

const DEFAULT_REFRESH_S = 5;
const MIN_REFRESH_S = 1;
const MAX_REFRESH_S = 3_600;
const MAX_TITLE = 80;
const WINDOWS: readonly HistoryWindow[] = ['1h', '6h', '24h'];

/**
 * Reads the wall's URL options:
 * `theme=dark|light`, `tiles=health,agents,...` (which tiles, in that order), `title=Text`,
 * `refresh=seconds`, `window=1h|6h|24h`. A bad value never breaks the wall: it is reported and ignored.
 */
export function parseWallOptions(params: URLSearchParams): WallOptions {
  const problems: string[] = [];

  const themeText = params.get('theme');
  let theme: WallTheme = 'dark';
  if (themeText === 'light' || themeText === 'dark') theme = themeText;
  else if (themeText !== null) problems.push(`theme=${themeText} is not dark or light`);

  let tiles: WallTileId[] = [...WALL_TILES];
  const tilesText = params.get('tiles');
  if (tilesText !== null) {
    const asked = tilesText
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const known = asked.filter((name): name is WallTileId =>
      (WALL_TILES as readonly string[]).includes(name),
    );
    const unknown = asked.filter((name) => !(WALL_TILES as readonly string[]).includes(name));
    if (unknown.length > 0) problems.push(`unknown tiles: ${unknown.join(', ')}`);
    if (known.length > 0) tiles = [...new Set(known)];
  }

  let refreshMs = DEFAULT_REFRESH_S * 1_000;
  const refreshText = params.get('refresh');
  if (refreshText !== null) {
    const seconds = Number(refreshText);
    if (Number.isFinite(seconds) && seconds >= MIN_REFRESH_S && seconds <= MAX_REFRESH_S) {
      refreshMs = Math.round(seconds * 1_000);
    } else {
      problems.push(
        `refresh=${refreshText} is not a number of seconds from ${MIN_REFRESH_S} to ${MAX_REFRESH_S}`,
      );
    }
  }

  let window: HistoryWindow = '1h';
  const windowText = params.get('window');
  if (windowText !== null) {
    if ((WINDOWS as readonly string[]).includes(windowText)) window = windowText as HistoryWindow;
    else problems.push(`window=${windowText} is not one of ${WINDOWS.join(', ')}`);
  }

  const titleText = params.get('title')?.trim() ?? '';
  const title = titleText === '' ? null : titleText.slice(0, MAX_TITLE);

  return { theme, tiles, title, refreshMs, window, problems };
}
