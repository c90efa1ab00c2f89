/**
 * Test support: a fixture-serving Marathon. One HTTP server answers Marathon 1.x's read endpoints (`/v2/apps`
 * with its embeds, `/v2/apps/{id}`, `/v2/groups`, `/v2/deployments`, `/v2/queue`, `/v2/info`, `/v2/leader`,
 * `/ping`, and `/v2/events` as server-sent events) from JSON built out of Marathon's documented examples
 * (fixtures/marathon/), with tasks for the Marathon framework of a fixture Mesos state so that its Mesos tasks
 * have apps. The state can be changed while it runs (`update`, which also sends an event), and the server can
 * be made to fail: drop connections (down), answer late (slow), answer 500, or answer broken JSON.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/marathon');

// Marathon JSON is handled loosely here, as Marathon writes it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawJson = any;

function readMarathonFixture(name: string): RawJson {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as RawJson;
}

interface FixtureMarathonState {
  info: RawJson;
  /** Full app objects, with every runtime field (`tasks`, counts, `deployments`, `lastTaskFailure`). */
  apps: RawJson[];
  /** Ids of groups that have no apps of their own (apps' parents are groups anyway). */
  groups: Array<{ id: string; dependencies?: string[] }>;
  deployments: RawJson[];
  queue: RawJson[];
}

type FixtureMarathonFailure = 'none' | 'down' | 'slow' | '500' | 'bad-json';

export interface FixtureMarathon {
  url: string;
  port: number;
  state: FixtureMarathonState;
  /** Changes the state, then sends an event (`deployment_info` unless named) to every `/v2/events` client. */
  update(change: (state: FixtureMarathonState) => void, eventType?: string): void;
  fail(mode: FixtureMarathonFailure, delayMs?: number): void;
  /** Every request: its path with query, and whether it carried an Authorization header. */
  requests: Array<{ url: string; authorization: string | null }>;
  /** Open `/v2/events` connections. */
  eventClients(): number;
  close(): Promise<void>;
}

export interface FixtureMarathonOptions {
  /** A Mesos master state whose `marathon` framework's tasks become apps with those very tasks. */
  mesosState?: RawJson;
  /** Instead of the examples: this many apps spread over this many groups (for benchmarks). */
  generate?: { apps: number; groups: number };
  /** `principal:secret`: every request without it gets 401. */
  credentials?: string;
  /** Serve `/v2/events` (default true). */
  events?: boolean;
  frameworkId?: string;
}

const ISO = '2026-01-05T10:00:00.000Z';

function task(appId: string, id: string, host: string, slaveId: string, extra: RawJson = {}): RawJson {
  return {
    appId,
    host,
    id,
    ports: [31000 + (id.length % 900)],
    servicePorts: [10000],
    slaveId,
    stagedAt: '2026-01-05T10:00:01.000Z',
    startedAt: '2026-01-05T10:00:03.000Z',
    state: 'TASK_RUNNING',
    version: ISO,
    ipAddresses: [{ ipAddress: host, protocol: 'IPv4' }],
    localVolumes: [],
    ...extra,
  };
}

function health(alive: boolean, instanceId: string, failures = 0): RawJson {
  return {
    alive,
    consecutiveFailures: failures,
    firstSuccess: '2026-01-05T10:00:10.000Z',
    instanceId,
    lastFailure: alive ? null : '2026-01-05T10:05:00.000Z',
    lastFailureCause: alive ? null : 'ConnectException: Connection refused',
    lastSuccess: '2026-01-05T10:04:40.000Z',
  };
}

