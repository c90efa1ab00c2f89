/** One stop of a rotation: a page of mesoscope and how long it stays on screen. */
interface RotationStop {
  path: string;
  seconds: number;
}

const DEFAULT_ROTATION_S = 60;
const MIN_ROTATION_S = 5;
const MAX_ROTATION_S = 86_400;
/** An in-app path: no scheme, no host (`//`), no query, no backslash. */
const PATH = /^\/(?!\/)[A-Za-z0-9/_.~%-]*$/;

/**
 * Reads `rotate=/wall,/agents:30`: the pages to cycle through, each with an optional `:seconds`. A page
 * without its own seconds takes those of the last page in the list, else 60 s; so `rotate=/wall,/agents:30`
 * shows each for 30 s. Pages that are not in-app paths are reported and skipped.
 */
export function parseRotation(text: string | null): { stops: RotationStop[]; problems: string[] } {
  if (text === null || text.trim() === '') return { stops: [], problems: [] };
  const problems: string[] = [];
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(.*?)(?::(\d+))?$/.exec(entry);
      return { path: match?.[1] ?? entry, seconds: match?.[2] === undefined ? null : Number(match[2]) };
    });
  const lastSeconds = entries.at(-1)?.seconds ?? null;
  const stops: RotationStop[] = [];
  for (const entry of entries) {
    if (!PATH.test(entry.path)) {
      problems.push(`rotate: '${entry.path}' is not a mesoscope page (use paths such as /wall or /agents)`);
      continue;
    }
    const seconds = entry.seconds ?? lastSeconds ?? DEFAULT_ROTATION_S;
    if (seconds < MIN_ROTATION_S || seconds > MAX_ROTATION_S) {
      problems.push(
        `rotate: ${entry.path}:${seconds} must stay from ${MIN_ROTATION_S} to ${MAX_ROTATION_S} s`,
      );
      continue;
    }
    stops.push({ path: entry.path, seconds });
  }
  return { stops, problems };
}

/** The parameters a rotation carries from page to page, so every stop shows in kiosk mode with the same options. */
const CARRIED = ['rotate', 'theme', 'tiles', 'title', 'refresh', 'window'];

/**
 * Where the rotation goes after `pathname`, and when. A page not in the list (someone navigated away)
 * is left for the first stop after that stop's time.
 */
export function nextStop(
  stops: readonly RotationStop[],
  pathname: string,
  params: URLSearchParams,
): { url: string; afterMs: number } | null {
  if (stops.length === 0) return null;
  const index = stops.findIndex((stop) => stop.path === pathname);
  const current = stops[index] ?? stops[0];
  const next = stops[(index + 1) % stops.length];
  if (!current || !next || (stops.length === 1 && index === 0)) return null;
  const carried = new URLSearchParams();
  carried.set('kiosk', '');
  for (const name of CARRIED) {
    const value = params.get(name);
    if (value !== null) carried.set(name, value);
  }
  const query = carried.toString().replace(/^kiosk=(&|$)/, 'kiosk$1');
  return { url: `${next.path}?${query}`, afterMs: current.seconds * 1_000 };
}
