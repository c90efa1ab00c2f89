import type { WindowLine } from './log-window';

/**
 * Merging the logs of several instances of an app into one stream, ordered by time. A line's time is:
 * 1. the timestamp it starts with, when it has one (ISO 8601 / RFC 3339, glog `I1122 07:56:29.858000`,
 *    Go's `2006/01/02 15:04:05`); times without a zone are read as UTC, glog's year is the current one;
 * 2. otherwise the time of the line before it in the same file (a stack trace stays with its message);
 * 3. otherwise, for lines before the file's first timestamp (an executor's preamble), that first timestamp,
 *    so they stay ahead of what the file logs next instead of sorting among lines logged much later;
 * 4. otherwise (a file without any timestamp) when the line reached the viewer (its arrival).
 * Lines with equal times keep the order of the instances, then the order in their file.
 */

const ISO = /^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?/;
const GLOG = /^[IWEF](\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,6})/;
const GO_LOG = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/;

function fraction(digits: string | undefined): number {
  return digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

/** The time (ms since the epoch) a line starts with, or null. */
export function lineTimestamp(text: string, currentYear: number): number | null {
  let match = ISO.exec(text);
  if (match) {
    const [, y, mo, d, h, mi, s, frac, zone] = match;
    const utc = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h),
      Number(mi),
      Number(s),
      fraction(frac),
    );
    return Number.isNaN(utc) ? null : utc - zoneOffsetMs(zone);
  }
  match = GLOG.exec(text);
  if (match) {
    const [, mo, d, h, mi, s, frac] = match;
    return Date.UTC(currentYear, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), fraction(frac));
  }
  match = GO_LOG.exec(text);
  if (match) {
    const [, y, mo, d, h, mi, s, frac] = match;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), fraction(frac));
  }
  return null;
}

interface MergeFeed {
  /** Stable id of the instance (its task id). */
  id: string;
  lines: readonly WindowLine[];
}

interface MergedLine {
  key: string;
  /** Index of the feed (instance) the line comes from. */
  feed: number;
  line: WindowLine;
  time: number;
  /** Where the time came from. */
  source: 'timestamp' | 'previous' | 'next' | 'arrival';
}

/** All feeds' lines in time order; only the last `limit` are kept. */
export function mergeByTime(
  feeds: readonly MergeFeed[],
  options: { limit: number; currentYear: number; plain?: (text: string) => string },
): MergedLine[] {
  const merged: (MergedLine & { order: number })[] = [];
  feeds.forEach((feed, feedIndex) => {
    const stamps = feed.lines.map((line) =>
      lineTimestamp(options.plain ? options.plain(line.t) : line.t, options.currentYear),
    );
    const first = stamps.find((stamp) => stamp !== null) ?? null;
    let previous: number | null = null;
    feed.lines.forEach((line, order) => {
      const stamp = stamps[order] ?? null;
      const source: MergedLine['source'] =
        stamp !== null ? 'timestamp' : previous !== null ? 'previous' : first !== null ? 'next' : 'arrival';
      const time = stamp ?? previous ?? first ?? line.arrivedAt;
      if (stamp !== null) previous = stamp;
      merged.push({ key: `${feed.id}:${line.o}`, feed: feedIndex, line, time, source, order });
    });
  });
  merged.sort((a, b) => a.time - b.time || a.feed - b.feed || a.order - b.order);
  return merged.slice(-options.limit).map(({ order: _order, ...line }) => line);
}
