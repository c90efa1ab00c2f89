// Test-only: builders for history samples.
import type { HistorySample } from './history-sample';

export const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);

/** A sample whose every number is derived from `i`, so a test can tell samples apart after a round trip. */
export function sampleAt(i: number, t = T0 + i * 10_000, failures = i): HistorySample {
  return {
    t,
    total: { cpus: 48, gpus: 2, mem: 196_608, disk: 1_000_000 },
    allocated: { cpus: (i % 48) + 0.5, gpus: i % 3, mem: 1_024 * (i % 100), disk: 100 * i },
    running: i % 50,
    failures,
  };
}
