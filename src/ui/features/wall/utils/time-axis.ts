import { format } from 'date-fns';

const MINUTE = 60_000;
const MIN_SPAN_MS = 5 * MINUTE;
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360].map((minutes) => minutes * MINUTE);

/**
 * Round-time ticks (every 10 min, hour, 4 h...) inside [from, to], at most `maxTicks` of them. Ticks sit on
 * local clock times, as people read a wall clock.
 */
export function timeTicks(from: number, to: number, maxTicks = 6): number[] {
  const span = to - from;
  const step = TICK_STEPS.find((candidate) => span / candidate <= maxTicks) ?? (TICK_STEPS.at(-1) as number);
  const offset = new Date(from).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((from - offset) / step) * step + offset;
  const ticks: number[] = [];
  // A label right at either edge would collide with the y axis or be cut off.
  const margin = span * 0.03;
  for (let t = first; t <= to - margin; t += step) if (t >= from + margin) ticks.push(t);
  return ticks;
}

export function clockTime(ms: number): string {
  return format(ms, 'HH:mm');
}

/**
 * Where the x axis starts: where the data starts when it is younger than the window (five minutes of history fill
 * the chart, not its right twelfth), never less than a few minutes wide.
 */
export function dataStart(windowFrom: number, to: number, times: readonly number[]): number {
  const first = times.find((t) => t >= windowFrom);
  if (first === undefined) return windowFrom;
  return Math.max(windowFrom, Math.min(first, to - MIN_SPAN_MS));
}
