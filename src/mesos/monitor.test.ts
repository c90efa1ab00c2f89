import { describe, expect, it } from 'vitest';
import { executorUsage, parseMonitorStatistics, sumUsage } from './monitor';
import { rawFixture, type Raw } from './test-fixtures';

const MB = 1024 * 1024;
const FIXTURE = 'v0.19-mesos-cli/agent-monitor-statistics.json';

/** The same executors a few seconds earlier, having used `spent` CPU seconds less. */
function earlierSample(raw: Raw[], seconds: number, spent: (index: number) => number): Raw[] {
  return raw.map((entry, index) => ({
    ...entry,
    statistics: {
      ...entry.statistics,
      timestamp: entry.statistics.timestamp - seconds,
      cpus_user_time_secs: entry.statistics.cpus_user_time_secs - spent(index),
    },
  }));
}

describe('executorUsage', () => {
  it('has no CPU rate from one sample, but memory straight from it', () => {
    const raw: Raw[] = rawFixture(FIXTURE);
    const usage = executorUsage(null, parseMonitorStatistics(raw));
    expect(usage.map((u) => u.executorId)).toEqual(raw.map((e) => e.executor_id));
    for (const [index, entry] of raw.entries()) {
      expect(usage[index]?.cpus).toBeNull();
      expect(usage[index]?.memRssBytes).toBe(entry.statistics.mem_rss_bytes);
      expect(usage[index]?.cpusLimit).toBe(entry.statistics.cpus_limit);
    }
  });

  it('computes CPUs as Δ(user + system) / Δtime between two samples', () => {
    const raw: Raw[] = rawFixture(FIXTURE);
    const previous = earlierSample(raw, 2, (index) => 0.1 * (index + 1));
    const usage = executorUsage(parseMonitorStatistics(previous), parseMonitorStatistics(raw));
    raw.forEach((_, index) => {
      expect(usage[index]?.cpus).toBeCloseTo((0.1 * (index + 1)) / 2, 9);
    });
  });

  it('leaves an executor without an earlier sample, or a sample not older, without a rate', () => {
    const raw: Raw[] = rawFixture(FIXTURE);
    const onlyFirst = earlierSample(raw.slice(0, 1), 1, () => 0.5);
    const usage = executorUsage(parseMonitorStatistics(onlyFirst), parseMonitorStatistics(raw));
    expect(usage[0]?.cpus).toBeCloseTo(0.5, 9);
    expect(usage[1]?.cpus).toBeNull();
    const same = executorUsage(parseMonitorStatistics(raw), parseMonitorStatistics(raw));
    expect(same.every((u) => u.cpus === null)).toBe(true);
  });
});

describe('sumUsage', () => {
  it('sums memory in MB over executors and stays null where nothing is reported', () => {
    const raw: Raw[] = rawFixture('mesos-docs/endpoint-help/agent-monitor-statistics.json');
    const total = sumUsage(executorUsage(null, parseMonitorStatistics(raw)));
    const rss = raw.reduce((sum, entry) => sum + entry.statistics.mem_rss_bytes, 0);
    expect(total.mem).toBeCloseTo(rss / MB, 9);
    expect(total.cpus).toBeNull();
    expect(total.disk).toBeNull();
    expect(sumUsage([])).toEqual({ cpus: null, mem: null, disk: null });
  });
});