/** Fills in counts from tasks, as `/v2/apps` with `embed=app.counts` does. */
function withCounts(app: RawJson): RawJson {
  const tasks: RawJson[] = app.tasks ?? [];
  const checked = (app.healthChecks ?? []).length > 0;
  const alive = (t: RawJson) => (t.healthCheckResults ?? []).every((h: RawJson) => h.alive);
  return {
    ...app,
    tasks,
    tasksStaged: tasks.filter((t) => t.state === 'TASK_STAGING').length,
    tasksRunning: tasks.filter((t) => t.state === 'TASK_RUNNING').length,
    tasksHealthy: checked
      ? tasks.filter((t) => t.state === 'TASK_RUNNING' && (t.healthCheckResults ?? []).length > 0 && alive(t))
          .length
      : 0,
    tasksUnhealthy: checked ? tasks.filter((t) => !alive(t)).length : 0,
    deployments: app.deployments ?? [],
  };
}

function baseApp(id: string, extra: RawJson = {}): RawJson {
  return {
    id,
    cmd: null,
    args: null,
    user: null,
    env: {},
    instances: 1,
    cpus: 0.1,
    mem: 64,
    disk: 0,
    gpus: 0,
    executor: '',
    constraints: [],
    uris: [],
    fetch: [],
    storeUrls: [],
    backoffSeconds: 1,
    backoffFactor: 1.15,
    maxLaunchDelaySeconds: 3600,
    container: null,
    healthChecks: [],
    readinessChecks: [],
    dependencies: [],
    upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
    labels: {},
    acceptedResourceRoles: null,
    ipAddress: null,
    version: ISO,
    residency: null,
    secrets: {},
    taskKillGracePeriodSeconds: null,
    unreachableStrategy: { inactiveAfterSeconds: 300, expungeAfterSeconds: 600 },
    killSelection: 'YOUNGEST_FIRST',
    versionInfo: { lastScalingAt: ISO, lastConfigChangeAt: ISO },
    portDefinitions: [{ port: 10000, protocol: 'tcp', name: 'default', labels: {} }],
    requirePorts: false,
    ...extra,
  };
}

const HTTP_CHECK = {
  gracePeriodSeconds: 300,
  ignoreHttp1xx: false,
  intervalSeconds: 20,
  maxConsecutiveFailures: 3,
  path: '/',
  portIndex: 0,
  protocol: 'HTTP',
  timeoutSeconds: 20,
  delaySeconds: 15,
};

