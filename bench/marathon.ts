/**
 * `npm run bench -- marathon [--smoke]`: the local Marathon on the embedded local cluster (3 agents).
 *
 * - an app of 100 instances with a COMMAND health check, from its POST to /v2/apps until all 100 are healthy
 *   and its deployment is done (goal: under 20 s on 2 cores);
 * - a rolling restart of it with `upgradeStrategy.minimumHealthCapacity` 0.5 (and no room over capacity): how
 *   long until every instance is a healthy one of the new version, and the fewest healthy instances seen
 *   meanwhile (it must never go under 50), read from /v2/apps as any client reads it.
 *
 * `--smoke`: 10 instances.
 */
import { startCluster } from '../src/cluster';
import type { Bench, BenchResult } from './bench-table';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(base: string, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as Json;
}

/** Polls the app until `done(app)`, calling `sample` with every reading; throws after `timeoutMs`. */
async function watch(
  base: string,
  done: (app: Json) => boolean,
  sample: (app: Json) => void,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { app } = await api(base, 'GET', '/v2/apps/bench?embed=app.tasks');
    sample(app as Json);
    if (done(app as Json)) return;
    if (Date.now() > deadline)
      throw new Error(`not done after ${timeoutMs} ms: ${JSON.stringify({ ...app, tasks: undefined })}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function run({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const instances = smoke ? 10 : 100;
  const minimumHealthy = Math.ceil(instances * 0.5);
  const cluster = await startCluster({ scenario: 'empty', agents: 3, marathon: { port: 0 } });
  const base = cluster.marathonUrl ?? '';
  try {
    const allHealthy = (version?: string) => (app: Json) =>
      app.tasksHealthy === instances &&
      app.tasksRunning === instances &&
      (app.deployments as Json[]).length === 0 &&
      (version === undefined || (app.tasks as Json[]).every((t) => t.version === version));

    const started = Date.now();
    await api(base, 'POST', '/v2/apps', {
      id: '/bench',
      cmd: 'sleep 3600',
      instances,
      cpus: 0.01,
      mem: 16,
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
      healthChecks: [
        {
          protocol: 'COMMAND',
          command: { value: 'true' },
          gracePeriodSeconds: 30,
          intervalSeconds: 5,
          maxConsecutiveFailures: 3,
        },
      ],
    });
    await watch(base, allHealthy(), () => undefined, 120_000);
    const toHealthy = (Date.now() - started) / 1000;

    let fewestHealthy = instances;
    const restartAt = Date.now();
    const restarted = await api(base, 'PUT', '/v2/apps/bench', { cmd: 'sleep 3601' });
    await watch(
      base,
      allHealthy(restarted.version as string),
      (app) => {
        fewestHealthy = Math.min(fewestHealthy, app.tasksHealthy as number);
      },
      180_000,
    );
    const restartSeconds = (Date.now() - restartAt) / 1000;
    return {
      title: `Local Marathon: ${instances} instances on 3 agents`,
      rows: [
        { measure: `POST /v2/apps -> ${instances} healthy`, seconds: toHealthy, goal: '< 20 s' },
        {
          measure: 'rolling restart, minimumHealthCapacity 0.5',
          seconds: restartSeconds,
          'fewest healthy': fewestHealthy,
          goal: `never below ${minimumHealthy} healthy`,
        },
      ],
      notes: [
        'COMMAND health check `true` every 5 s, run by the agent; instances are `sleep` processes of 0.01 CPU and 16 MB',
        'healthy counts read from GET /v2/apps/bench every 50 ms during the restart',
      ],
    };
  } finally {
    await cluster.close();
  }
}

export const marathonBench: Bench = {
  name: 'marathon',
  description:
    'local Marathon: 100 instances POST -> all healthy, and a rolling restart at minimumHealthCapacity 0.5',
  run,
};
