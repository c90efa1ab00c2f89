/**
 * `npm run bench -- wall-soak [--duration=2h] [--smoke]`: the wall display left running in Chromium at a 1 s
 * refresh against one mesoscope (1 s poll) over the embedded local cluster, as on a TV for days. Measures the
 * page's JS heap and DOM node count (after a forced GC) and mesoscope's RSS and heap at the start, every tenth
 * of the run, and at the end. Goal: heap flat within 10 MB and DOM nodes within 5 %.
 *
 * The history starts full (24 h of samples written before mesoscope starts), as on a wall that has run for
 * weeks: otherwise the charts gain points for the first hour and the DOM grows with them by design.
 *
 * `--duration` takes seconds or a unit (`900`, `15m`, `2h`); default 2 h, `--smoke` 30 s. The SPA must be
 * built first (`npm run build`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from '../e2e/chromium-path';
import {
  ClusterHistory,
  HISTORY_CAPACITY,
  MIN_SAMPLE_SPACING_MS,
  remoteClusterKey,
} from '../src/bff/history';
import { startCluster } from '../src/cluster';
import type { Bench, BenchResult } from './bench-table';
import { rssMb } from './proc-usage';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;
const HEAP_GOAL_MB = 10;
const DOM_GOAL = 0.05;

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`--duration: '${text}' is not a duration such as 900, 15m or 2h`);
  const unit = { s: 1, m: 60, h: 3_600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
  return Number(match[1]) * unit * 1_000;
}

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

export const wallSoakBench: Bench = {
  name: 'wall-soak',
  description: 'the wall in Chromium at a 1 s refresh for hours: page heap, DOM nodes and mesoscope RSS',
  async run({ smoke }): Promise<BenchResult> {
    const durationMs = parseDuration(flag('duration') ?? (smoke ? '30s' : '2h'));
    if (!existsSync(path.join(root, 'dist/ui/index.html'))) {
      throw new Error('the SPA is not built: run `npm run build` first');
    }
    const executablePath = resolveChromium();
    if (!executablePath) throw new Error('no Chromium found (see docs/testing.md)');

    const cluster = await startCluster({ agents: 3 });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-soak-'));
    await fillHistory(dataDir, cluster.masterUrl);
    let bff: BffProcess | null = null;
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      bff = await startBff(cluster.masterUrl, dataDir);
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      let wallAnswers = 0;
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/api/wall') wallAnswers += 1;
      });
      await page.goto(`${bff.baseUrl}/wall?refresh=1`);
      // Any word will do (the filled history has failures, so it is not "Healthy"): the tile has its data.
      await page.getByTestId('tile-health').locator('.wall-health').waitFor({ timeout: 30_000 });

      const warmUpMs = smoke ? 5_000 : 60_000;
      await page.waitForTimeout(warmUpMs);
      const { child, baseUrl: url } = bff;
      const measure = async (label: string, elapsedMs: number) => ({
        at: label,
        minutes: Math.round(elapsedMs / 600) / 100,
        ...(await pageFigures(page)),
        'mesoscope RSS MB': round(rssMb(child.pid ?? 0), 1),
        'mesoscope heap MB': round((await heapUsedBytes(url)) / MB, 1),
      });

      const rows: Array<Awaited<ReturnType<typeof measure>>> = [];
      const started = Date.now();
      rows.push(await measure('start', 0));
      const every = durationMs / 10;
      for (let i = 1; i <= 10; i += 1) {
        await page.waitForTimeout(Math.max(0, started + i * every - Date.now()));
        rows.push(await measure(i === 10 ? 'end' : `${i * 10}%`, Date.now() - started));
      }
      const first = rows[0];
      const last = rows.at(-1);
      if (!first || !last) throw new Error('no measurements');
      const heapDelta = last['JS heap MB'] - first['JS heap MB'];
      const domDelta = (last['DOM nodes'] - first['DOM nodes']) / first['DOM nodes'];
      const rss = rows.map((row) => row['mesoscope RSS MB']);
      const seconds = (Date.now() - started) / 1_000;
      return {
        title: `Wall soak: /wall?refresh=1 in Chromium for ${formatDuration(durationMs)} (after ${warmUpMs / 1_000} s warm-up)`,
        rows,
        notes: [
          `JS heap ${signed(heapDelta)} MB start→end (goal: within ${HEAP_GOAL_MB} MB): ${Math.abs(heapDelta) <= HEAP_GOAL_MB ? 'met' : 'NOT met'}.`,
          `DOM nodes ${signed(domDelta * 100)} % start→end (goal: within ${DOM_GOAL * 100} %): ${Math.abs(domDelta) <= DOM_GOAL ? 'met' : 'NOT met'}.`,
          `mesoscope RSS: ${first['mesoscope RSS MB']} MB at start, ${last['mesoscope RSS MB']} MB at end, ${Math.max(...rss)} MB at most; heap used (from its /metrics) ${first['mesoscope heap MB']} → ${last['mesoscope heap MB']} MB.`,
          `${wallAnswers} /api/wall answers (${round(wallAnswers / (seconds + warmUpMs / 1_000), 2)}/s); page errors: ${problems.length === 0 ? 'none' : problems.slice(0, 3).join(' | ')}.`,
          'Heap and DOM nodes are read after a forced garbage collection (CDP HeapProfiler.collectGarbage); listeners (JSEventListeners) from CDP Performance.getMetrics.',
        ],
      };
    } finally {
      await browser.close();
      await bff?.stop();
      await cluster.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

/** 24 h of samples ending now, one per 5 s, with a failure every 20 s, in the file the BFF will open. */
async function fillHistory(dataDir: string, masterUrl: string): Promise<void> {
  const history = await ClusterHistory.open({
    dataDir,
    key: remoteClusterKey([masterUrl], 'mesoscope-local'),
  });
  const start = Date.now() - HISTORY_CAPACITY * MIN_SAMPLE_SPACING_MS;
  for (let i = 0; i < HISTORY_CAPACITY; i += 1) {
    history.record({
      t: start + i * MIN_SAMPLE_SPACING_MS,
      total: { cpus: 12, gpus: 0, mem: 24_576, disk: 60_000 },
      allocated: { cpus: 1 + (i % 7) / 2, gpus: 0, mem: 1_024 + (i % 13) * 64, disk: 300 },
      running: 10 + (i % 5),
      failures: Math.floor(i / 4),
    });
  }
  await history.close();
}

