import { notifyManager } from '@tanstack/react-query';
import type { Query, QueryClient } from '@tanstack/react-query';

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

/**
 * `/api/status` while a page follows the server's snapshots (the Tasks page): drives the "cannot reach" banners,
 * so it is the fastest. Elsewhere the status is asked on the beat, with the page's views.
 */
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

/**
 * History charts: the server keeps one sample per 5 s at most, so asking more often gains nothing. On the beat,
 * this is the first beat at least this long (less half a beat) after the last answer: every third view poll.
 */
export const HISTORY_POLL_MS = 10_000;

/**
 * How often at most the shared "now" that all relative times are computed against ticks on its own: it also ticks
 * with every poll round that lands (see `onPollRoundLanded`), in the same commit.
 */
export const NOW_TICK_MS = 5_000;

// One poll → one commit → one frame. Every poll on the beat fires at the same instants (one schedule for the page),
// and the answers of one beat's requests are handed to React together, in one task, so that they render in one
// commit and paint in one frame instead of one each. A page's beat has a random phase, so that many viewers do not
// all ask the server in the same millisecond.

/** The page's beat: instants `BEAT_PHASE_MS + k × VIEW_POLL_MS` (Date.now() time). */
const BEAT_PHASE_MS = Math.floor(Math.random() * VIEW_POLL_MS);

/** A timer due this soon after it is armed is taken for the beat just fired (timers can run a little early). */
const BEAT_MIN_DELAY_MS = 50;

/** A request started this long after a beat is still that beat's (its timer ran late on a busy main thread). */
const BEAT_LATE_MS = 250;

/** The answers of a beat are held at most this long for the slowest of its requests. */
const ROUND_WAIT_MS = 1_000;

/** From `now` to the first beat at or after `at`, and at least BEAT_MIN_DELAY_MS away. */
export function msToBeat(now: number, at: number = now, phase: number = BEAT_PHASE_MS): number {
  const from = Math.max(at, now + BEAT_MIN_DELAY_MS);
  const offset = (((from - phase) % VIEW_POLL_MS) + VIEW_POLL_MS) % VIEW_POLL_MS;
  return from - now + (offset === 0 ? 0 : VIEW_POLL_MS - offset);
}

/** Whether `now` is a beat's instant, or up to BEAT_LATE_MS after it. */
function onBeatNow(now: number): boolean {
  return (((now - BEAT_PHASE_MS) % VIEW_POLL_MS) + VIEW_POLL_MS) % VIEW_POLL_MS < BEAT_LATE_MS;
}

interface AnsweredState {
  state: { dataUpdatedAt: number; errorUpdatedAt: number };
}

type BeatInterval = (query: AnsweredState) => number;

const beatIntervals = new WeakSet<BeatInterval>();

/** Marks a `refetchInterval` as one that asks on the beat. */
function onBeat(interval: BeatInterval): BeatInterval {
  beatIntervals.add(interval);
  return interval;
}

const beatEvery = new Map<number, BeatInterval>();

/**
 * A `refetchInterval` on the page's beat: the first beat at least `everyMs` (less half a beat, for the answer's
 * own latency) after the query's last answer.
 */
export function pollOnBeat(everyMs: number): BeatInterval {
  const made = beatEvery.get(everyMs);
  if (made) return made;
  const interval = onBeat(({ state }) => {
    const now = Date.now();
    const answeredAt = Math.max(state.dataUpdatedAt, state.errorUpdatedAt);
    return msToBeat(now, answeredAt + everyMs - VIEW_POLL_MS / 2);
  });
  beatEvery.set(everyMs, interval);
  return interval;
}

/** The compact views' `refetchInterval`: every beat. */
export const VIEW_POLL = pollOnBeat(VIEW_POLL_MS);

let snapshotFollowers = 0;

/**
 * While a page follows the server's snapshots (it asks again at each new one), the status is asked just after
 * each of the server's reads (`statusPollDelayMs`); otherwise on the beat, with the views. Returns the release.
 */
export function followSnapshots(): () => void {
  snapshotFollowers += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    snapshotFollowers -= 1;
  };
}

/** The status's `refetchInterval`. */
export const STATUS_POLL = onBeat((query) => {
  const status = (query as { state: { data?: Parameters<typeof statusPollDelayMs>[0] } }).state.data;
  if (snapshotFollowers > 0) return statusPollDelayMs(status);
  return msToBeat(Date.now());
});

/** Whether `query` is asked on the beat by one of its observers. */
function polledOnBeat(query: Query): boolean {
  return query.observers.some((observer) => {
    const interval = observer.options.refetchInterval;
    return typeof interval === 'function' && beatIntervals.has(interval as BeatInterval);
  });
}

const landedListeners = new Set<() => void>();

/** Calls `listener` in the task that hands a poll round's answers to React (so, in their commit). */
export function onPollRoundLanded(listener: () => void): () => void {
  landedListeners.add(listener);
  return () => landedListeners.delete(listener);
}

/**
 * The query notifications, coalesced: all those scheduled before the first of them runs are run in one task (the
 * query library's default gives each its own `setTimeout`), and while a beat's requests are under way they wait
 * for the last of them, up to ROUND_WAIT_MS.
 */
function createRoundScheduler() {
  let queue: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const inRound = new Set<Query>();
  let roundCap: ReturnType<typeof setTimeout> | undefined;
  let landed = false;

  const run = () => {
    timer = undefined;
    const callbacks = queue;
    queue = [];
    if (landed) {
      landed = false;
      for (const listener of landedListeners) callbacks.push(listener);
    }
    for (const callback of callbacks) callback();
  };
  const arm = () => {
    if (timer === undefined && inRound.size === 0 && queue.length + (landed ? 1 : 0) > 0)
      timer = setTimeout(run, 0);
  };
  const closeRound = () => {
    clearTimeout(roundCap);
    roundCap = undefined;
    inRound.clear();
    landed = true;
    arm();
  };
  return {
    schedule(callback: () => void) {
      queue.push(callback);
      arm();
    },
    requestStarted(query: Query) {
      if (query.state.data === undefined || !polledOnBeat(query) || !onBeatNow(Date.now())) return;
      if (inRound.size === 0) roundCap = setTimeout(closeRound, ROUND_WAIT_MS);
      inRound.add(query);
    },
    requestEnded(query: Query) {
      if (!inRound.delete(query) || inRound.size > 0) return;
      closeRound();
    },
  };
}

const rounds = createRoundScheduler();
notifyManager.setScheduler(rounds.schedule);

/** Follows `client`'s requests into the beat's rounds. */
export function joinPollRounds(client: QueryClient): () => void {
  return client.getQueryCache().subscribe((event) => {
    if (event.type === 'removed') rounds.requestEnded(event.query);
    if (event.type !== 'updated') return;
    if (event.action.type === 'fetch') rounds.requestStarted(event.query);
    // An answer, a failure, or a cancelled request (its state put back).
    else if (event.query.state.fetchStatus === 'idle') rounds.requestEnded(event.query);
  });
}
