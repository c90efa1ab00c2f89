/**
 * How often the SPA asks the mesoscope server for fresh data. Every `refetchInterval` comes from here.
 *
 * Background polling is ON (`refetchIntervalInBackground: true`) on purpose: mesoscope is also the screen on
 * the ops wall, and a wall display is never focused. The server answers unchanged views with 304 (ETags),
 * so a hidden tab costs almost nothing, and the BFF polls Mesos once however many browsers watch.
 */
export const POLL_IN_BACKGROUND = true;

/** Compact cluster views: overview, tasks, frameworks, agents. */
export const VIEW_POLL_MS = 3_000;

/**
 * The Tasks page asks again as soon as the status (every STATUS_POLL_MS) shows a new snapshot of the cluster; on
 * a timer of its own only this often, in case the status is not answering.
 */
export const TASKS_FALLBACK_POLL_MS = 15_000;

/** The Tasks page's filter values and counts: they move slowly, and on a big cluster each answer is large. */
export const FACETS_POLL_MS = 10_000;

/** `/api/status`: drives the "cannot reach" banners, so it is the fastest. */
export const STATUS_POLL_MS = 2_000;

/** How long after the server's read of the cluster its publish is asked for: the read's own time, with room. */
const AFTER_READ_MS = 150;

/** While the server is reading the cluster, ask again this soon for what the read publishes. */
const READ_UNDER_WAY_MS = 500;

/**
 * When to ask for the status next, from what the last one said of the server's reads (`nextReadInMs`, every
 * `pollIntervalMs`): just after the last read that starts within STATUS_POLL_MS, so a new snapshot (and the
 * Tasks page that follows it) is seen a moment after it is published instead of up to a whole poll later, with
 * about as many requests as a plain STATUS_POLL_MS timer. Reads further off than that: STATUS_POLL_MS, for the
 * banners.
 */
export function statusPollDelayMs(
  status: { nextReadInMs?: number | null; pollIntervalMs: number } | undefined,
): number {
  const next = status?.nextReadInMs;
  if (next === null || next === undefined || next > STATUS_POLL_MS) return STATUS_POLL_MS;
  if (next === 0) return READ_UNDER_WAY_MS;
  const interval = status?.pollIntervalMs ?? 0;
  const laterReads = interval > 0 ? Math.floor((STATUS_POLL_MS - next) / interval) : 0;
  return next + laterReads * interval + AFTER_READ_MS;
}

/** Sandbox directory listings (the Mesos UI refreshes them on every state update). */
export const DIRECTORY_POLL_MS = 5_000;

/** File viewer: wait this long before retrying after a failed read. */
export const FILE_RETRY_MS = 2_000;

/** `/metrics/snapshot` of the master or an agent (Mesos rate-limits it to 2 requests/s per process). */
export const METRICS_POLL_MS = 5_000;

/** The wall display's default refresh (its `refresh=` URL option overrides it). */
export const WALL_POLL_MS = 5_000;

/** History charts: the server keeps one sample per 5 s at most, so asking more often gains nothing. */
export const HISTORY_POLL_MS = 10_000;

/** How often the shared "now" that all relative times are computed against ticks. */
export const NOW_TICK_MS = 5_000;
