/**
 * `npm run bench -- load [--duration=SECONDS] [--viewers=10,100,500] [--smoke]`: N simulated viewers poll one
 * mesoscope as the SPA does (status every 2 s; overview and the active tasks page every 3 s with ETags; one
 * task's stdout tailed every second) against the embedded local cluster, for each N in turn.
 *
 * mesoscope runs as its own process (`server.ts --master`), so its RSS is its own; the cluster runs here and
 * counts every request it receives (node:http's diagnostics channel), which is how the upstream load is measured.
 * Defaults: 10 minutes per N, N = 10, 100 and 500; `--smoke` is 20 s at N = 10. `--cpu-prof=DIR` writes a CPU
 * profile of mesoscope for each N into DIR (open it in Chrome's DevTools).
 */
import diagnostics from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { IncomingMessage } from 'node:http';
import { Pool } from 'undici';
import { startCluster } from '../src/cluster';
import type { LocalCluster } from '../src/cluster';
import type { LinesPage, LinesUnchanged } from '../src/bff/schemas/files';
import type { SandboxView, TaskPage } from '../src/bff/schemas/views';
import type { Bench, BenchResult } from './bench-table';
import { cpuSeconds, rssMb } from './proc-usage';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

const STATUS_MS = 2_000;
const VIEW_MS = 3_000;
const TAIL_MS = 1_000;
const RSS_SAMPLE_MS = 5_000;

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

export const loadBench: Bench = {
  name: 'load',
  description:
    'N viewers polling like the SPA (plus file tails) against one mesoscope over the local cluster',
  async run({ smoke }): Promise<BenchResult> {
    const seconds = Number(flag('duration') ?? (smoke ? 20 : 600));
    const viewerCounts = (flag('viewers') ?? (smoke ? '10' : '10,100,500')).split(',').map(Number);
    if (
      !Number.isFinite(seconds) ||
      seconds <= 0 ||
      viewerCounts.some((n) => !Number.isInteger(n) || n < 1)
    ) {
      throw new Error('--duration must be seconds > 0 and --viewers a list of whole numbers');
    }
    const upstream = new UpstreamCounter();
    const cluster = await startCluster({ agents: 3 });
    try {
      const rows: BenchResult['rows'] = [];
      for (const viewers of viewerCounts) {
        rows.push(await runOnce(cluster, upstream, viewers, seconds * 1000, flag('cpu-prof')));
      }
      return {
        title: `Load: simulated viewers against one mesoscope, ${seconds} s per run`,
        rows,
        notes: [
          'req/s, p50 and p99 are as the viewers saw them (status, overview, tasks and file tails together).',
          "generator loop delay: how late this process's event loop ran (the viewers and the cluster run in it); a latency above includes it.",
          "mesoscope CPU: its process's user + system time over the run, per request answered and in cores (what it used of the machine).",
          'errors: answers other than 200/304, and failed connections. RSS: mesoscope process, MiB (first sample after 10 s warm-up, last, largest).',
          'upstream/min: requests the cluster received from mesoscope, per minute; "poll" is master state and metrics, "files" the agents\' /files/read.',
          "followed files: the distinct task stdouts the viewers tail (viewer i tails file i mod 10); file reads/s per followed file: the agents' /files/ requests per second for each (goal: at most 1).",
        ],
      };
    } finally {
      upstream.close();
      await cluster.close();
    }
  },
};

class UpstreamCounter {
  counts = new Map<string, number>();
  private readonly onStart = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    const key = (request.url ?? '').split('?')[0]!.replace(/^\/slave\(\d+\)/, '');
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  };
  constructor() {
    diagnostics.subscribe('http.server.request.start', this.onStart);
  }
  reset(): void {
    this.counts.clear();
  }
  total(match: (endpoint: string) => boolean): number {
    let sum = 0;
    for (const [endpoint, count] of this.counts) if (match(endpoint)) sum += count;
    return sum;
  }
  close(): void {
    diagnostics.unsubscribe('http.server.request.start', this.onStart);
  }
}

