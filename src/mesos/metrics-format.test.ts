import { describe, expect, it } from 'vitest';
import { formatMetric, groupMetrics, parseFlagsResponse } from './metrics-format';
import { parseMetricsSnapshot } from './metrics';
import { fixture, rawFixture } from './test-fixtures';

const SNAPSHOTS = [
  'v0.27.1-capgemini/metrics-snapshot.json',
  'v0.22.0-datadog/master-metrics-snapshot.json',
  'v0.22.0-datadog/agent-metrics-snapshot.json',
];

describe.each(SNAPSHOTS)('metrics of %s', (name) => {
  it('groups every key under its prefix, once', () => {
    const raw = rawFixture(name) as Record<string, unknown>;
    const numeric = Object.keys(raw).filter((key) => typeof raw[key] === 'number');
    const groups = groupMetrics(parseMetricsSnapshot(fixture(name)));
    const keys = groups.flatMap((group) => group.metrics.map((metric) => metric.key));
    expect(keys.sort()).toEqual(numeric.sort());
    for (const group of groups) {
      expect(group.metrics.every((m) => m.key === group.prefix || m.key.startsWith(`${group.prefix}/`))).toBe(
        true,
      );
    }
  });

  it('filters keys by text, ignoring case', () => {
    const snapshot = parseMetricsSnapshot(fixture(name));
    const raw = rawFixture(name) as Record<string, unknown>;
    const expected = Object.keys(raw).filter((key) => typeof raw[key] === 'number' && key.includes('tasks_'));
    const found = groupMetrics(snapshot, 'TASKS_').flatMap((g) => g.metrics.map((m) => m.key));
    expect(found.sort()).toEqual(expected.sort());
  });
});

describe('metric values', () => {
  it('formats by what the key says', () => {
    expect(formatMetric('master/mem_total', 5480)).toBe('5.4 GB');
    expect(formatMetric('master/disk_used', 0)).toBe('0 B');
    expect(formatMetric('system/mem_free_bytes', 2672201728)).toBe('2.5 GB');
    expect(formatMetric('master/cpus_percent', 0.125)).toBe('12.5 %');
    expect(formatMetric('master/mem_percent', 0.0934306569343066)).toBe('9.34 %');
    expect(formatMetric('master/uptime_secs', 345.8)).toBe('5m 45s');
    expect(formatMetric('master/uptime_secs', 90061)).toBe('1d 1h 1m');
    expect(formatMetric('registrar/state_store_ms/p99', 56.29474304)).toBe('56.2947 ms');
    expect(formatMetric('registrar/state_store_ms/count', 3)).toBe('3');
    expect(formatMetric('master/messages_decline_offers', 17123)).toBe('17,123');
    expect(formatMetric('system/load_1min', 0.14)).toBe('0.14');
  });
});

describe('flags', () => {
  it('reads flags replies, coercing odd values to strings', () => {
    expect(parseFlagsResponse({ flags: { port: '5050', quiet: false } }).flags).toEqual({
      port: '5050',
      quiet: 'false',
    });
    expect(parseFlagsResponse({}).flags).toEqual({});
    expect(() => parseFlagsResponse({ flags: 'no' })).toThrow(/Invalid flags/);
  });
});