/** The documented examples, plus an app for each app of the Mesos state's Marathon framework. */
function exampleState(options: FixtureMarathonOptions): FixtureMarathonState {
  const info = readMarathonFixture('info.json');
  const marathonFramework = (options.mesosState?.frameworks ?? []).find(
    (f: RawJson) => f.name === 'marathon',
  );
  info.frameworkId = options.frameworkId ?? marathonFramework?.id ?? info.frameworkId;
  const hostOf = new Map<string, string>(
    (options.mesosState?.slaves ?? []).map((s: RawJson) => [s.id, s.hostname]),
  );

  const apps: RawJson[] = [];
  // From the Mesos state: the tasks of Marathon's framework, grouped into apps by name.
  const byName = new Map<string, RawJson[]>();
  for (const t of marathonFramework?.tasks ?? []) {
    const list = byName.get(t.name) ?? [];
    list.push(t);
    byName.set(t.name, list);
  }
  for (const [name, tasks] of byName) {
    const id = `/${name}`;
    const checked = name !== 'chronos';
    apps.push(
      baseApp(id, {
        cmd: `./bin/${name} --port $PORT0`,
        instances: tasks.length,
        cpus: 0.25,
        mem: 256,
        constraints: tasks.length > 1 ? [['hostname', 'UNIQUE']] : [],
        healthChecks: checked ? [HTTP_CHECK] : [],
        tasks: tasks.map((t: RawJson, i: number) =>
          task(id, t.id, hostOf.get(t.slave_id) ?? 'unknown', t.slave_id, {
            // One instance of the first checked app with several fails its checks.
            healthCheckResults: checked
              ? [health(!(name === 'stubby' && i === 0), `${t.id}`, name === 'stubby' && i === 0 ? 2 : 0)]
              : [],
          }),
        ),
        ...(name === 'stubby'
          ? {
              lastTaskFailure: {
                appId: id,
                host: '10.66.1.160',
                message: 'Command exited with status 1',
                state: 'TASK_FAILED',
                taskId: 'stubby.0a11ce00-e1f9-11e5-9a50-5ac2a4ac00a4',
                timestamp: '2026-01-05T09:58:00.000Z',
                version: ISO,
                slaveId: '02223256-125c-4c3d-81db-3cdafbf233cd-S2',
              },
            }
          : {}),
      }),
    );
  }

  // The documented group tree: /tools, /tools/log, /tools/docker, their apps.
  const group = readMarathonFixture('group.json');
  const groups: FixtureMarathonState['groups'] = [];
  const walk = (g: RawJson) => {
    if (g.id !== '/') groups.push({ id: g.id, dependencies: g.dependencies ?? [] });
    for (const app of g.apps ?? []) {
      const tasks = Array.from({ length: Math.min(app.instances, 3) }, (_, i) =>
        task(
          app.id,
          `${app.id.slice(1).replace(/\//g, '_')}.00000000-0000-4000-8000-00000000000${i}`,
          `srv${i + 1}.hw.ca1.mesosphere.com`,
          `agent${i}`,
          { healthCheckResults: (app.healthChecks ?? []).length > 0 ? [health(true, `i${i}`)] : [] },
        ),
      );
      apps.push(baseApp(app.id, { ...app, tasks }));
    }
    for (const child of g.groups ?? []) walk(child);
  };
  walk(group);

  // The documented single apps: /myapp (in a deployment), /foo (waiting for offers), and two more of ours.
  const listed = readMarathonFixture('app_list.json').apps[0];
  apps.push(baseApp(listed.id, { ...listed, tasks: [] }));
  const foo = readMarathonFixture('app.json');
  apps.push(
    baseApp(foo.id, { ...foo, tasks: [], deployments: [{ id: '97c136bf-5a28-4821-9d94-480d9fbb01c8' }] }),
  );
  apps.push(baseApp('/tools/log/archiver', { cmd: 'archive --daily', instances: 0 }));
  apps.push(
    baseApp('/tools/log/shipper', {
      cmd: 'ship-logs',
      instances: 2,
      lastTaskFailure: {
        appId: '/tools/log/shipper',
        host: 'srv2.hw.ca1.mesosphere.com',
        message: 'Command exited with status 137',
        state: 'TASK_FAILED',
        taskId: 'tools_log_shipper.1f2e3d4c-0000-4000-8000-000000000001',
        timestamp: '2026-01-05T10:06:00.000Z',
        version: ISO,
      },
      tasks: [],
    }),
  );

  const queue = readMarathonFixture('queue.json').queue as RawJson[];
  queue.push({
    app: { id: '/tools/log/shipper', instances: 2 },
    count: 2,
    role: '*',
    delay: { timeLeftSeconds: 95, overdue: false },
    since: '2026-01-05T10:06:00.000Z',
  });

  const deployments = readMarathonFixture('deployments.json') as RawJson[];
  deployments.push({
    id: '9538079c-3898-4e32-aa31-799bf9097f74',
    version: '2015-09-25T15:13:48.343Z',
    affectedApps: ['/myapp'],
    affectedPods: [],
    steps: [
      { actions: [{ action: 'StartApplication', app: '/myapp' }] },
      { actions: [{ action: 'ScaleApplication', app: '/myapp' }] },
    ],
    currentActions: [{ action: 'ScaleApplication', app: '/myapp', readinessCheckResults: [] }],
    currentStep: 2,
    totalSteps: 2,
  });
  return { info, apps, groups, deployments, queue };
}

