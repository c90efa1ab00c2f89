import { z } from 'zod';
import { makeParser } from './parse';
import { FlagsSchema } from './master-state';
import type { MetricsSnapshot } from './metrics';
import { formatBytes, formatDecimal } from './resources';

/**
 * Reading `/metrics/snapshot` for people: keys grouped by their first path segment (`master`, `allocator`,
 * `system`, `slave`...), values formatted by what their name says they are.
 */
interface MetricGroup {
  prefix: string;
  metrics: Array<{ key: string; value: number }>;
}

/** Groups metric keys by prefix (text before the first `/`), groups and keys in alphabetical order. */
export function groupMetrics(snapshot: MetricsSnapshot, filter = ''): MetricGroup[] {
  const needle = filter.trim().toLowerCase();
  const groups = new Map<string, MetricGroup>();
  for (const key of Object.keys(snapshot).sort()) {
    if (needle && !key.toLowerCase().includes(needle)) continue;
    const slash = key.indexOf('/');
    const prefix = slash === -1 ? key : key.slice(0, slash);
    let group = groups.get(prefix);
    if (!group) {
      group = { prefix, metrics: [] };
      groups.set(prefix, group);
    }
    group.metrics.push({ key, value: snapshot[key] as number });
  }
  return [...groups.values()].sort((a, b) => a.prefix.localeCompare(b.prefix));
}

const MB = 1024 * 1024;
const TIMER_SUFFIX = /\/(count|max|min|p\d+)$/;

function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  const parts = [days && `${days}d`, hours && `${hours}h`, minutes && `${minutes}m`, `${s % 60}s`];
  return parts.filter(Boolean).slice(0, 3).join(' ');
}

/**
 * A metric value as its key describes it: `*_bytes` as a data size, master/agent `mem_*`/`disk_*` totals
 * (MB) as a data size, `*_percent` (a 0..1 ratio) as % with 2 decimals, `*_secs` as a duration, `*_ms` timers as ms,
 * `/count` and counters as integers; anything else with at most 4 decimals.
 * @example formatMetric('master/mem_total', 5480) // '5 GB'
 */
export function formatMetric(key: string, value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const base = key.replace(TIMER_SUFFIX, '');
  const name = base.slice(base.lastIndexOf('/') + 1);
  if (key.endsWith('/count')) return Math.round(value).toLocaleString('en-US');
  if (name.endsWith('_bytes')) return formatBytes(value);
  if (/^(mem|disk)(_revocable)?_(total|used)$/.test(name)) return formatBytes(value * MB);
  if (name.endsWith('_percent')) return `${Number.parseFloat((value * 100).toFixed(2))} %`;
  if (name.endsWith('_secs')) return formatDuration(value);
  if (name.endsWith('_ms')) return `${formatDecimal(value)} ms`;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return formatDecimal(value);
}

/** `GET /master/flags` and `GET /slave(1)/flags`: `{flags: {name: value}}`. */
const FlagsResponseSchema = z.looseObject({ flags: FlagsSchema.default({}) });
/** Parses a flags reply; throws `MesosParseError`. */
export const parseFlagsResponse = makeParser(FlagsResponseSchema, 'flags');