function startBff(masterUrl: string, cpuProfileDir: string | undefined): Promise<BffProcess> {
  return startBffProcess(
    [
      '--master',
      masterUrl,
      '--poll-interval',
      '2000',
      // Every simulated viewer tails from this one address: the per-client limit is for people, not this.
      '--rate-limit-lines',
      '1000000',
    ],
    {
      env: { NODE_ENV: 'production' },
      nodeArgs: cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [],
      output: 'stderr',
      waitFor: 'readyz',
      timeoutMs: 60_000,
    },
  );
}

interface Stats {
  latencies: number[];
  /** The same latencies by path (`/api/status`, `/api/files/lines`...). */
  byPath: Map<string, number[]>;
  errors: number;
  requests: number;
  notModified: number;
}

async function runOnce(
  cluster: LocalCluster,
  upstream: UpstreamCounter,
  viewers: number,
  durationMs: number,
  cpuProfileDir: string | undefined,
): Promise<BenchResult['rows'][number]> {
  const bff = await startBff(cluster.masterUrl, cpuProfileDir);
  const pool = new Pool(bff.baseUrl, { connections: Math.min(viewers, 256), pipelining: 1 });
  const stats: Stats = { latencies: [], byPath: new Map(), errors: 0, requests: 0, notModified: 0 };
  const rss: number[] = [];
  const errorSamples = new Set<string>();

  const get = async (pathAndQuery: string, headers: Record<string, string>) => {
    const started = performance.now();
    stats.requests += 1;
    try {
      const response = await pool.request({ method: 'GET', path: pathAndQuery, headers });
      const body = await response.body.text();
      const took = performance.now() - started;
      stats.latencies.push(took);
      const byPath = stats.byPath.get(pathAndQuery.split('?')[0]!) ?? [];
      if (byPath.length === 0) stats.byPath.set(pathAndQuery.split('?')[0]!, byPath);
      byPath.push(took);
      if (response.statusCode === 304) stats.notModified += 1;
      else if (response.statusCode !== 200) {
        stats.errors += 1;
        if (errorSamples.size < 5) errorSamples.add(`${response.statusCode} ${pathAndQuery.split('?')[0]}`);
      }
      return { status: response.statusCode, etag: String(response.headers['etag'] ?? ''), body };
    } catch (error) {
      stats.errors += 1;
      if (errorSamples.size < 5) errorSamples.add((error as Error).message);
      return { status: 0, etag: '', body: '' };
    }
  };

  try {
    // Each viewer tails the stdout of one running task, spread over the tasks there are.
    const tasks = JSON.parse((await get('/api/tasks?group=active&limit=50', {})).body) as TaskPage;
    const targets: { agent: string; path: string }[] = [];
    for (const row of tasks.rows.slice(0, 10)) {
      const sandbox = await get(
        `/api/sandbox?agent=${row.agentId}&framework=${encodeURIComponent(row.frameworkId)}&executor=${encodeURIComponent(row.executorId)}&task=${encodeURIComponent(row.id)}`,
        {},
      );
      if (sandbox.status === 200) {
        const view = JSON.parse(sandbox.body) as SandboxView;
        targets.push({ agent: view.agentId, path: `${view.directory}/stdout` });
      }
    }
    if (targets.length === 0) throw new Error('no running task to tail');

    const stopAt = Date.now() + durationMs;
    stats.latencies = [];
    stats.byPath.clear();
    stats.errors = stats.requests = stats.notModified = 0;
    upstream.reset();
    const runStarted = Date.now();
    const cpuAtStart = cpuSeconds(bff.child.pid!);
    // The viewers and the cluster share this process: its own delays count in every latency measured here.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const sampler = setInterval(() => rss.push(rssMb(bff.child.pid!)), RSS_SAMPLE_MS);

    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const every = async (periodMs: number, offsetMs: number, step: () => Promise<void>) => {
      await sleep(offsetMs);
      while (Date.now() < stopAt) {
        const began = Date.now();
        await step();
        await sleep(Math.max(0, periodMs - (Date.now() - began)));
      }
    };
    const viewer = async (index: number) => {
      const ua = { 'user-agent': `load-viewer-${index}` };
      const etags = new Map<string, string>();
      const conditional = async (pathAndQuery: string) => {
        const etag = etags.get(pathAndQuery);
        const answer = await get(pathAndQuery, etag ? { ...ua, 'if-none-match': etag } : ua);
        if (answer.status === 200 && answer.etag) etags.set(pathAndQuery, answer.etag);
      };
      const target = targets[index % targets.length]!;
      const file = `agent=${encodeURIComponent(target.agent)}&path=${encodeURIComponent(target.path)}`;
      let after: number | null = null;
      const jitter = (index * 37) % 1000;
      await Promise.all([
        every(STATUS_MS, jitter, () => get('/api/status', ua).then(() => undefined)),
        every(VIEW_MS, jitter, () => conditional('/api/overview')),
        every(VIEW_MS, jitter + 50, () => conditional('/api/tasks?group=active&offset=0&limit=50')),
        every(TAIL_MS, jitter + 100, async () => {
          const answer = await get(
            `/api/files/lines?${file}&${after === null ? 'tail=1' : `after=${after}`}`,
            ua,
          );
          if (answer.status === 200) {
            const page = JSON.parse(answer.body) as LinesPage | LinesUnchanged;
            if (page.kind === 'lines') after = page.end;
          }
        }),
      ]);
    };
    await Promise.all(Array.from({ length: viewers }, (_, index) => viewer(index)));
    clearInterval(sampler);
    const elapsedS = (Date.now() - runStarted) / 1000;
    const cpuUsed = cpuSeconds(bff.child.pid!) - cpuAtStart;
    loopDelay.disable();

    const quantileOf = (values: number[], q: number) => {
      const sorted = values.sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    };
    const quantile = (q: number) => quantileOf(stats.latencies, q);
    const byPath = [...stats.byPath]
      .map(
        ([path, values]) =>
          `${path} ${quantileOf(values, 0.5).toFixed(0)}/${quantileOf(values, 0.99).toFixed(0)}`,
      )
      .join(', ');
    const steady = rss.slice(Math.min(2, rss.length - 1));
    const perMinute = (n: number) => (n / elapsedS) * 60;
    const fileReads = upstream.total((e) => e.startsWith('/files/'));
    return {
      viewers,
      s: Math.round(elapsedS),
      requests: stats.requests,
      'req/s': stats.requests / elapsedS,
      'p50 ms': quantile(0.5),
      'p99 ms': quantile(0.99),
      errors: stats.errors + (errorSamples.size ? ` (${[...errorSamples].join('; ')})` : ''),
      '304 %': (100 * stats.notModified) / Math.max(1, stats.requests),
      'mesoscope CPU ms/req': (cpuUsed * 1000) / Math.max(1, stats.requests),
      'mesoscope CPU cores': cpuUsed / elapsedS,
      'RSS MiB first/last/max': `${(steady[0] ?? 0).toFixed(0)} / ${(steady.at(-1) ?? 0).toFixed(0)} / ${Math.max(0, ...steady).toFixed(0)}`,
      'upstream poll/min': perMinute(
        upstream.total((e) => /^\/(master\/state|metrics\/snapshot|master\/redirect|api\/v1)/.test(e)),
      ),
      'upstream files/min': perMinute(fileReads),
      'followed files': targets.length,
      'file reads/s per followed file': fileReads / elapsedS / targets.length,
      'upstream all/min': perMinute(upstream.total(() => true)),
      'p50/p99 ms by path': byPath,
      'generator loop delay p50/p99 ms': `${(loopDelay.percentile(50) / 1e6).toFixed(0)}/${(loopDelay.percentile(99) / 1e6).toFixed(0)}`,
    };
  } finally {
    await pool.close();
    await bff.stop();
  }
}
