import type { ResourceKind } from '../../../components/resources/format';

/** What a value axis counts: a resource (mem and disk in MB, as Mesos reports them) or plain counts. */
export type AxisKind = ResourceKind | 'count';

interface ValueAxis {
  /** Ticks from 0 up to the first round value at or above the data's maximum; the last one is the domain's top. */
  ticks: number[];
  label: (value: number) => string;
}

const MB_PER_UNIT: readonly (readonly [string, number])[] = [
  ['PB', 1024 ** 3],
  ['TB', 1024 ** 2],
  ['GB', 1024],
  ['MB', 1],
];

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 2 });
const plain = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / magnitude;
  const nice = [1, 2, 2.5, 5, 10].find((candidate) => fraction <= candidate * (1 + 1e-9)) ?? 10;
  return nice * magnitude;
}

/**
 * Ticks in round steps of the unit a person reads (20 TB, not 19.5 TB; 10K tasks, not 9,841), at most `maxTicks`
 * intervals, so no axis ends on an odd number. Counts and GPUs step by whole numbers.
 */
export function valueAxis(kind: AxisKind, max: number, maxTicks = 4): ValueAxis {
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  if (kind === 'mem' || kind === 'disk') {
    const [unit, size] =
      MB_PER_UNIT.find(([, mb]) => top >= mb) ?? (MB_PER_UNIT.at(-1) as readonly [string, number]);
    const step = niceStep(top / size / maxTicks || 1) * size;
    return {
      ticks: stepsUpTo(top, step),
      label: (value) => (value === 0 ? '0' : `${plain.format(value / size)} ${unit}`),
    };
  }
  const whole = kind === 'count' || kind === 'gpus';
  const rough = top / maxTicks;
  const step = whole ? Math.max(1, niceStep(rough)) : niceStep(rough || 1);
  return {
    ticks: stepsUpTo(top, step),
    label: (value) => (Math.abs(value) >= 1_000 ? compact.format(value) : plain.format(value)),
  };
}

/**
 * The width (px) a value axis needs: tick line (6) + gap (2) + its longest label in a proportional font, whose
 * widest glyphs ("M", "B") run ~0.68 em. Estimated rather than measured in the DOM, which every update would pay.
 */
export function axisWidthPx(labels: readonly string[], labelPx: number): number {
  const chars = Math.max(...labels.map((label) => label.length), 1);
  return Math.ceil(chars * labelPx * 0.68 + 8 + labelPx * 0.5);
}

function stepsUpTo(max: number, step: number): number[] {
  const count = Math.max(1, Math.ceil(max / step - 1e-9));
  // Multiplying, not adding, keeps 0.1-steps free of float drift (0.30000000000000004).
  return Array.from({ length: count + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}
