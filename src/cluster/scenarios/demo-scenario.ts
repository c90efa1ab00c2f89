import type { ClusterCore } from '../master/cluster-core';
import { LOG_DEMO_APPS } from './log-scenario';
import type { FrameworkRecord } from '../master/model';
import { TERMINAL_STATES } from '../master/model';
import type { TaskExtrasSpec } from '../master/task-extras';

/** A running scenario; {@link stop} clears its timers. */
export interface ScenarioHandle {
  stop(): void;
}

/** A Marathon-style app: kept at `instances` running copies. */
interface AppSpec {
  id: string;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  ports: number;
  cmd: string;
  /** Labels, container, discovery info, health check. */
  extras?: TaskExtrasSpec;
}

const MARATHON_APPS: AppSpec[] = [
  {
    id: 'hello',
    instances: 2,
    cpus: 0.1,
    mem: 32,
    disk: 10,
    ports: 1,
    cmd:
      'i=0; while true; do echo "Hey Mesos"; i=$((i+1)); ' +
      'if [ $((i % 3)) -eq 1 ]; then echo "hello: heartbeat $i" >&2; fi; sleep 5; done',
  },
  {
    id: 'counter',
    instances: 1,
    cpus: 0.1,
    mem: 16,
    disk: 10,
    ports: 0,
    cmd: 'i=1; while [ $i -le 25 ]; do echo "$i"; i=$((i+1)); sleep 1; done; exit 0',
  },
  {
    id: 'web',
    instances: 1,
    cpus: 0.5,
    mem: 128,
    disk: 50,
    ports: 1,
    cmd: 'echo "web: serving on port $PORT0"; while true; do echo "GET / 200 $(date -u +%H:%M:%S)"; sleep 3; done',
    // Docker-style and health-checked (the check passes: the sandbox's stdout says it is serving).
    extras: {
      labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'web.example.com', team: 'storefront' },
      container: {
        type: 'DOCKER',
        image: 'nginx:1.27-alpine',
        network: 'BRIDGE',
        portMappings: [{ containerPort: 80, protocol: 'tcp' }],
        volumes: [{ containerPath: '/var/cache/nginx', hostPath: 'nginx-cache', mode: 'RW' }],
      },
      discovery: { name: 'web', visibility: 'EXTERNAL', ports: [{ name: 'http', protocol: 'tcp' }] },
      healthCheck: {
        command: 'grep -q "serving on port" stdout',
        delaySeconds: 2,
        intervalSeconds: 5,
        timeoutSeconds: 5,
        consecutiveFailures: 3,
        gracePeriodSeconds: 10,
      },
    },
  },
  {
    id: 'cache',
    instances: 1,
    cpus: 0.2,
    mem: 64,
    disk: 10,
    ports: 1,
    cmd: 'echo "cache: listening on $PORT0, warming up"; while true; do echo "cache: still warming up"; sleep 7; done',
    // Its health check waits for a file that never appears, so it stays unhealthy.
    extras: {
      labels: { team: 'platform', tier: 'backend' },
      container: { type: 'MESOS', image: 'redis:7-alpine' },
      discovery: { name: 'cache', visibility: 'CLUSTER', ports: [{ name: 'redis', protocol: 'tcp' }] },
      healthCheck: {
        command: 'test -f warmed-up',
        delaySeconds: 2,
        intervalSeconds: 5,
        timeoutSeconds: 2,
        consecutiveFailures: 3,
        gracePeriodSeconds: 5,
      },
    },
  },
  // Output that exercises the file viewer (see log-scenario.ts).
  ...LOG_DEMO_APPS,
];

/** Chronos-style jobs, run together every {@link CHRONOS_INTERVAL_MS}. */
export const CHRONOS_JOBS = [
  { name: 'nightly-backup', cmd: 'echo "backup started"; sleep 2; echo done; exit 0' },
  { name: 'report-mailer', cmd: 'echo "sending report"; echo oops >&2; exit 1' },
];

