/**
 * `npm run bench -- scale [--smoke] [--scenario=massive|gigantic] [--window=SECONDS]`: what mesoscope costs the master
 * and the browser at the massive scenario, next to the Mesos web UI's approach on the same cluster, measured in
 * one run:
 * - upstream requests and bytes per minute of mesoscope (event stream plus periodic reads) vs polling
 *   `/master/state` every 10 s as the Mesos UI does below 500 agents (plain and gzipped, as a browser gets it);
 * - the Overview and Tasks pages in Chromium: time to data, main-thread time and bytes per poll, JS heap, DOM
 *   size; and the Mesos UI's fetch + parse + aggregation of the whole state in the same browser;
 * - mesoscope's RSS and CPU per minute, and the time from a task changing state to the page showing it.
 * - the simulated master's own costs: its start, its RSS, and the time to serve one SUBSCRIBED whole.
 * The cluster and mesoscope each run in their own process. `--smoke` runs the small scenario briefly (CI).
 * `--connect-timeout=SECONDS` (default 600): when mesoscope has not read the cluster by then, the master's
 * figures are reported alone, with the reason. A part that cannot complete (the Mesos UI's approach running
 * Chromium out of memory on a gigantic state, a page that never shows data) is reported in the table with the
 * reason, and the run goes on. `--bff-cpu-prof=DIR` writes mesoscope's CPU profile there when it stops;
 * `--bff-node-args=A,B` gives mesoscope's node those flags (V8's, which NODE_OPTIONS refuses).
 * `--skip-mesos-ui` measures mesoscope alone: no `/master/state` reads and no Mesos UI approach in Chromium (its
 * columns then say "skipped"), for a quicker run while working on mesoscope's own figures. `--polls=N` (default 40,
 * two minutes of a page) watches N polls of each page after its first: enough for a 95th percentile that is not
 * simply the slowest poll (with 12 it was); the slowest is reported beside it. The main thread from data on
 * screen to the first poll (the rest of the page's mount: on the Overview its charts' code loaded and the charts
 * drawn) is its own row.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { request } from 'undici';
import { CHROMIUM_ARGS, resolveChromium } from '../e2e/chromium-path';
import type { StatusView } from '../src/bff/schemas/views';
import type { Bench, BenchResult } from './bench-table';
import type { ClusterRequest } from './scale/cluster-process';
import type { PageCosts } from './scale/page-costs';
import { measurePage, median, onOrigin, percentile, taskDurationMs } from './scale/page-costs';
import { readOneSubscribed } from './scale/master-costs';
import { cpuSeconds, rssMb } from './proc-usage';
import { webuiPoll } from './scale/webui-approach';
import type { WebuiPollResult } from './scale/webui-approach';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The Mesos UI polls /master/state every 10 s below 500 agents (controllers.js updateInterval). */
const WEBUI_POLL_MS = 10_000;

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/** `Omit` over each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A part of the run that completed, or why it did not. */
type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Runs one part of the benchmark, giving up after `timeoutMs`: a part that fails is reported, not fatal. */
async function attempt<T>(timeoutMs: number, run: () => Promise<T>): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: `no result within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      run().then(
        (value): Outcome<T> => ({ ok: true, value }),
        (error: Error): Outcome<T> => ({ ok: false, reason: error.message.split('\n')[0] ?? String(error) }),
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** One poll of the Mesos UI's approach in Chromium, with the main-thread time it took. */
type WebuiRun = WebuiPollResult & { mainThread: number };

/** A page's costs, or why it never showed data. */
type MeasuredPage = PageCosts & { failed?: string };
const NO_PAGE: PageCosts = {
  timeToDataMs: Number.NaN,
  mainThreadAfterDataMs: Number.NaN,
  mainThreadPerPollMs: [],
  bytesPerPoll: [],
  heapMb: Number.NaN,
  domNodes: 0,
};

/** Resident memory of a process that may have exited meanwhile (0 then). */
function rssOf(pid: number): number {
  try {
    return rssMb(pid);
  } catch {
    return 0;
  }
}

/** CPU seconds of a process that may have exited meanwhile (NaN then). */
function cpuOf(pid: number): number {
  try {
    return cpuSeconds(pid);
  } catch {
    return Number.NaN;
  }
}

/** The cluster child process and a request/response channel to it. */
class ClusterChild {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  masterUrl = '';
  agents = 0;
  tasks = 0;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
  }

  static async start(scenario: string): Promise<ClusterChild> {
    const child = fork(path.join(root, 'bench/scale/cluster-process.ts'), [scenario], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=6144'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const handle = new ClusterChild(child);
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`cluster process exited with ${code}`)));
      child.on(
        'message',
        (message: { type?: string; masterUrl?: string; agents?: number; tasks?: number }) => {
          if (message.type !== 'ready') return;
          handle.masterUrl = message.masterUrl ?? '';
          handle.agents = message.agents ?? 0;
          handle.tasks = message.tasks ?? 0;
          resolve();
        },
      );
    });
    return handle;
  }

  ask<T>(request: WithoutId<ClusterRequest>): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...request, id });
    });
  }

  traffic() {
    return this.ask<{ requests: number; bytesSent: number; byPath: Record<string, number> }>({
      type: 'traffic',
    });
  }

  async stop(): Promise<void> {
    await Promise.race([this.ask({ type: 'stop' }).catch(() => undefined), sleep(10_000)]);
    this.child.kill('SIGKILL');
  }
}

async function status(base: string): Promise<StatusView | null> {
  try {
    const response = await request(`${base}/api/status`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    return (await response.body.json()) as StatusView;
  } catch {
    return null;
  }
}

/** Task changes the task history may still be writing once the first snapshot is written: a few seconds' churn. */
const HISTORY_SETTLED_PENDING = 1_000;

/** Waits until the task history has written the first snapshot (its pending tasks are few); false after `timeoutMs`. */
async function historyBackfilled(base: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await request(`${base}/metrics`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
      const text = await response.body.text();
      const pending = /^mesoscope_task_store_pending_tasks (\d+)/m.exec(text);
      if (!pending || Number(pending[1]) <= HISTORY_SETTLED_PENDING) return true;
    } catch {
      // busy: ask again
    }
    await sleep(1_000);
  }
  return false;
}

/** GETs the master's state as a browser would (gzip when `gzip`), returning bytes on the wire and decoded. */
async function fetchState(cluster: ClusterChild, gzip: boolean): Promise<{ wire: number; ms: number }> {
  const before = await cluster.traffic();
  const started = performance.now();
  const response = await request(`${cluster.masterUrl}/master/state`, {
    headers: gzip ? { 'accept-encoding': 'gzip, deflate, br' } : {},
    headersTimeout: 300_000,
    bodyTimeout: 300_000,
  });
  await response.body.dump({ limit: Number.MAX_SAFE_INTEGER });
  const ms = performance.now() - started;
  const after = await cluster.traffic();
  return { wire: after.bytesSent - before.bytesSent, ms };
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const kb = (bytes: number) => bytes / 1024;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** A page's main thread per poll: the median and 95th percentile, and the slowest poll beside them. */
const perPoll = (ms: readonly number[]) =>
  `${fmt(median(ms))} / ${fmt(percentile(ms, 95))}; ${fmt(Math.max(...ms))} ms`;
const ratio = (base: number, ours: number) => (ours > 0 ? `${fmt(base / ours, 0)}×` : '∞');

export const scaleBench: Bench = {
  name: 'scale',
  description: "mesoscope's cost to the master and the browser at massive scale, vs the Mesos UI's approach",
  async run({ smoke }): Promise<BenchResult> {
    const scenario = flag('scenario') ?? (smoke ? 'small' : 'massive');
    const windowMs = Number(flag('window') ?? (smoke ? 10 : 60)) * 1000;
    const polls = smoke ? 2 : Number(flag('polls') ?? 40);
    const latencyRuns = smoke ? 1 : 5;
    if (!existsSync(path.join(root, 'dist/ui/index.html'))) {
      throw new Error('the SPA is not built: run `npm run build` first');
    }
    const executablePath = resolveChromium();
    if (!executablePath) throw new Error('no Chromium found (see docs/testing.md)');

    const notes: string[] = [];
    const clusterStarted = Date.now();
    const cluster = await ClusterChild.start(scenario);
    const clusterUpS = (Date.now() - clusterStarted) / 1000;
    notes.push(`${scenario}: ${cluster.agents} agents, ${cluster.tasks} running tasks`);
    let bff: BffProcess | undefined;
    let browser: Browser | undefined;
    try {
      // The master alone first, with nobody else reading it.
      const masterPid = cluster.child.pid ?? 0;
      const masterStartRss = rssMb(masterPid);
      const oneSubscribed = await readOneSubscribed(cluster.masterUrl, masterPid);
      const masterRows = [
        {
          figure: 'simulated master: start, RSS after start',
          mesoscope: `${fmt(clusterUpS)} s, ${fmt(masterStartRss, 0)} MB`,
          'Mesos UI approach': '',
          ratio: '',
          goal: 'report',
        },
        {
          figure: 'simulated master: one SUBSCRIBED served whole, its RSS meanwhile (max)',
          mesoscope: `${fmt(oneSubscribed.ms / 1000)} s, ${fmt(mb(oneSubscribed.bytes))} MB; ${fmt(oneSubscribed.masterRssMaxMb, 0)} MB`,
          'Mesos UI approach': '',
          ratio: '',
          goal: 'report',
        },
      ];
      const connectTimeoutMs = Number(flag('connect-timeout') ?? 600) * 1000;
      const log = path.join(os.tmpdir(), `mesoscope-bench-scale-${process.pid}.log`);
      const beforeSubscribe = await cluster.traffic();
      const bffStarted = Date.now();
      const profileDir = flag('bff-cpu-prof');
      const nodeArgs = [
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        ...(flag('bff-node-args')?.split(',').filter(Boolean) ?? []),
      ];
      bff = await startBffProcess(['--master', cluster.masterUrl], {
        built: true,
        output: { file: log },
        nodeArgs,
        timeoutMs: 600_000,
      });
      const base = bff.baseUrl;
      const pid = bff.child.pid ?? 0;
      // First data may be partial (agents and frameworks while the snapshot streams in): then the full snapshot.
      let firstDataS = Number.NaN;
      let startRssMb = 0;
      for (;;) {
        const s = await status(base);
        startRssMb = Math.max(startRssMb, rssOf(pid));
        if (s?.connected && Number.isNaN(firstDataS)) firstDataS = (Date.now() - bffStarted) / 1000;
        if (s?.connected && !s.loading) break;
        const exit = bff.child.exitCode;
        const failed =
          exit !== null
            ? `mesoscope exited with ${exit}`
            : Date.now() - bffStarted > connectTimeoutMs
              ? `mesoscope did not read the whole cluster within ${connectTimeoutMs / 1000} s`
              : null;
        if (failed) {
          notes.push(`${failed} (its log: ${log}); only the master's figures were measured.`);
          return { title: `Scale: ${scenario}, the simulated master alone`, rows: masterRows, notes };
        }
        await sleep(250);
      }
      const subscribed = await cluster.traffic();
      const fullDataS = (Date.now() - bffStarted) / 1000;
      const subscribeBytes = subscribed.bytesSent - beforeSubscribe.bytesSent;
      // The task history then writes every task of the first snapshot once: a cost of the start, reported on
      // its own, not part of the minute nobody watches (which is what every later minute costs).
      const historyCpu0 = cpuOf(pid);
      const historyWritten = await historyBackfilled(base, smoke ? 30_000 : 300_000);
      const historyS = (Date.now() - bffStarted) / 1000 - fullDataS;
      const historyCpu = cpuOf(pid) - historyCpu0;
      if (!historyWritten)
        notes.push(`the task history had not written the first snapshot ${fmt(historyS)} s after it was in`);
      await sleep(smoke ? 2_000 : 10_000);

      // 1. Upstream cost and mesoscope's own cost, nobody watching.
      const t0 = await cluster.traffic();
      const cpu0 = cpuOf(pid);
      const rss: number[] = [];
      const windowEnd = Date.now() + windowMs;
      while (Date.now() < windowEnd) {
        rss.push(rssOf(pid));
        await sleep(1_000);
      }
      const t1 = await cluster.traffic();
      const perMinute = 60_000 / windowMs;
      const bffRequests = (t1.requests - t0.requests) * perMinute;
      const bffBytes = (t1.bytesSent - t0.bytesSent) * perMinute;
      const bffCpu = (cpuOf(pid) - cpu0) * perMinute;
      if (t1.byPath['/master/state'] !== t0.byPath['/master/state'])
        notes.push('mesoscope read /master/state!');

      // 2. The Mesos UI's polling of /master/state on the same cluster.
      const skipMesosUi = process.argv.includes('--skip-mesos-ui');
      const statePolls = skipMesosUi ? 0 : smoke ? 1 : 2;
      const plain: number[] = [];
      const zipped: number[] = [];
      for (let i = 0; i < statePolls; i++) {
        const once = await attempt(600_000, async () => ({
          plain: (await fetchState(cluster, false)).wire,
          zipped: (await fetchState(cluster, true)).wire,
        }));
        if (!once.ok) {
          notes.push(`GET /master/state did not complete: ${once.reason}`);
          break;
        }
        plain.push(once.value.plain);
        zipped.push(once.value.zipped);
      }
      const webuiPerMinute = 60_000 / WEBUI_POLL_MS;
      const stateBytes = median(plain);
      const stateGzip = median(zipped);

      // 3. The pages in Chromium, and the Mesos UI's approach in the same browser.
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
      const cpuBrowse0 = cpuOf(pid);
      const browseStarted = Date.now();
      // Data is a link the viewer can see: at 1280 px the first cells belong to columns hidden for width.
      const pageOrReason = async (options: Parameters<typeof measurePage>[1]): Promise<MeasuredPage> => {
        const measured = await attempt(600_000, () => measurePage(browser!, options));
        if (measured.ok) return measured.value;
        notes.push(`${options.url}: ${measured.reason}`);
        return { ...NO_PAGE, failed: measured.reason };
      };
      const overview = await pageOrReason({
        url: `${base}/`,
        dataSelector: '[data-testid="active-tasks"] tbody tr td a',
        pollPath: '/api/overview',
        polls,
      });
      const tasksPage = await pageOrReason({
        url: `${base}/tasks`,
        dataSelector: '[data-testid="all-tasks"] tbody tr td a',
        pollPath: '/api/tasks',
        polls,
      });
      const bffCpuBrowsing = ((cpuOf(pid) - cpuBrowse0) * 60_000) / (Date.now() - browseStarted);

      // A gigantic state (360 MB) may be more than a browser tab can parse: then the table says so.
      const webuiOutcome: Outcome<{ runs: WebuiRun[]; heapMb: number }> = skipMesosUi
        ? { ok: false, reason: 'skipped (--skip-mesos-ui)' }
        : await attempt(900_000, () =>
            onOrigin(browser!, cluster.masterUrl, async (page, cdp) => {
              const runs = [];
              for (let i = 0; i < statePolls; i++) {
                const before = await taskDurationMs(cdp);
                const result = await page.evaluate(webuiPoll, '/master/state');
                const mainThread = (await taskDurationMs(cdp)) - before;
                runs.push({ ...result, mainThread });
              }
              await cdp.send('HeapProfiler.collectGarbage');
              const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
              return { runs, heapMb: mb(heap.usedSize) };
            }),
          );
      const webui = webuiOutcome.ok ? webuiOutcome.value : { runs: [], heapMb: Number.NaN };
      const webuiFailed = webuiOutcome.ok
        ? ''
        : skipMesosUi
          ? webuiOutcome.reason
          : `did not complete: ${webuiOutcome.reason}`;
      if (webuiFailed && !skipMesosUi) notes.push(`Mesos UI approach in Chromium ${webuiFailed}`);

      // 4. From a task changing state in the cluster to the Tasks page showing it.
      const latencies: number[] = [];
      const context = await browser.newContext();
      const page = await context.newPage();
      for (let i = 0; i < latencyRuns; i++) {
        const once = await attempt(180_000, async () => {
          const task = await cluster.ask<{ taskId: string } | null>({ type: 'pick' });
          if (!task) return null;
          await page.goto(`${base}/tasks?tasks.q=${encodeURIComponent(task.taskId)}`);
          const row = page.locator('[data-testid="all-tasks"] tbody tr', { hasText: task.taskId });
          await row.filter({ hasText: /RUNNING/ }).waitFor({ timeout: 60_000 });
          const { at } = await cluster.ask<{ at: number }>({ type: 'kill', taskId: task.taskId });
          await row.filter({ hasText: /KILLED/ }).waitFor({ timeout: 60_000 });
          return Date.now() - at;
        });
        if (!once.ok) {
          notes.push(`a task's state change to the Tasks page: ${once.reason}`);
          break;
        }
        if (once.value === null) break;
        latencies.push(once.value);
      }
      await context.close();
      const bffStatus = await status(base);
      if (bff.child.exitCode !== null || bff.child.signalCode !== null)
        notes.push(
          `mesoscope exited during the run (${bff.child.signalCode ?? `code ${bff.child.exitCode}`}); its log: ${log}`,
        );

      const skipped = (text: string) => (skipMesosUi ? 'skipped' : text);
      const webuiMain = median(webui.runs.map((r) => r.mainThread));
      const webuiParse = median(webui.runs.map((r) => r.parseMs + r.aggregateMs));
      const row = (
        figure: string,
        mesoscope: string,
        webuiValue: string,
        ratioText: string,
        goal: string,
      ): Record<string, string> => ({
        figure,
        mesoscope,
        'Mesos UI approach': webuiValue,
        ratio: ratioText,
        goal,
      });
      const rows = [
        ...masterRows,
        row(
          'upstream requests / min',
          fmt(bffRequests),
          fmt(webuiPerMinute),
          ratio(webuiPerMinute, bffRequests),
          '',
        ),
        row(
          'upstream bytes / min (plain)',
          `${fmt(mb(bffBytes), 2)} MB`,
          skipped(`${fmt(mb(stateBytes * webuiPerMinute))} MB`),
          skipped(ratio(stateBytes * webuiPerMinute, bffBytes)),
          '≥ 100×',
        ),
        row(
          'upstream bytes / min (gzip where offered)',
          `${fmt(mb(bffBytes), 2)} MB`,
          skipped(`${fmt(mb(stateGzip * webuiPerMinute))} MB`),
          skipped(ratio(stateGzip * webuiPerMinute, bffBytes)),
          '≥ 100×',
        ),
        row(
          'first data after start (one SUBSCRIBED)',
          `${fmt(firstDataS)} s, ${fmt(mb(subscribeBytes))} MB`,
          '',
          '',
          '',
        ),
        row(
          'whole snapshot after start, BFF peak RSS until then',
          `${fmt(fullDataS)} s, ${fmt(startRssMb, 0)} MB`,
          '',
          '',
          '',
        ),
        row(
          'Overview: navigation to data',
          overview.failed ? `no data: ${overview.failed}` : `${fmt(overview.timeToDataMs, 0)} ms`,
          webuiFailed || `${fmt(median(webui.runs.map((r) => r.fetchMs + r.parseMs + r.aggregateMs)), 0)} ms`,
          '',
          '≤ 600 ms',
        ),
        row(
          'Overview: main thread per poll (p50 / p95; slowest)',
          perPoll(overview.mainThreadPerPollMs),
          webuiFailed || `${fmt(webuiMain, 0)} ms (parse + aggregate ${fmt(webuiParse, 0)} ms)`,
          skipped(ratio(webuiMain, percentile(overview.mainThreadPerPollMs, 95))),
          '≤ 25 / 60 ms',
        ),
        row(
          'Overview: main thread from data on screen to the first poll (charts drawn)',
          `${fmt(overview.mainThreadAfterDataMs, 0)} ms`,
          '',
          '',
          'report',
        ),
        row(
          'Overview: bytes per poll (median)',
          `${fmt(kb(median(overview.bytesPerPoll)))} kB`,
          skipped(`${fmt(kb(stateGzip))} kB`),
          skipped(ratio(stateGzip, median(overview.bytesPerPoll))),
          '< 100 kB',
        ),
        row(
          'Overview: JS heap, DOM nodes',
          `${fmt(overview.heapMb)} MB, ${overview.domNodes}`,
          webuiFailed || `${fmt(webui.heapMb)} MB`,
          skipped(ratio(webui.heapMb, overview.heapMb)),
          '',
        ),
        row(
          'Tasks: navigation to data',
          tasksPage.failed ? `no data: ${tasksPage.failed}` : `${fmt(tasksPage.timeToDataMs, 0)} ms`,
          '',
          '',
          '≤ 600 ms',
        ),
        row(
          'Tasks: main thread per poll (p50 / p95; slowest)',
          perPoll(tasksPage.mainThreadPerPollMs),
          skipped(`${fmt(webuiMain, 0)} ms`),
          skipped(ratio(webuiMain, percentile(tasksPage.mainThreadPerPollMs, 95))),
          '≤ 25 / 60 ms',
        ),
        row(
          'Tasks: main thread from data on screen to the first poll',
          `${fmt(tasksPage.mainThreadAfterDataMs, 0)} ms`,
          '',
          '',
          'report',
        ),
        row(
          'Tasks: bytes per poll (median)',
          `${fmt(kb(median(tasksPage.bytesPerPoll)))} kB`,
          skipped(`${fmt(kb(stateGzip))} kB`),
          skipped(ratio(stateGzip, median(tasksPage.bytesPerPoll))),
          '< 100 kB',
        ),
        row('Tasks: JS heap, DOM nodes', `${fmt(tasksPage.heapMb)} MB, ${tasksPage.domNodes}`, '', '', ''),
        row(
          'mesoscope RSS (median / max)',
          `${fmt(median(rss), 0)} / ${fmt(Math.max(...rss), 0)} MB`,
          '',
          '',
          'report',
        ),
        row(
          'task history: first snapshot written after it is in, CPU meanwhile',
          `${fmt(historyS)} s, ${fmt(historyCpu)} s`,
          '',
          '',
          'report',
        ),
        row(
          'mesoscope CPU s / min (idle / one browser)',
          `${fmt(bffCpu)} / ${fmt(bffCpuBrowsing)} s`,
          '',
          '',
          'report',
        ),
        row(
          'task state change → page shows it (median / max)',
          `${fmt(median(latencies) / 1000, 2)} / ${fmt(Math.max(...latencies) / 1000, 2)} s`,
          `up to ${WEBUI_POLL_MS / 1000} s + parse`,
          '',
          `≤ ${(bffStatus?.pollIntervalMs ?? 1000) / 1000 + 3 + 1} s (publish + browser poll + 1 s)`,
        ),
      ];
      if (!skipMesosUi)
        notes.push(
          `Mesos UI approach: /master/state is ${fmt(mb(stateBytes))} MB (${fmt(mb(stateGzip))} MB gzipped), ` +
            `polled every ${WEBUI_POLL_MS / 1000} s; in Chromium, fetch ${fmt(median(webui.runs.map((r) => r.fetchMs)), 0)} ms, ` +
            `JSON.parse ${fmt(median(webui.runs.map((r) => r.parseMs)), 0)} ms, aggregation ${fmt(median(webui.runs.map((r) => r.aggregateMs)), 0)} ms.`,
        );
      notes.push(
        `Windows: upstream ${windowMs / 1000} s after settling; ${polls} polls per page; ${latencies.length} state changes.`,
      );
      return {
        title: `Scale: ${scenario}, mesoscope vs the Mesos UI's approach on the same cluster`,
        rows,
        notes,
      };
    } finally {
      await browser?.close().catch(() => undefined);
      if (bff) await Promise.race([bff.stop(), sleep(10_000)]);
      await cluster.stop();
    }
  },
};
