const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const YEAR = 365 * DAY;
const MONTH = YEAR / 12;

/** [upper bound (exclusive), past text, future text, unit for "N <unit>s" or undefined]. */
const FORMATS: ReadonlyArray<readonly [number, string, string, number | undefined]> = [
  [0.7 * MINUTE, 'just now', 'just now', undefined],
  [1.5 * MINUTE, 'a minute ago', 'in a minute', undefined],
  [60 * MINUTE, 'minutes ago', 'minutes', MINUTE],
  [1.5 * HOUR, 'an hour ago', 'in an hour', undefined],
  [DAY, 'hours ago', 'hours', HOUR],
  [2 * DAY, 'yesterday', 'tomorrow', undefined],
  [7 * DAY, 'days ago', 'days', DAY],
  [1.5 * WEEK, 'a week ago', 'in a week', undefined],
  [MONTH, 'weeks ago', 'weeks', WEEK],
  [1.5 * MONTH, 'a month ago', 'in a month', undefined],
  [YEAR, 'months ago', 'months', MONTH],
  [1.5 * YEAR, 'a year ago', 'in a year', undefined],
  [Infinity, 'years ago', 'years', YEAR],
];

/**
 * The Mesos UI relative date (`relative-date.js`): 'just now', 'a minute ago', '5 minutes ago' ...
 * Future times mirror it: 'in a minute', 'in 5 minutes', 'tomorrow' ...
 */
export function relativeTime(thenMs: number, nowMs: number): string {
  const delta = nowMs - thenMs;
  const future = delta < 0;
  const distance = Math.abs(delta);
  for (const [bound, past, ahead, unit] of FORMATS) {
    if (distance >= bound) continue;
    if (unit === undefined) return future ? ahead : past;
    const count = Math.round(distance / unit);
    return future ? `in ${count} ${ahead}` : `${count} ${past}`;
  }
  return '';
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** `yyyy-MM-ddTHH:mm:ssZ` in UTC, the Mesos UI's long timestamp form. */
export function isoTime(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return '';
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`
  );
}

/** Mesos reports times in (float) seconds; the UI works in ms. */
export function mesosSecondsToMs(seconds: number): number {
  return seconds * 1000;
}

const DURATION_UNITS: ReadonlyArray<[seconds: number, singular: string]> = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/**
 * A duration as people say it, in its two largest units ("7 days", "1 day 6 hours", 5,400 s is "1 hour 30
 * minutes"); under a second, in seconds ("0.5 s").
 */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  if (seconds === 0) return '0 seconds';
  if (seconds < 1) return `${Number(seconds.toFixed(3))} s`;
  const name = (count: number, unit: string) =>
    `${count.toLocaleString('en')} ${unit}${count === 1 ? '' : 's'}`;
  const [bigSize, bigUnit] = DURATION_UNITS.find(([size]) => seconds >= size) ?? [1, 'second'];
  const big = Math.floor(seconds / bigSize);
  const rest = seconds - big * bigSize;
  const smaller = DURATION_UNITS.find(([size]) => size < bigSize && rest >= size);
  if (!smaller) return name(big, bigUnit);
  return `${name(big, bigUnit)} ${name(Math.floor(rest / smaller[0]), smaller[1])}`;
}
