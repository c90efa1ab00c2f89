/**
 * `npm run bench -- scheduler [--smoke]`: one framework, subscribed through the scheduler API of the embedded
 * local cluster (3 agents), launches 1,000 `sleep` command tasks from its offers, acknowledging every update.
 *
 * - time from its first ACCEPT to the 1,000th TASK_RUNNING it receives;
 * - status update latency: from the master recording an update (its `timestamp`) to the framework reading it
 *   off the stream, p50 and p99 over every update of the run;
 * - the RSS of the process that runs the master (the cluster is embedded, so this includes the agents' side
 *   and the benchmark's own scheduler) with 1,000 tasks running.
 *
 * `--smoke`: 50 tasks.
 */
import { startCluster } from '../src/cluster';
import { TestScheduler, commandTask, scalar } from '../src/cluster/master/scheduler-api/test-scheduler';
import type { SchedulerEvent } from '../src/cluster/master/scheduler-api/test-scheduler';
import type { Bench, BenchResult } from './bench-table';

const TASK_CPUS = 0.01;
const TASK_MEM = 16;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const total = smoke ? 50 : 1000;
  const cluster = await startCluster({ scenario: 'empty', agents: 3 });
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
            Math.floor(scalar(offer, 'cpus') / TASK_CPUS + 1e-9),
            Math.floor(scalar(offer, 'mem') / TASK_MEM),
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
    const rss = process.memoryUsage().rss;
    return {
      title: `Scheduler API: ${total} sleep tasks from one framework on 3 agents`,
      rows: [
        {
          tasks: total,
          'first ACCEPT to all RUNNING (s)': (allRunning - firstAccept) / 1000,
          'update latency p50 (ms)': percentile(latencies, 50),
          'update latency p99 (ms)': percentile(latencies, 99),
          updates: latencies.length,
          'master process RSS (MiB)': Math.round(rss / 2 ** 20),
        },
      ],
      notes: [
        'Goals (issue): all RUNNING < 15 s on 2 cores; update latency p50 < 50 ms, p99 < 500 ms.',
        'The cluster is embedded: the RSS is of the one process that runs the master, the agents and this scheduler.',
      ],
    };
  } finally {
    await scheduler?.call('TEARDOWN').catch(() => undefined);
    await cluster.close();
  }
}

export const schedulerBench: Bench = {
  name: 'scheduler',
  description:
    'one framework launches 1,000 sleep tasks through the scheduler API: time to RUNNING, update latency, RSS',
  run,
};
