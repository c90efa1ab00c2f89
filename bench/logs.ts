/**
 * `npm run bench -- logs [--smoke]`: the file viewer on a 1 GB stdout and on a file written at 5 MB/s, in
 * Chromium, against mesoscope (a separate process, as deployed) over the embedded local cluster.
 *
 * 1. Opening the tail of a 1 GB stdout: time from the navigation to the first lines painted, for mesoscope's
 *    viewer and for the Mesos pailer's HTTP sequence measured the same way in the same page (a size probe with
 *    `offset=-1`, then a read of the last 32 KiB through /files/read, rendered into a <pre>).
 * 2. Following a file written at 5 MB/s for 60 s (numbered 100-byte lines carrying their write time): the lag
 *    between a line's write and its display, every line checked by content (each page the viewer receives
 *    must continue the one before: no line lost, none twice, every line at its own byte offset; and every line
 *    on screen at the offset its number says), and the page's JS heap at the start and the end.
 * 3. Whole-file search over the 1 GB file: time to the first and to the last match (two matching lines, near
 *    the start and near the end), through /api/files/search.
 *
 * The 1 GB file is written into a task's sandbox at the start (a repeated 1 MiB block) and deleted at the end.
 * `--smoke`: 64 MB, 10 s of following, fewer runs. The SPA must be built first (`npm run build`).
 */
import { closeSync, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from '../e2e/chromium-path';
import type { SearchEvent } from '../src/bff/schemas/files';
import { startCluster } from '../src/cluster';
import type { Bench, BenchResult } from './bench-table';
import { cpuSeconds } from './proc-usage';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
const LINE_BYTES = 100;
const NEEDLE = 'NEEDLE-7f3a';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** A 1 MiB block of 100-byte lines; `needle` puts the search needle in its middle line. */
function block(needle: boolean): Buffer {
  const lines: string[] = [];
  const count = Math.floor(MiB / LINE_BYTES);
  for (let i = 0; i < count; i += 1) {
    const text =
      needle && i === Math.floor(count / 2) ? `${NEEDLE} here` : `filler line ${i} of a repeated block`;
    lines.push(`${text.padEnd(LINE_BYTES - 1, '.')}\n`);
  }
  const bytes = Buffer.from(lines.join(''));
  return Buffer.concat([bytes, Buffer.from(`${'.'.repeat(MiB - bytes.length - 1)}\n`)]);
}

/** Writes `sizeMiB` MiB: the needle in the second block and in the second-to-last one. */
function writeHugeFile(file: string, sizeMiB: number): void {
  const plain = block(false);
  const withNeedle = block(true);
  const fd = openSync(file, 'a');
  try {
    for (let i = 0; i < sizeMiB; i += 1) writeSync(fd, i === 1 || i === sizeMiB - 2 ? withNeedle : plain);
  } finally {
    closeSync(fd);
  }
}

/** Line `seq` of the followed file: exactly 100 bytes, `<seq> <write time ms> ...`. */
function followLine(seq: number, now: number): string {
  return (
    `${String(seq).padStart(10, '0')} ${String(now).padStart(13, '0')} `.padEnd(LINE_BYTES - 1, 'x') + '\n'
  );
}

function startBff(masterUrl: string): Promise<BffProcess> {
  return startBffProcess(['--master', masterUrl, '--poll-interval', '1000'], {
    env: { NODE_ENV: 'production' },
    output: 'stderr',
    timeoutMs: 60_000,
  });
}

/** CPU seconds the page's renderer has spent on tasks so far (CDP Performance.getMetrics, one session). */
async function pageCpuMeter(page: Page): Promise<() => Promise<number>> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  return async () => {
    const { metrics } = await session.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN;
  };
}

async function heapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('HeapProfiler.collectGarbage');
    await session.send('Performance.enable');
    const { metrics } = await session.send('Performance.getMetrics');
    return (metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0) / MiB;
  } finally {
    await session.detach();
  }
}