/** `apps` apps in `groups` groups (`/team-07/svc-0123`), 3 healthy tasks each, a few deploying or suspended. */
function generatedState(apps: number, groups: number, frameworkId: string | undefined): FixtureMarathonState {
  const info = readMarathonFixture('info.json');
  if (frameworkId) info.frameworkId = frameworkId;
  const list: RawJson[] = [];
  const deployments: RawJson[] = [];
  for (let i = 0; i < apps; i += 1) {
    const group = `/team-${String(i % groups).padStart(3, '0')}`;
    const id = `${group}/svc-${String(i).padStart(4, '0')}`;
    const instances = i % 50 === 0 ? 0 : 3;
    const deploying = i % 40 === 1;
    if (deploying) {
      deployments.push({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        version: ISO,
        affectedApps: [id],
        affectedPods: [],
        steps: [{ actions: [{ action: 'RestartApplication', app: id }] }],
        currentActions: [{ action: 'RestartApplication', app: id, readinessCheckResults: [] }],
        currentStep: 1,
        totalSteps: 1,
      });
    }
    list.push(
      baseApp(id, {
        cmd: `./serve --name svc-${i}`,
        instances,
        cpus: 0.5,
        mem: 512,
        constraints: [['hostname', 'UNIQUE']],
        healthChecks: [HTTP_CHECK],
        deployments: deploying ? [{ id: deployments[deployments.length - 1].id }] : [],
        tasks: Array.from({ length: instances }, (_, t) => {
          const taskId = `${id.slice(1).replace(/\//g, '_')}.${String(t).padStart(8, '0')}-0000-4000-8000-000000000000`;
          return task(id, taskId, `agent-${(i + t) % 100}.example.com`, `S${(i + t) % 100}`, {
            healthCheckResults: [health(true, taskId)],
          });
        }),
      }),
    );
  }
  return { info, apps: list, groups: [], deployments, queue: [] };
}

function embeds(search: URLSearchParams): Set<string> {
  return new Set(
    search.getAll('embed').map((e) => e.replace(/^apps\./, 'app.').replace(/^groups\./, 'group.')),
  );
}

/** An app as `/v2/apps` shows it with these embeds. */
function shownApp(app: RawJson, embed: Set<string>): RawJson {
  const full = withCounts(app);
  const {
    tasks,
    tasksStaged,
    tasksRunning,
    tasksHealthy,
    tasksUnhealthy,
    deployments,
    lastTaskFailure,
    ...definition
  } = full;
  return {
    ...definition,
    ...(embed.has('app.counts') || embed.size === 0
      ? { tasksStaged, tasksRunning, tasksHealthy, tasksUnhealthy }
      : {}),
    ...(embed.has('app.deployments') || embed.has('app.tasks') || embed.size === 0 ? { deployments } : {}),
    ...(embed.has('app.tasks') ? { tasks } : {}),
    ...(embed.has('app.lastTaskFailure') && lastTaskFailure ? { lastTaskFailure } : {}),
    ...(embed.has('app.taskStats')
      ? {
          tasksStats: {
            totalSummary: {
              stats: {
                counts: {
                  staged: tasksStaged,
                  running: tasksRunning,
                  healthy: tasksHealthy,
                  unhealthy: tasksUnhealthy,
                },
                lifeTime: { averageSeconds: 3600, medianSeconds: 3600 },
              },
            },
          },
        }
      : {}),
  };
}

/** The group tree of `/v2/groups`; with `embed=group.groups` only, groups carry no apps. */
function groupTree(state: FixtureMarathonState, withApps: boolean): RawJson {
  const ids = new Set<string>(state.groups.map((g) => g.id));
  for (const app of state.apps) {
    for (let p = app.id.slice(0, app.id.lastIndexOf('/')); p; p = p.slice(0, p.lastIndexOf('/'))) ids.add(p);
  }
  const node = (id: string): RawJson => ({
    id,
    apps: withApps
      ? state.apps
          .filter((a) => a.id.slice(0, a.id.lastIndexOf('/') || 1) === id)
          .map((a) => shownApp(a, new Set()))
      : [],
    groups: [...ids]
      .filter((g) => (g.slice(0, g.lastIndexOf('/')) || '/') === id)
      .sort()
      .map(node),
    pods: [],
    dependencies: state.groups.find((g) => g.id === id)?.dependencies ?? [],
    version: ISO,
  });
  return node('/');
}

