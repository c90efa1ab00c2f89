/**
 * `npm run bench -- scheduler [--smoke]`: a local cluster (3 agents) runs in its own process, as
 * `src/cluster/main.ts` does; one framework in this process subscribes through its scheduler API and launches
 * 1,000 `sleep` command tasks from its offers, acknowledging every update.
 *
 * - time from its first ACCEPT to the 1,000th TASK_RUNNING it receives;
 * - status update latency: from the agent recording an update (its `timestamp`, taken when the agent sees the
 *   process forked or exited) to the framework reading it off the stream in another process, p50 and p99 over
 *   every update of the run;
 * - the RSS of the cluster process (the master and its agents, which share it) with 1,000 tasks running.
 *
 * `--smoke`: 50 tasks.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TestScheduler, commandTask } from '../src/cluster/master/scheduler-api/test-scheduler';
import type { SchedulerEvent } from '../src/cluster/master/scheduler-api/test-scheduler';
import type { Bench, BenchResult } from './bench-table';
import { rssMb } from './proc-usage';
import { sumScalar } from '../src/mesos/resources';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const TASK_CPUS = 0.01;
const TASK_MEM = 16;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface ClusterProcess {
  child: ChildProcess;
  masterUrl: string;
}

/** Starts `src/cluster/main.ts` in its own Node process (not the tsx CLI, so its pid is the cluster's). */
function startClusterProcess(): Promise<ClusterProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cluster/main.ts', '--scenario', 'empty', '--agents', '3', '--port', '0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Mesos master: (\S+)/.exec(output)?.[1];
      if (url) resolve({ child, masterUrl: url });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the cluster exited (${code}) before starting: ${output}`)),
    );
  });
}

async function stopClusterProcess({ child }: ClusterProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  child.kill('SIGKILL');
}

async function run({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const total = smoke ? 50 : 1000;
  const cluster = await startClusterProcess();
  const latencies: number[] = [];
  const running = new Set<string>();
  let firstAccept = 0;
  let allRunning = 0;
  let scheduler: TestScheduler | undefined;
  try {
    scheduler = await TestScheduler.subscribe(cluster.masterUrl, { user: 'root', name: 'bench-sleepers' });
    const s = scheduler;
    let launched = 0;
    let seen = 0;
    const onEvents = async (): Promise<void> => {
      for (; seen < s.events.length; seen++) {
        const event: SchedulerEvent | undefined = s.events[seen];
        if (!event) continue;
        if (event.type === 'UPDATE') {
          const status = event.update.status;
          latencies.push((s.arrivals[seen] ?? Date.now()) - status.timestamp * 1000);
          if (status.state === 'TASK_RUNNING') {
            running.add(status.task_id.value);
            if (running.size === total && !allRunning) allRunning = s.arrivals[seen] ?? Date.now();
          }
        }
        if (event.type !== 'OFFERS') continue;
        for (const offer of event.offers.offers) {
          const fit = Math.min(
            Math.floor(sumScalar(offer.resources, 'cpus') / TASK_CPUS + 1e-9),
            Math.floor(sumScalar(offer.resources, 'mem') / TASK_MEM),
            total - launched,
          );
          const tasks = Array.from({ length: fit }, (_, i) =>
            commandTask(offer, `sleeper-${launched + i}`, 'sleep 120', { cpus: TASK_CPUS, mem: TASK_MEM }),
          );
          launched += fit;
          if (!firstAccept && tasks.length > 0) firstAccept = Date.now();
          await s.call('ACCEPT', {
            accept: {
              offer_ids: [offer.id],
              operations: tasks.length ? [{ type: 'LAUNCH', launch: { task_infos: tasks } }] : [],
              filters: { refuse_seconds: launched >= total ? 3600 : 0 },
            },
          });
        }
      }
    };
    const deadline = Date.now() + 180_000;
    while (!allRunning && Date.now() < deadline) {
      await onEvents();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (!allRunning) throw new Error(`only ${running.size} of ${total} tasks RUNNING after 180 s`);
    const rss = rssMb(cluster.child.pid ?? 0);
    return {
      title: `Scheduler API: ${total} sleep tasks from one framework on 3 agents`,
      rows: [
        {
          tasks: total,
          'first ACCEPT to all RUNNING (s)': (allRunning - firstAccept) / 1000,
          'update latency p50 (ms)': percentile(latencies, 50),
          'update latency p99 (ms)': percentile(latencies, 99),
          updates: latencies.length,
          'master process RSS (MiB)': Math.round(rss),
        },
      ],
      notes: [
        'Goals (issue): all RUNNING < 15 s on 2 cores; update latency p50 < 50 ms, p99 < 500 ms.',
        "The cluster runs in its own process, the framework in the benchmark's: latency is from the status `timestamp` the agent sets when it sees the task process forked (or exited) to the framework reading the UPDATE off its stream (one host, one clock); a RUNNING update waits, as in Mesos, for its STARTING to be acknowledged.",
        'RSS is of the cluster process: the master and its 3 agents, which the local cluster runs in one process.',
      ],
    };
  } finally {
    await scheduler?.call('TEARDOWN').catch(() => undefined);
    await stopClusterProcess(cluster);
  }
}

export const schedulerBench: Bench = {
  name: 'scheduler',
  description:
    'one framework launches 1,000 sleep tasks through the scheduler API: time to RUNNING, update latency, RSS',
  run,
};