/** ms from an in-app navigation to the viewer until its first lines are painted. */
async function timeViewerOpen(page: Page, viewerUrl: string): Promise<number> {
  await page.evaluate(() => {
    window.history.pushState({}, '', '/agents');
    window.dispatchEvent(new PopStateEvent('popstate'));
  });
  await page.waitForSelector('[data-testid=log-line]', { state: 'detached' });
  return page.evaluate(async (url) => {
    const start = performance.now();
    window.history.pushState({}, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
    // (No named functions in here: the bench's TypeScript loader would wrap them in a helper the page lacks.)
    while (!document.querySelector('[data-testid=log-line]')) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
    return performance.now() - start;
  }, viewerUrl);
}

/** The Mesos pailer's first screen, in the same page: size probe, read of the last 32 KiB, render. */
async function timePailerOpen(page: Page, agentId: string, file: string): Promise<number> {
  return page.evaluate(
    async ({ agentId, file }) => {
      const start = performance.now();
      const base = `/agent/${encodeURIComponent(agentId)}/files/read?path=${encodeURIComponent(file)}`;
      const size = ((await (await fetch(`${base}&offset=-1`)).json()) as { offset: number }).offset;
      const from = Math.max(0, size - 32_768);
      const read = (await (await fetch(`${base}&offset=${from}&length=50000`)).json()) as { data: string };
      const text = from > 0 ? read.data.slice(read.data.indexOf('\n') + 1) : read.data;
      const pre = document.createElement('pre');
      pre.textContent = text;
      document.body.append(pre);
      await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      const elapsed = performance.now() - start;
      pre.remove();
      return elapsed;
    },
    { agentId, file },
  );
}

/**
 * A script for the page: it checks every page of lines the viewer receives for `path` while following (it
 * wraps fetch and reads a clone of each answer), so the check costs the page one more JSON parse and nothing
 * crosses to the bench. Pages read when scrolling back (`before=`) are not part of the stream. Plain
 * JavaScript in a string: the bench's TypeScript loader would add helpers the page lacks.
 */
function lineAuditScript(path: string): string {
  return `(() => {
    const audit = { lines: 0, lost: 0, repeated: 0, misplaced: 0, lastSeq: -1, firstProblem: '' };
    window.__audit = audit;
    const lineBytes = ${LINE_BYTES};
    const check = (answer, search) => {
      if (answer.kind !== 'lines') return;
      const first = Number(answer.lines.length ? answer.lines[0].t.slice(0, 10) : -1);
      if (!audit.firstProblem && audit.lastSeq >= 0 && answer.lines.length > 0 && first !== audit.lastSeq + 1) {
        audit.firstProblem = 'after line ' + audit.lastSeq + ', a page starting at line ' + first + ' (' + search + ')';
      }
      for (const line of answer.lines) {
        const seq = Number(line.t.slice(0, 10));
        if (line.o !== seq * lineBytes || line.n !== lineBytes - 1) audit.misplaced += 1;
        if (audit.lastSeq >= 0 && seq > audit.lastSeq + 1) audit.lost += seq - audit.lastSeq - 1;
        if (audit.lastSeq >= 0 && seq <= audit.lastSeq) audit.repeated += 1;
        audit.lastSeq = Math.max(audit.lastSeq, seq);
        audit.lines += 1;
      }
    };
    const original = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const response = await original(input, init);
      const url = new URL(typeof input === 'string' ? input : input.url, location.href);
      if (url.pathname === '/api/files/lines' && url.searchParams.get('path') === ${JSON.stringify(path)} &&
          !url.searchParams.has('before') && response.ok) {
        response.clone().json().then((answer) => check(answer, url.search), () => undefined);
      }
      return response;
    };
  })();`;
}

interface Audit {
  lines: number;
  lost: number;
  repeated: number;
  misplaced: number;
  lastSeq: number;
  firstProblem: string;
}

export const logsBench: Bench = {
  name: 'logs',
  description:
    'file viewer: tail of a 1 GB stdout in Chromium vs the pailer, follow at 5 MB/s, whole-file search',
  async run({ smoke }): Promise<BenchResult> {
    if (!existsSync(path.join(root, 'dist/ui/index.html'))) {
      throw new Error('the SPA is not built: run `npm run build` first');
    }
    const executablePath = resolveChromium();
    if (!executablePath) throw new Error('no Chromium found (see docs/testing.md)');
    const sizeMiB = smoke ? 64 : 1024;
    const followSeconds = smoke ? 10 : 60;
    const runs = smoke ? 3 : 7;
    const rows: BenchResult['rows'] = [];
    const notes: string[] = [];

    const cluster = await startCluster({ agents: 1, scenario: 'empty' });
    const task = await cluster.control.launchTask({ name: 'bench-logs', cmd: 'sleep 3600' });
    const huge = path.join(task.directory, 'stdout');
    const followed = path.join(task.directory, 'followed.log');
    let bff: BffProcess | null = null;
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      const written = Date.now();
      writeHugeFile(huge, sizeMiB);
      notes.push(
        `${sizeMiB} MiB stdout written in ${((Date.now() - written) / 1000).toFixed(1)} s (deleted at the end)`,
      );
      bff = await startBff(cluster.masterUrl);
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${bff.baseUrl}/agents`);
      await page.getByRole('table', { name: 'Agents' }).waitFor();

      // 1. Opening the tail.
      const viewerUrl = `/agents/${encodeURIComponent(task.agentId)}/files/view?path=${encodeURIComponent(huge)}`;
      const ours: number[] = [];
      const pailer: number[] = [];
      await timeViewerOpen(page, viewerUrl); // warm-up (code, connections)
      await timePailerOpen(page, task.agentId, huge);
      for (let run = 0; run < runs; run += 1) {
        ours.push(await timeViewerOpen(page, viewerUrl));
        pailer.push(await timePailerOpen(page, task.agentId, huge));
      }
      const tailRow = (what: string, times: number[]) => ({
        measure: `open the tail of ${sizeMiB >= 1024 ? `${sizeMiB / 1024} GiB` : `${sizeMiB} MiB`}: ${what}`,
        median: `${median(times).toFixed(0)} ms`,
        min: `${Math.min(...times).toFixed(0)} ms`,
        max: `${Math.max(...times).toFixed(0)} ms`,
        goal: what.startsWith('mesoscope') ? '< 300 ms' : '',
      });
      rows.push(tailRow('mesoscope viewer (click to first lines painted)', ours));
      rows.push(tailRow('Mesos pailer sequence (size probe + last 32 KiB + <pre>)', pailer));

      // 2. Following a file written at 5 MB/s.
      const fd = openSync(followed, 'a');
      let seq = 0;
      const writeLines = (count: number) => {
        const now = Date.now();
        let chunk = '';
        for (let i = 0; i < count; i += 1) chunk += followLine(seq++, now);
        writeSync(fd, chunk);
      };
      writeLines(1_000);
      await page.addInitScript({ content: lineAuditScript(followed) });
      await page.goto(
        `${bff.baseUrl}/agents/${encodeURIComponent(task.agentId)}/files/view?path=${encodeURIComponent(followed)}`,
      );
      await page.waitForSelector('[data-testid=log-line]');
      await page.waitForTimeout(1_000);
      const heapStart = await heapMb(page);
      // In the page: every 100 ms, the lag of the newest line on screen, and whether the rows on screen are
      // the lines their offsets say (consecutive numbers, each at number × 100 bytes).
      await page.evaluate(
        ({ lineBytes }) => {
          const state = { lags: [] as number[], wrongRows: 0, samples: 0 };
          (window as unknown as { __follow: typeof state }).__follow = state;
          window.setInterval(() => {
            const rows = [
              ...document.querySelectorAll<HTMLElement>('[data-testid=file-content] [data-testid=log-line]'),
            ];
            let previous = -1;
            for (const row of rows) {
              const text = row.querySelector('.log-text')?.textContent ?? '';
              const number = Number(text.slice(0, 10));
              if (Number(row.dataset['offset']) !== number * lineBytes) state.wrongRows += 1;
              if (previous >= 0 && number !== previous + 1) state.wrongRows += 1;
              previous = number;
            }
            const last = rows[rows.length - 1]?.querySelector('.log-text')?.textContent ?? '';
            const writtenAt = Number(last.slice(11, 24));
            if (writtenAt > 0) state.lags.push(Date.now() - writtenAt);
            state.samples += 1;
          }, 100);
        },
        { lineBytes: LINE_BYTES },
      );
      const linesPerTick = Math.round((5 * 1_000_000) / LINE_BYTES / 10); // 5 MB/s in 100 ms ticks
      const pageCpuSeconds = await pageCpuMeter(page);
      const cpuAtStart = {
        mesoscope: cpuSeconds(bff.child.pid ?? 0),
        cluster: process.cpuUsage(),
        page: await pageCpuSeconds(),
      };
      const followStart = Date.now();
      let ticks = 0;
      // The heap is also read at a third and two thirds of the run (in parallel: the writer keeps its pace).
      const heapSamples: Promise<number>[] = [];
      while (Date.now() - followStart < followSeconds * 1000) {
        writeLines(linesPerTick);
        ticks += 1;
        if (ticks === followSeconds * 3 || ticks === followSeconds * 6) heapSamples.push(heapMb(page));
        const next = followStart + ticks * 100;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      }
      const writtenMb = (ticks * linesPerTick * LINE_BYTES) / 1_000_000;
      closeSync(fd);
      const lastSeq = seq - 1;
      // Let the viewer catch up with the last line, then read the figures.
      const caughtUp = await page
        .waitForFunction(
          (expected) => {
            const rows = document.querySelectorAll(
              '[data-testid=file-content] [data-testid=log-line] .log-text',
            );
            const last = rows[rows.length - 1]?.textContent ?? '';
            return Number(last.slice(0, 10)) === expected;
          },
          lastSeq,
          { timeout: 30_000 },
        )
        .then(() => true)
        .catch(() => false);
      const follow = await page.evaluate(
        () =>
          (window as unknown as { __follow: { lags: number[]; wrongRows: number; samples: number } })
            .__follow,
      );
      const followElapsed = (Date.now() - followStart) / 1000;
      const cpu = {
        mesoscope: (cpuSeconds(bff.child.pid ?? 0) - cpuAtStart.mesoscope) / followElapsed,
        cluster: (() => {
          const used = process.cpuUsage(cpuAtStart.cluster);
          return (used.user + used.system) / 1e6 / followElapsed;
        })(),
        page: ((await pageCpuSeconds()) - cpuAtStart.page) / followElapsed,
      };
      const heapMiddle = await Promise.all(heapSamples);
      const heapEnd = await heapMb(page);
      const lags = follow.lags.slice(10); // the first second: the viewer was just opened
      const audit = await page.evaluate(() => (window as unknown as { __audit: Audit }).__audit);
      rows.push({
        measure: `follow ${writtenMb.toFixed(0)} MB written at 5 MB/s for ${followSeconds} s: write→display lag`,
        median: `${median(lags).toFixed(0)} ms`,
        min: `${Math.min(...lags).toFixed(0)} ms`,
        max: `${Math.max(...lags).toFixed(0)} ms (p95 ${percentile(lags, 95).toFixed(0)} ms)`,
        goal: '< 1 s',
      });
      rows.push({
        measure: 'follow: lines checked by content (received by the viewer / written)',
        median: `${audit.lines} / ${lastSeq + 1}`,
        min: `lost ${audit.lost}, repeated ${audit.repeated}, misplaced ${audit.misplaced}`,
        max: `rows on screen wrong: ${follow.wrongRows} of ${follow.samples} samples; last line shown: ${caughtUp ? 'yes' : 'NO'}`,
        goal: 'all 0, last line shown',
      });
      if (audit.firstProblem) notes.push(`Follow: first discontinuity: ${audit.firstProblem}`);
      rows.push({
        measure: 'follow: CPU used, in cores (mesoscope / agent + writer / page)',
        median: `${cpu.mesoscope.toFixed(2)} / ${cpu.cluster.toFixed(2)} / ${cpu.page.toFixed(2)}`,
        min: '',
        max: `machine load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
        goal: '',
      });
      rows.push({
        measure: 'follow: page JS heap after GC at the start, at 1/3 and 2/3 of the run, and at the end',
        median: [heapStart, ...heapMiddle, heapEnd].map((mb) => `${mb.toFixed(1)} MB`).join(' → '),
        min: '',
        max: '',
        goal: 'flat',
      });

      // 3. Whole-file search.
      const searchUrl = `${bff.baseUrl}/api/files/search?${new URLSearchParams({ agent: task.agentId, path: huge, q: NEEDLE }).toString()}`;
      const started = performance.now();
      const response = await fetch(searchUrl);
      if (!response.ok || !response.body) throw new Error(`search answered HTTP ${response.status}`);
      const matchTimes: number[] = [];
      let end: Extract<SearchEvent, { type: 'end' }> | null = null;
      let buffered = '';
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let newline = buffered.indexOf('\n');
        while (newline !== -1) {
          const event = JSON.parse(buffered.slice(0, newline)) as SearchEvent;
          buffered = buffered.slice(newline + 1);
          if (event.type === 'match') matchTimes.push(performance.now() - started);
          if (event.type === 'end') end = event;
          if (event.type === 'error') throw new Error(`search failed: ${event.message}`);
          newline = buffered.indexOf('\n');
        }
      }
      const total = performance.now() - started;
      rows.push({
        measure: `whole-file search over ${sizeMiB} MiB (${matchTimes.length} matching lines, near the start and the end)`,
        median: `first match ${((matchTimes[0] ?? NaN) / 1000).toFixed(2)} s`,
        min: `last match ${((matchTimes[matchTimes.length - 1] ?? NaN) / 1000).toFixed(2)} s`,
        max: `done ${(total / 1000).toFixed(1)} s (${((sizeMiB * MiB) / 1e6 / (total / 1000)).toFixed(0)} MB/s, ${end?.lines ?? '?'} lines)`,
        goal: '',
      });
      notes.push(
        'Times in Chromium are from pushState to the frame after the first line is in the DOM (the SPA already loaded); both ways run in the same page, alternating.',
        'Follow: in the page, every /api/files/lines answer the viewer received is checked line by line (number, offset, order); the rows on screen are checked every 100 ms.',
        'Search: mesoscope streams the file from the agent (/files/download, one request) and scans it as it arrives; the needle lines are 1 MiB from the start and 2 MiB from the end.',
      );
    } finally {
      await browser.close();
      await bff?.stop();
      rmSync(huge, { force: true });
      rmSync(followed, { force: true });
      await cluster.close();
    }
    return { title: 'File viewer: tail, follow and search', rows, notes };
  },
};
