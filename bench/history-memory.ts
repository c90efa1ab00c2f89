/**
 * `npm run bench -- history-memory [--smoke]`: what a day of cluster history costs. Fills the history with a
 * day of samples (17,280 at one per 5 s; a day at one per 10 s is half of that) and measures the heap and
 * ArrayBuffer growth after a forced GC, the file on disk, and how long a 24 h /api/history answer takes to build.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { HISTORY_CAPACITY, MIN_SAMPLE_SPACING_MS } from '../src/bff/history/cluster-history';
import { ClusterHistory } from '../src/bff/history/cluster-history';
import { RECORD_BYTES } from '../src/bff/history/history-file';
import type { HistorySample } from '../src/bff/history/history-sample';
import { SampleRing } from '../src/bff/history/sample-ring';
import type { Bench, BenchResult } from './bench-table';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const KIB = 1024;

function usedBytes(): number {
  collectGarbage();
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function sample(i: number, t: number): HistorySample {
  return {
    t,
    total: { cpus: 3_200, gpus: 16, mem: 12_800_000, disk: 100_000_000 },
    allocated: { cpus: 1_000 + (i % 900), gpus: i % 16, mem: 4_000_000 + i, disk: 10_000 * (i % 100) },
    running: 5_000 + (i % 300),
    failures: Math.floor(i / 7),
  };
}

export const historyMemoryBench: Bench = {
  name: 'history-memory',
  description: 'memory and disk for 24 h of cluster history, and the cost of a 24 h chart answer',
  async run({ smoke }): Promise<BenchResult> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-history-bench-'));
    try {
      const start = Date.now() - HISTORY_CAPACITY * MIN_SAMPLE_SPACING_MS;
      const before = usedBytes();
      const history = await ClusterHistory.open({ dataDir, key: 'bench' });
      const opened = usedBytes();
      for (let i = 0; i < HISTORY_CAPACITY; i += 1)
        history.record(sample(i, start + i * MIN_SAMPLE_SPACING_MS));
      await history.flush();
      const filled = usedBytes();
      const fileBytes = statSync(path.join(dataDir, 'history-bench.bin')).size;

      const runs = smoke ? 5 : 50;
      const now = start + HISTORY_CAPACITY * MIN_SAMPLE_SPACING_MS;
      history.view('24h', now);
      const t0 = performance.now();
      for (let i = 0; i < runs; i += 1) history.view('24h', now);
      const viewMs = (performance.now() - t0) / runs;
      const answerBytes = Buffer.byteLength(JSON.stringify(history.view('24h', now)));
      await history.close();

      const perSample = SampleRing.BYTES_PER_SAMPLE;
      return {
        title: `History: ${HISTORY_CAPACITY.toLocaleString('en')} samples (24 h at one per ${MIN_SAMPLE_SPACING_MS / 1_000} s)`,
        rows: [
          {
            what: 'memory, by layout',
            'bytes/sample': perSample,
            'per day at 10 s (8,640)': `${((perSample * 8_640) / KIB).toFixed(0)} KiB`,
            'per day at 5 s (17,280)': `${((perSample * HISTORY_CAPACITY) / KIB).toFixed(0)} KiB`,
          },
          {
            what: 'memory, measured (heap + ArrayBuffers after GC)',
            'bytes/sample': Math.round((filled - before) / HISTORY_CAPACITY),
            'per day at 10 s (8,640)': `${((((filled - before) / HISTORY_CAPACITY) * 8_640) / KIB).toFixed(0)} KiB`,
            'per day at 5 s (17,280)': `${((filled - before) / KIB).toFixed(0)} KiB (${((opened - before) / KIB).toFixed(0)} KiB at open)`,
          },
          {
            what: 'disk, measured (after a day, before compaction)',
            'bytes/sample': RECORD_BYTES,
            'per day at 10 s (8,640)': `${((RECORD_BYTES * 8_640) / KIB).toFixed(0)} KiB`,
            'per day at 5 s (17,280)': `${(fileBytes / KIB).toFixed(0)} KiB (at most ${((16 + 2 * HISTORY_CAPACITY * RECORD_BYTES) / KIB).toFixed(0)} KiB)`,
          },
        ],
        notes: [
          `A 24 h /api/history answer (360 points, 180 failure bars) takes ${viewMs.toFixed(2)} ms to build from a full history (mean of ${runs}) and is ${(answerBytes / KIB).toFixed(1)} KiB of JSON before compression; it is cached until the next sample.`,
          'The ring is allocated whole when mesoscope starts, so memory does not grow as the day fills up; the measured delta includes the JS objects of the history itself.',
        ],
      };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
