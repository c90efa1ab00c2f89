import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../../mesos';
import { rawFixture } from '../../mesos/test-fixtures';
import { buildSnapshot } from '../model/cluster-snapshot';
import { downsample, MAX_FAILURE_BARS, MAX_POINTS, MAX_SAMPLE_GAP_MS } from './downsample';
import { sampleFromSnapshot } from './history-sample';
import { SampleRing } from './sample-ring';
import { sampleAt, T0 } from './test-samples';

const MINUTE = 60_000;

function ringOf(samples: ReturnType<typeof sampleAt>[], capacity = 20_000): SampleRing {
  const ring = new SampleRing(capacity);
  samples.forEach((sample) => ring.push(sample));
  return ring;
}

describe('downsample', () => {
  it('gives a bounded, fixed number of aligned points for every window', () => {
    const ring = ringOf(Array.from({ length: 17_280 }, (_, i) => sampleAt(i, T0 + i * 5_000)));
    const now = T0 + 17_280 * 5_000;
    for (const [window, step] of [
      ['1h', 10_000],
      ['6h', 60_000],
      ['24h', 240_000],
    ] as const) {
      const result = downsample(ring, window, now);
      expect(result.points).toHaveLength(MAX_POINTS);
      expect(result.failures.length).toBeLessThanOrEqual(MAX_FAILURE_BARS);
      expect(result.stepMs).toBe(step);
      expect(result.from % step).toBe(0);
      expect(result.to).toBeGreaterThan(now);
      expect(result.to - result.from).toBe(MAX_POINTS * step);
      expect(result.failureStepMs % MINUTE).toBe(0);
    }
  });

  it('averages the samples of a bucket', () => {
    const t = T0 - (T0 % 10_000);
    const a = { ...sampleAt(1, t + 1_000), running: 4 };
    const b = { ...sampleAt(2, t + 6_000), running: 7 };
    const { points } = downsample(ringOf([a, b]), '1h', t + 9_000);
    const last = points.at(-1);
    expect(last?.t).toBe(t);
    expect(last?.running).toBe(5.5);
    expect(last?.cpusAllocated).toBe((a.allocated.cpus + b.allocated.cpus) / 2);
    expect(last?.memTotal).toBe(196_608);
  });

  it('leaves gaps as nulls where no sample was taken (mesoscope down, master unreachable)', () => {
    const early = Array.from({ length: 30 }, (_, i) => sampleAt(i, T0 + i * 10_000));
    const late = Array.from({ length: 30 }, (_, i) => sampleAt(100 + i, T0 + 1_800_000 + i * 10_000));
    const { points } = downsample(ringOf([...early, ...late]), '1h', T0 + 2_100_000);
    const filled = points.filter((p) => p.cpusTotal !== null);
    expect(filled).toHaveLength(60);
    const gap = points.filter((p) => p.t > T0 + 300_000 && p.t < T0 + 1_790_000);
    expect(gap.length).toBeGreaterThan(100);
    expect(gap.every((p) => p.cpusAllocated === null && p.running === null)).toBe(true);
  });

  it('turns the failure counter into failures per minute, reading a drop as a master restart', () => {
    const start = T0 - (T0 % MINUTE);
    // 10 s apart: 6 failures in the first minute, none in the second, then the counter restarts at 3.
    const counts = [0, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 6, 3];
    const ring = ringOf(counts.map((failures, i) => sampleAt(i, start + i * 10_000, failures)));
    const { failures, failureStepMs } = downsample(ring, '1h', start + 130_000);
    expect(failureStepMs).toBe(MINUTE);
    const byStart = new Map(failures.map((bar) => [bar.t, bar.perMinute]));
    expect(byStart.get(start)).toBe(6);
    expect(byStart.get(start + MINUTE)).toBe(0);
    // The drop to 3 counts as 3 failures over the 10 s the last pair covers: 18 per minute.
    expect(byStart.get(start + 2 * MINUTE)).toBe(18);
    expect(byStart.get(start - MINUTE)).toBeNull();
  });

  it('spreads failures between samples a few minutes apart instead of piling them into one bar', () => {
    const start = T0 - (T0 % MINUTE);
    const ring = ringOf([sampleAt(0, start, 0), sampleAt(1, start + 4 * MINUTE, 20)]);
    const { failures } = downsample(ring, '1h', start + 4 * MINUTE);
    const covered = failures.filter((bar) => bar.perMinute !== null);
    expect(covered).toHaveLength(4);
    expect(covered.every((bar) => bar.perMinute === 5)).toBe(true);
  });

  it('leaves a long gap unknown rather than claiming how many failures it held', () => {
    const start = T0 - (T0 % MINUTE);
    const before = [0, 1, 2].map((i) => sampleAt(i, start + i * 10_000, i));
    const after = [0, 1, 2].map((i) =>
      sampleAt(10 + i, start + (MAX_SAMPLE_GAP_MS + MINUTE) + i * 10_000, 50 + i),
    );
    const { failures } = downsample(ringOf([...before, ...after]), '1h', start + 20 * MINUTE);
    const gapBars = failures.filter((bar) => bar.t > start && bar.t < start + MAX_SAMPLE_GAP_MS);
    expect(gapBars.length).toBeGreaterThan(3);
    expect(gapBars.every((bar) => bar.perMinute === null)).toBe(true);
    expect(failures.find((bar) => bar.t === start)?.perMinute).toBe(2 * 3);
  });

  it('charts 30 real one-a-minute cluster snapshots as 30 points with their allocation', () => {
    const snapshots = rawFixture('summaries/history-30-snapshots-1-agent.json') as Array<
      Record<string, unknown>
    >;
    const start = T0 - (T0 % MINUTE);
    const ring = ringOf(
      snapshots.map((summary, i) =>
        sampleFromSnapshot(
          buildSnapshot({
            version: i + 1,
            fetchedAt: start + i * MINUTE,
            leaderUrl: 'http://172.17.8.101:5050',
            state: parseMasterState({
              version: '0.24.0',
              id: 'm',
              pid: 'master@172.17.8.101:5050',
              ...summary,
            }),
            metrics: null,
          }),
        ),
      ),
    );
    const { points } = downsample(ring, '1h', start + 30 * MINUTE);
    const filled = points.filter((p) => p.cpusTotal !== null);
    expect(filled).toHaveLength(30);
    const agent = (snapshots[0] as { slaves: Array<{ resources: { cpus: number; mem: number } }> }).slaves[0];
    expect(filled.every((p) => p.cpusTotal === agent?.resources.cpus)).toBe(true);
    expect(filled.every((p) => p.memTotal === agent?.resources.mem)).toBe(true);
    expect(filled[0]?.cpusAllocated).toBeCloseTo(0.1, 5);
  });
});
