import { isoTime, relativeTime } from '../../../mesos/time';
import { useClockValue } from './time-context';

interface RelativeTimeProps {
  /** Milliseconds since the epoch; `null` renders "-". */
  ms: number | null | undefined;
}

/**
 * A time shown relative to the shared "now" ("5 minutes ago"), with the other form in its tooltip.
 * Clicking any time switches every time on the page between relative and absolute (remembered).
 */
export function RelativeTime({ ms }: RelativeTimeProps) {
  const known = ms !== null && ms !== undefined && Number.isFinite(ms);
  const {
    value: relative,
    absolute,
    toggleAbsolute,
  } = useClockValue((now) => (known ? relativeTime(ms, now) : ''));
  if (!known) return <span className="muted">-</span>;
  const iso = isoTime(ms);
  return (
    <button type="button" className="time-toggle" title={absolute ? relative : iso} onClick={toggleAbsolute}>
      <time dateTime={new Date(ms).toISOString()}>{absolute ? iso : relative}</time>
    </button>
  );
}

/** Mesos times are seconds (floating point); converts them for `<RelativeTime>`. */
export function secondsToMs(seconds: number | null | undefined): number | null {
  return seconds === null || seconds === undefined ? null : seconds * 1000;
}
