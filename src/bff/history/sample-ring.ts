import type { HistorySample } from './history-sample';

/**
 * A fixed-capacity ring of samples, stored by column in typed arrays: 8 bytes of time, 8 × 4 bytes of
 * resources and 2 × 4 bytes of counters, so 48 bytes a sample, allocated once. When full, each push
 * overwrites the oldest sample. Index 0 is always the oldest sample held.
 */
export class SampleRing {
  static readonly BYTES_PER_SAMPLE = 8 + 8 * 4 + 2 * 4;

  private readonly time: Float64Array;
  /** Per sample: total cpus, gpus, mem, disk, then allocated cpus, gpus, mem, disk. */
  private readonly resources: Float32Array;
  private readonly running: Uint32Array;
  private readonly failures: Uint32Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`bad ring capacity ${capacity}`);
    this.time = new Float64Array(capacity);
    this.resources = new Float32Array(capacity * 8);
    this.running = new Uint32Array(capacity);
    this.failures = new Uint32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the columns, whatever the fill. */
  get byteLength(): number {
    return this.capacity * SampleRing.BYTES_PER_SAMPLE;
  }

  push(sample: HistorySample): void {
    let slot: number;
    if (this.count < this.capacity) {
      slot = (this.start + this.count) % this.capacity;
      this.count += 1;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.time[slot] = sample.t;
    const r = slot * 8;
    const { total, allocated } = sample;
    this.resources[r] = total.cpus;
    this.resources[r + 1] = total.gpus;
    this.resources[r + 2] = total.mem;
    this.resources[r + 3] = total.disk;
    this.resources[r + 4] = allocated.cpus;
    this.resources[r + 5] = allocated.gpus;
    this.resources[r + 6] = allocated.mem;
    this.resources[r + 7] = allocated.disk;
    this.running[slot] = clampCounter(sample.running);
    this.failures[slot] = clampCounter(sample.failures);
  }

  /** Forgets every sample (the memory stays allocated). */
  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** Time (ms) of the i-th oldest sample; no allocation, for scans. */
  timeAt(index: number): number {
    return this.time[this.slot(index)] ?? 0;
  }

  /** Failure counter of the i-th oldest sample. */
  failuresAt(index: number): number {
    return this.failures[this.slot(index)] ?? 0;
  }

  /** The i-th oldest sample, 0 ≤ index < size. */
  at(index: number): HistorySample {
    const slot = this.slot(index);
    const r = slot * 8;
    const v = this.resources;
    return {
      t: this.time[slot] ?? 0,
      total: { cpus: v[r] ?? 0, gpus: v[r + 1] ?? 0, mem: v[r + 2] ?? 0, disk: v[r + 3] ?? 0 },
      allocated: { cpus: v[r + 4] ?? 0, gpus: v[r + 5] ?? 0, mem: v[r + 6] ?? 0, disk: v[r + 7] ?? 0 },
      running: this.running[slot] ?? 0,
      failures: this.failures[slot] ?? 0,
    };
  }

  latest(): HistorySample | null {
    return this.count === 0 ? null : this.at(this.count - 1);
  }

  /** Oldest first. */
  toArray(): HistorySample[] {
    return Array.from({ length: this.count }, (_, index) => this.at(index));
  }

  private slot(index: number): number {
    if (index < 0 || index >= this.count) throw new RangeError(`index ${index} outside 0..${this.count - 1}`);
    return (this.start + index) % this.capacity;
  }
}

function clampCounter(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(Math.round(value), 0xffff_ffff);
}