const RECONCILE_INTERVAL_MS = 1000;
export const CHRONOS_INTERVAL_MS = 20_000;
/** How long the demo's frameworks hold an offer before they hand it back. */
const OFFER_HOLD_MS = 4000;

/**
 * The `demo` scenario: a finished `spark-pi` framework, Marathon keeping apps running,
 * Chronos running short jobs on a schedule, and offers from the allocator that they hold a while and decline.
 */
export async function startDemoScenario(
  core: ClusterCore,
  marathonUrl?: string,
  // Off when a real Chronos runs the demo's jobs: one `chronos` framework.
  { scriptedChronos = true }: { scriptedChronos?: boolean } = {},
): Promise<ScenarioHandle> {
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => void) => {
    const timer = setInterval(fn, ms);
    timer.unref();
    timers.push(timer);
  };
  const host = core.host;
  core.quotas.set('chronos', { guarantee: { cpus: 0.5, mem: 256 }, limit: { cpus: 2, mem: 2048 } });

  await runSparkPi(core);

  // With the local Marathon running, the demo's apps are deployed through its API and it is the only `marathon`.
  if (marathonUrl) await deployToMarathon(core, marathonUrl);
  const marathon = marathonUrl
    ? undefined
    : core.registerFramework({
        name: 'marathon',
        user: 'root',
        hostname: host,
        principal: 'marathon',
        webuiUrl: `http://${host}:8080`,
        roles: ['marathon'],
        capabilities: [
          'PARTITION_AWARE',
          'TASK_KILLING_STATE',
          'GPU_RESOURCES',
          'REGION_AWARE',
          'MULTI_ROLE',
        ],
        failoverTimeout: 604800,
        checkpoint: true,
      });
  const chronos = !scriptedChronos
    ? null
    : core.registerFramework({
        name: 'chronos',
        user: 'root',
        hostname: host,
        principal: 'chronos',
        webuiUrl: `http://${host}:4400`,
        roles: ['chronos'],
        capabilities: ['MULTI_ROLE'],
        failoverTimeout: 604800,
        checkpoint: true,
      });

  let reconciling = false;
  const reconcile = async () => {
    if (reconciling || core.closed || !marathon) return;
    reconciling = true;
    try {
      for (const app of MARATHON_APPS) {
        const running = [...marathon.tasks.values()].filter((t) => t.name === app.id).length;
        for (let i = running; i < app.instances && !core.closed; i++) {
          await core
            .launchTask({
              frameworkId: marathon.id,
              name: app.id,
              cmd: app.cmd,
              cpus: app.cpus,
              mem: app.mem,
              disk: app.disk,
              ports: app.ports,
              ...(app.extras ? { extras: app.extras } : {}),
            })
            .catch((error: Error) =>
              core.log.log('W', 'marathon.cpp:1', `Deferring ${app.id}: ${error.message}`),
            );
        }
      }
    } finally {
      reconciling = false;
    }
  };

  const runChronos = () => {
    for (const job of CHRONOS_JOBS) {
      if (core.closed || !chronos) return;
      void core
        .launchTask({
          frameworkId: chronos.id,
          taskId: `ct:${Date.now()}:0:${job.name}:`,
          name: `ChronosTask:${job.name}`,
          cmd: job.cmd,
          cpus: 0.1,
          mem: 32,
          disk: 10,
        })
        .catch((error: Error) =>
          core.log.log('W', 'chronos.cpp:1', `Skipping ${job.name}: ${error.message}`),
        );
    }
  };

  // Marathon and Chronos launch inside the cluster, not from offers: they take part in allocation like any
  // framework, hold what they are offered for a while and decline it, so offers come and go between them.
  const offerTakers = [marathon, chronos].filter((f): f is FrameworkRecord => f !== undefined && f !== null);
  for (const framework of offerTakers) core.allocator.addFramework(framework.id);
  const heldSince = new Map<string, number>();
  const declineHeldOffers = () => {
    if (core.closed) return;
    const now = Date.now();
    for (const offer of [...core.offers.values()]) {
      if (!offerTakers.some((f) => f.id === offer.frameworkId)) continue;
      const since = heldSince.get(offer.id);
      if (since === undefined) heldSince.set(offer.id, now);
      else if (now - since >= OFFER_HOLD_MS) {
        heldSince.delete(offer.id);
        core.allocator.decline(offer.frameworkId, [offer.id], OFFER_HOLD_MS / 1000);
      }
    }
    for (const offerId of heldSince.keys()) if (!core.offers.has(offerId)) heldSince.delete(offerId);
  };

  await reconcile();
  runChronos();
  core.allocator.allocate();
  every(RECONCILE_INTERVAL_MS, () => void reconcile());
  every(CHRONOS_INTERVAL_MS, runChronos);
  every(RECONCILE_INTERVAL_MS, declineHeldOffers);
  return { stop: () => timers.forEach(clearInterval) };
}