/** mesoscope's own V8 heap in use, from its Prometheus endpoint. */
async function heapUsedBytes(baseUrl: string): Promise<number> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    return Number(/^mesoscope_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

async function pageFigures(
  page: Page,
): Promise<{ 'JS heap MB': number; 'DOM nodes': number; 'of which SVG': number; 'JS listeners': number }> {
  const session = await page.context().newCDPSession(page);
  try {
    // Twice: the first pass can leave garbage that only becomes collectable after it (weak references).
    await session.send('HeapProfiler.collectGarbage');
    await session.send('HeapProfiler.collectGarbage');
    await session.send('Performance.enable');
    const { metrics } = await session.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? 0;
    const nodes = await page.evaluate(() => ({
      all: document.getElementsByTagName('*').length,
      svg: document.querySelectorAll('svg, svg *').length,
    }));
    return {
      'JS heap MB': round(metric('JSHeapUsedSize') / MB, 2),
      'DOM nodes': nodes.all,
      'of which SVG': nodes.svg,
      'JS listeners': metric('JSEventListeners'),
    };
  } finally {
    await session.detach();
  }
}

function startBff(masterUrl: string, dataDir: string): Promise<BffProcess> {
  return startBffProcess(['--master', masterUrl, '--poll-interval', '1000', '--data-dir', dataDir], {
    env: { NODE_ENV: 'production' },
    output: 'stderr',
    timeoutMs: 60_000,
  });
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function signed(value: number): string {
  const text = round(value, 2).toString();
  return value >= 0 ? `+${text}` : text;
}

function formatDuration(ms: number): string {
  if (ms >= 3_600_000) return `${round(ms / 3_600_000, 2)} h`;
  if (ms >= 60_000) return `${round(ms / 60_000, 2)} min`;
  return `${round(ms / 1_000, 1)} s`;
}
