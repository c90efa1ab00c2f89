import type { FailurePoint, HistoryPoint, HistoryView, HistoryWindow } from '../schemas/wall';
import type { SampleRing } from './sample-ring';

export const HISTORY_WINDOWS: Readonly<Record<HistoryWindow, number>> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
};

/** Points per chart, whatever the window: enough for a 4K screen, small enough to send every few seconds. */
export const MAX_POINTS = 360;
/** Failure bars per chart; a bar never covers less than a minute. */
export const MAX_FAILURE_BARS = 180;
const MINUTE = 60_000;
/**
 * Samples further apart than this are a gap (mesoscope or the master was down): the failures counted across
 * it are not spread over it, since when they happened is unknown, and its bars stay empty.
 */
export const MAX_SAMPLE_GAP_MS = 5 * MINUTE;

/** What `/api/history` answers of the samples themselves. */
type DownsampledHistory = Pick<
  HistoryView,
  'from' | 'to' | 'stepMs' | 'points' | 'failureStepMs' | 'failures'
>;

/**
 * Buckets the samples of one window into at most MAX_POINTS points (means per bucket, null where there was
 * no sample, so a chart shows the gap) and failure rates per minute. Bucket edges are multiples of the step
 * since the epoch, so a point does not move between two requests.
 */
export function downsample(ring: SampleRing, window: HistoryWindow, now: number): DownsampledHistory {
  const span = HISTORY_WINDOWS[window];
  const stepMs = Math.ceil(span / MAX_POINTS / 1_000) * 1_000;
  const failureStepMs = Math.max(MINUTE, Math.ceil(span / MAX_FAILURE_BARS / MINUTE) * MINUTE);
  const to = (Math.floor(now / stepMs) + 1) * stepMs;
  const from = to - stepMs * MAX_POINTS;
  return {
    from,
    to,
    stepMs,
    points: resourcePoints(ring, from, stepMs),
    failureStepMs,
    failures: failureRates(ring, span, now, failureStepMs),
  };
}

const FIELDS = [
  'cpusTotal',
  'cpusAllocated',
  'memTotal',
  'memAllocated',
  'diskTotal',
  'diskAllocated',
  'gpusTotal',
  'gpusAllocated',
  'running',
] as const;

function resourcePoints(ring: SampleRing, from: number, stepMs: number): HistoryPoint[] {
  const sums = FIELDS.map(() => new Float64Array(MAX_POINTS));
  const counts = new Uint32Array(MAX_POINTS);
  for (let i = 0; i < ring.size; i += 1) {
    const t = ring.timeAt(i);
    const bucket = Math.floor((t - from) / stepMs);
    if (bucket < 0 || bucket >= MAX_POINTS) continue;
    const s = ring.at(i);
    const values = [
      s.total.cpus,
      s.allocated.cpus,
      s.total.mem,
      s.allocated.mem,
      s.total.disk,
      s.allocated.disk,
      s.total.gpus,
      s.allocated.gpus,
      s.running,
    ];
    values.forEach((value, field) => {
      const column = sums[field];
      if (column) column[bucket] = (column[bucket] ?? 0) + value;
    });
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return Array.from({ length: MAX_POINTS }, (_, bucket) => {
    const n = counts[bucket] ?? 0;
    const point: Record<string, number | null> = { t: from + bucket * stepMs };
    FIELDS.forEach((field, f) => {
      point[field] = n === 0 ? null : round((sums[f]?.[bucket] ?? 0) / n, field === 'running' ? 1 : 3);
    });
    return point as unknown as HistoryPoint;
  });
}

/**
 * Failures between two consecutive samples are the growth of the counter (or, when it went down because the
 * master restarted, its new value), spread evenly over the time between the samples. A bar's rate is its
 * failures over the time its samples cover, so the bar still filling up is not understated. Across a gap
 * longer than MAX_SAMPLE_GAP_MS nothing is known, and the bars say so (null).
 */
function failureRates(ring: SampleRing, span: number, now: number, stepMs: number): FailurePoint[] {
  const bars = Math.round(span / stepMs);
  const to = (Math.floor(now / stepMs) + 1) * stepMs;
  const start = to - bars * stepMs;
  const counts = new Float64Array(bars);
  const covered = new Float64Array(bars);
  for (let i = 1; i < ring.size; i += 1) {
    const t0 = ring.timeAt(i - 1);
    const t1 = ring.timeAt(i);
    if (!(t1 > t0) || t1 - t0 > MAX_SAMPLE_GAP_MS || t1 <= start || t0 >= to) continue;
    const before = ring.failuresAt(i - 1);
    const after = ring.failuresAt(i);
    const delta = after >= before ? after - before : after;
    const first = Math.max(0, Math.floor((t0 - start) / stepMs));
    const last = Math.min(bars - 1, Math.floor((t1 - start) / stepMs));
    for (let bar = first; bar <= last; bar += 1) {
      const barStart = start + bar * stepMs;
      const overlap = Math.min(t1, barStart + stepMs) - Math.max(t0, barStart);
      if (overlap <= 0) continue;
      counts[bar] = (counts[bar] ?? 0) + (delta * overlap) / (t1 - t0);
      covered[bar] = (covered[bar] ?? 0) + overlap;
    }
  }
  return Array.from({ length: bars }, (_, bar) => {
    const minutes = (covered[bar] ?? 0) / MINUTE;
    return {
      t: start + bar * stepMs,
      perMinute: minutes > 0 ? round((counts[bar] ?? 0) / minutes, 2) : null,
    };
  });
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