/** POSTs the demo's apps to a Marathon's `/v2/apps` as Marathon app definitions. */
async function deployToMarathon(core: ClusterCore, marathonUrl: string): Promise<void> {
  for (const app of MARATHON_APPS) {
    const extras = app.extras;
    const check = extras?.healthCheck;
    const container = extras?.container;
    const definition = {
      id: `/${app.id}`,
      cmd: app.cmd,
      instances: app.instances,
      cpus: app.cpus,
      mem: app.mem,
      disk: app.disk,
      portDefinitions: Array.from({ length: app.ports }, (_, i) => {
        const name = extras?.discovery?.ports?.[i]?.name;
        return { port: 0, protocol: 'tcp', ...(name ? { name } : {}) };
      }),
      ...(extras?.labels ? { labels: extras.labels } : {}),
      ...(container?.type === 'DOCKER'
        ? {
            container: {
              type: 'DOCKER',
              docker: { image: container.image, network: container.network },
              portMappings: (container.portMappings ?? []).map((p) => ({ ...p, hostPort: 0 })),
              volumes: container.volumes ?? [],
            },
          }
        : container
          ? { container: { type: container.type, docker: { image: container.image } } }
          : {}),
      ...(check
        ? {
            healthChecks: [
              {
                protocol: 'COMMAND',
                command: { value: check.command },
                gracePeriodSeconds: check.gracePeriodSeconds,
                intervalSeconds: check.intervalSeconds,
                timeoutSeconds: check.timeoutSeconds,
                maxConsecutiveFailures: 0,
              },
            ],
          }
        : {}),
    };
    const res = await fetch(new URL('/v2/apps', marathonUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(definition),
    }).catch((error: Error) => ({ ok: false, status: 0, text: async () => error.message }));
    if (!res.ok)
      core.log.log('W', 'marathon.cpp:1', `Deploying ${app.id}: ${res.status} ${await res.text()}`);
  }
}

/** Runs two quick Spark-like tasks, waits for them to finish, then tears the framework down. */
async function runSparkPi(core: ClusterCore): Promise<void> {
  const spark = core.registerFramework({
    name: 'spark-pi',
    user: 'spark',
    hostname: core.host,
    webuiUrl: `http://${core.host}:4040`,
    roles: ['*'],
    singleRole: true,
  });
  const tasks = await Promise.all(
    [0, 1].map((n) =>
      core.launchTask({
        frameworkId: spark.id,
        taskId: String(n),
        name: `task ${n}.0 in stage 0.0 (TID ${n})`,
        cmd: `echo "Running task ${n}.0 in stage 0.0 (TID ${n})"; echo "Pi is roughly 3.14${n}59"; exit 0`,
        cpus: 0.5,
        mem: 128,
      }),
    ),
  );
  const deadline = Date.now() + 5000;
  while (tasks.some((t) => !TERMINAL_STATES.has(t.state)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await core.teardownFramework(spark.id);
}
