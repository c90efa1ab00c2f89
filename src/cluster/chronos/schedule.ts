/**
 * Chronos's ISO 8601 repeating intervals (`Iso8601Expressions.scala`): `R[n]/<start>/<period>`, e.g.
 * `R/2026-12-02T10:00:00Z/PT20S` (forever), `R5/.../P1D` (five more runs), `R0/...` (never on its own). An empty
 * start means now. A start without an offset is read in `scheduleTimeZone` (an IANA zone name) when one is given,
 * else as UTC; with a zone, Chronos keeps the fields and moves them into that zone.
 */

export interface Period {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export interface Schedule {
  /** -1: forever. */
  repetitions: number;
  /** Epoch milliseconds of the first run. */
  start: number;
  period: Period;
}

const EXPRESSION = /^(R[0-9]*)\/(.*)\/(P.*)$/;
const PERIOD =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** A schedule that does not parse, with the reason. */
export class ScheduleError extends Error {}

export function parsePeriod(text: string): Period {
  const match = PERIOD.exec(text);
  if (!match || text === 'P' || text.endsWith('T'))
    throw new ScheduleError(`'${text}' is not an ISO 8601 period such as PT20S, PT1H or P1D`);
  const number = (i: number) => Number((match[i] ?? '0').replace(',', '.'));
  const period = {
    years: number(1),
    months: number(2),
    weeks: number(3),
    days: number(4),
    hours: number(5),
    minutes: number(6),
    seconds: number(7),
  };
  if (Object.values(period).every((value) => value === 0))
    throw new ScheduleError(`the period '${text}' is empty: a job cannot repeat every 0 seconds`);
  return period;
}

/** The offset of an IANA zone at an instant, in minutes east of UTC. */
function zoneOffsetMinutes(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const local = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseStart(text: string, zone: string): number {
  const match = DATE_TIME.exec(text);
  if (!match)
    throw new ScheduleError(
      `the start '${text}' is not an ISO 8601 date and time such as 2026-12-02T10:00:00Z`,
    );
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const fields = [
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
  ] as const;
  const ms = Number((fraction ?? '0').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(...fields, ms);
  const check = new Date(utc);
  if (
    check.getUTCMonth() !== fields[1] ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  )
    throw new ScheduleError(`the start '${text}' is not a real date and time`);
  if (zone) return utc - zoneOffsetMinutes(zone, utc) * 60_000;
  if (!offset || offset === 'Z') return utc;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
}

/** Parses a schedule; throws {@link ScheduleError} saying what is wrong. */
export function parseSchedule(text: string, timeZone = '', now = Date.now()): Schedule {
  const match = EXPRESSION.exec(text);
  if (!match)
    throw new ScheduleError(
      `Cannot parse schedule '${text}': expected R[n]/<start>/<period>, e.g. R/2026-12-02T10:00:00Z/PT20S`,
    );
  if (timeZone && !isTimeZone(timeZone)) throw new ScheduleError(`Unknown scheduleTimeZone '${timeZone}'`);
  const [, repeat, startText, periodText] = match as unknown as [string, string, string, string];
  const repetitions = repeat.length === 1 ? -1 : Number(repeat.slice(1));
  if (!Number.isSafeInteger(repetitions))
    throw new ScheduleError(`Cannot parse schedule '${text}': '${repeat}' is too large`);
  try {
    const start = startText === '' ? now - 1000 : parseStart(startText, timeZone);
    if (start < 1000) throw new ScheduleError(`Scheduled start date '${startText}' is before 1970!`);
    return { repetitions, start, period: parsePeriod(periodText) };
  } catch (error) {
    if (error instanceof ScheduleError)
      throw new ScheduleError(`Cannot parse schedule '${text}': ${error.message}`);
    throw error;
  }
}

/** `at` plus one period, calendar fields in UTC; as Joda does, a month step ends at the last day of a short month. */
export function addPeriod(at: number, period: Period): number {
  const date = new Date(at);
  const months = date.getUTCMonth() + period.months + period.years * 12;
  const year = date.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  date.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  const seconds =
    (period.weeks * 7 + period.days) * 86_400 + period.hours * 3600 + period.minutes * 60 + period.seconds;
  return date.getTime() + seconds * 1000;
}