export async function startFixtureMarathon(options: FixtureMarathonOptions = {}): Promise<FixtureMarathon> {
  const state = options.generate
    ? generatedState(options.generate.apps, options.generate.groups, options.frameworkId)
    : exampleState(options);
  let failure: FixtureMarathonFailure = 'none';
  let delayMs = 0;
  const requests: FixtureMarathon['requests'] = [];
  const streams = new Set<http.ServerResponse>();
  const expected = options.credentials
    ? `Basic ${Buffer.from(options.credentials, 'utf8').toString('base64')}`
    : null;

  const answer = (res: http.ServerResponse, status: number, body: unknown) => {
    if (failure === 'bad-json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"apps": [{"id": "/broken", ');
      return;
    }
    if (failure === '500') {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"message":"An unexpected server error occurred."}');
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  };

  const route = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/ping') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
    if (p === '/v2/info') return answer(res, 200, state.info);
    if (p === '/v2/leader') return answer(res, 200, { leader: state.info.leader });
    if (p === '/v2/apps') {
      return answer(res, 200, { apps: state.apps.map((app) => shownApp(app, embeds(url.searchParams))) });
    }
    if (p.startsWith('/v2/apps/') && p.endsWith('/versions')) {
      const id = p.slice('/v2/apps'.length, -'/versions'.length);
      const app = state.apps.find((a) => a.id === id);
      if (!app) return answer(res, 404, { message: `App '${id}' does not exist` });
      const older = ['2025-12-01T08:00:00.000Z', '2025-11-20T16:30:00.000Z'];
      return answer(res, 200, {
        versions: [...new Set([app.version, app.versionInfo?.lastConfigChangeAt, ...older])],
      });
    }
    if (p.startsWith('/v2/apps/')) {
      const id = p.slice('/v2/apps'.length);
      const app = state.apps.find((a) => a.id === id);
      if (!app) return answer(res, 404, { message: `App '${id}' does not exist` });
      return answer(res, 200, {
        app: shownApp(app, new Set(['app.tasks', 'app.counts', 'app.deployments', 'app.lastTaskFailure'])),
      });
    }
    if (p === '/v2/groups') {
      const embed = embeds(url.searchParams);
      return answer(res, 200, groupTree(state, embed.size === 0 || embed.has('group.apps')));
    }
    if (p === '/v2/deployments') return answer(res, 200, state.deployments);
    if (p === '/v2/queue') return answer(res, 200, { queue: state.queue });
    if (p === '/v2/events' && options.events !== false) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(
        `event: event_stream_attached\ndata: ${JSON.stringify({ remoteAddress: '127.0.0.1', eventType: 'event_stream_attached', timestamp: new Date().toISOString() })}\n\n`,
      );
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    answer(res, 404, { message: `Not found: ${p}` });
  };

  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '/', authorization: req.headers.authorization ?? null });
    if (failure === 'down') {
      req.socket.destroy();
      return;
    }
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, {
        'www-authenticate': 'Basic realm="Marathon"',
        'content-type': 'application/json',
      });
      res.end('{"message":"Invalid username or password."}');
      return;
    }
    if (failure === 'slow') {
      const timer = setTimeout(() => route(req, res), delayMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  state.info.leader = `127.0.0.1:${port}`;
  state.info.marathon_config = { ...state.info.marathon_config, webui_url: url, hostname: '127.0.0.1' };

  return {
    url,
    port,
    state,
    requests,
    update(change, eventType = 'deployment_info') {
      change(state);
      const data = JSON.stringify({ eventType, timestamp: new Date().toISOString() });
      // A keep-alive first, as some Marathons send between events, then the event with CRLF line ends.
      for (const stream of streams) stream.write(`\r\nevent: ${eventType}\r\ndata: ${data}\r\n\r\n`);
    },
    fail(mode, ms = 0) {
      failure = mode;
      delayMs = ms;
      if (mode === 'down') for (const stream of streams) stream.destroy();
    },
    eventClients: () => streams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
