/**
 * Test support: a "fixture-serving" Mesos. One HTTP server plays the master and one plays each agent, answering
 * with real JSON from fixtures/mesos/ (0.19 to 1.x), so the BFF can be pointed at it with --master exactly as at
 * a real cluster. Only addresses are changed: each agent's `pid` is rewritten to where its stand-in listens
 * (an agent without fixture data gets a port that refuses connections). An agent fixture whose agent is not
 * in the master's state (they came from different clusters) is added to `slaves` with the fields the master
 * would list for it, taken from the agent's own state. With `servedAs: '0.22'` every JSON endpoint answers only in
 * its `.json` form and the plain form is a 404, as masters and agents before Mesos 0.25 do.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/mesos');

// Fixture JSON is read loosely, as the tests that use it compute their expectations from it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RawJson = any;

/** Reads a fixture by its path under fixtures/mesos/. */
export function readFixture(name: string): RawJson {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as RawJson;
}

interface FixtureAgent {
  state: string;
  metrics?: string;
  monitor?: string;
}

export interface FixtureSet {
  /** e.g. `v0.22.0-datadog`. */
  name: string;
  masterState: string;
  masterMetrics?: string;
  roles?: string;
  maintenanceSchedule?: string;
  /** A maintenance status object (the fixtures only carry it inside a v1 answer). */
  maintenanceStatus?: () => RawJson;
  agents: FixtureAgent[];
}

/** Every fixture a page can be built from, grouped as a master and its agents. */
export const FIXTURE_SETS: readonly FixtureSet[] = [
  {
    name: 'v0.19-mesos-cli',
    masterState: 'v0.19-mesos-cli/master-state.json',
    agents: [
      { state: 'v0.19-mesos-cli/agent-state.json', monitor: 'v0.19-mesos-cli/agent-monitor-statistics.json' },
    ],
  },
  {
    name: 'v0.22.0-datadog',
    masterState: 'v0.22.0-datadog/master-state.json',
    masterMetrics: 'v0.22.0-datadog/master-metrics-snapshot.json',
    roles: 'v0.22.0-datadog/master-roles.json',
    agents: [
      { state: 'v0.22.0-datadog/agent-state.json', metrics: 'v0.22.0-datadog/agent-metrics-snapshot.json' },
    ],
  },
  {
    name: 'v0.27.1-capgemini',
    masterState: 'v0.27.1-capgemini/master-state.json',
    masterMetrics: 'v0.27.1-capgemini/metrics-snapshot.json',
    agents: [{ state: 'v0.27-dcos-agent/agent-state.json' }],
  },
  {
    name: 'mesos-docs',
    masterState: 'mesos-docs/endpoint-help/master-state.json',
    roles: 'mesos-docs/docs/master-roles.quota-md.json',
    maintenanceSchedule: 'mesos-docs/docs/master-maintenance-schedule.maintenance-md.json',
    maintenanceStatus: () =>
      readFixture('mesos-docs/operator-api/master/GET_MAINTENANCE_STATUS.response.json')
        .get_maintenance_status.status,
    agents: [
      {
        state: 'mesos-docs/endpoint-help/agent-state.repaired.json',
        monitor: 'mesos-docs/endpoint-help/agent-monitor-statistics.json',
      },
    ],
  },
];

export interface FixtureCluster {
  masterUrl: string;
  /** `METHOD path` of every request the master got, in order. */
  masterRequests: string[];
  /** The master state as served (pids rewritten, missing agents added). */
  masterState: RawJson;
  /** Agent id → its raw state, for agents served from fixtures. */
  agentStates: Map<string, RawJson>;
  close(): Promise<void>;
}

type Routes = Map<string, () => RawJson>;

async function serve(
  routes: Routes,
  requests: string[] = [],
  legacy = false,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes.get(pathname);
    if (pathname === '/master/redirect' || pathname === '/redirect') {
      const { port } = server.address() as AddressInfo;
      // Before 0.23 the Location was an absolute http:// URL.
      res.writeHead(307, { location: `${legacy ? 'http:' : ''}//127.0.0.1:${port}` }).end();
      return;
    }
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.stringify(route());
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released), for agents that have no fixture data. */
async function refusedPort(): Promise<number> {
  const probe = await serve(new Map());
  await probe.close();
  return probe.port;
}

/**
 * Both the plain and the `.json` form, with and without a prefix; only the `.json` form when `legacy` (Mesos
 * before 0.25 serves only that).
 */
function paths(prefixes: string[], name: string, legacy: boolean): string[] {
  return prefixes.flatMap((prefix) => [...(legacy ? [] : [`${prefix}/${name}`]), `${prefix}/${name}.json`]);
}

/** The fields `/master/state` lists for an agent, as its own state gives them. */
function slaveEntryFor(agentState: RawJson): RawJson {
  return {
    id: agentState.id,
    pid: agentState.pid,
    hostname: agentState.hostname,
    registered_time: agentState.start_time,
    resources: agentState.resources,
    attributes: agentState.attributes ?? {},
    active: true,
    version: agentState.version,
  };
}

export async function startFixtureCluster(
  set: FixtureSet,
  options: { servedAs?: '0.22' } = {},
): Promise<FixtureCluster> {
  const legacy = options.servedAs === '0.22';
  const masterState = readFixture(set.masterState);
  masterState.slaves = [...(masterState.slaves ?? [])];
  const servers: Array<{ close(): Promise<void> }> = [];
  const agentStates = new Map<string, RawJson>();

  for (const fixture of set.agents) {
    const state = readFixture(fixture.state);
    const routes: Routes = new Map();
    for (const route of paths(['', '/slave(1)'], 'state', legacy)) routes.set(route, () => state);
    for (const route of paths(['', '/slave(1)'], 'monitor/statistics', legacy)) {
      if (fixture.monitor) routes.set(route, () => readFixture(fixture.monitor as string));
    }
    if (fixture.metrics) routes.set('/metrics/snapshot', () => readFixture(fixture.metrics as string));
    const server = await serve(routes);
    servers.push(server);
    agentStates.set(state.id, state);
    const pid = `slave(1)@127.0.0.1:${server.port}`;
    const listed = masterState.slaves.find((slave: RawJson) => slave.id === state.id);
    if (listed) listed.pid = pid;
    else masterState.slaves.push({ ...slaveEntryFor(state), pid });
  }
  const refused = await refusedPort();
  for (const slave of masterState.slaves) {
    if (!agentStates.has(slave.id)) slave.pid = `slave(1)@127.0.0.1:${refused}`;
  }

  const routes: Routes = new Map();
  for (const route of paths(['', '/master'], 'state', legacy)) routes.set(route, () => masterState);
  if (set.masterMetrics) routes.set('/metrics/snapshot', () => readFixture(set.masterMetrics as string));
  if (set.roles) {
    for (const route of paths(['', '/master'], 'roles', legacy))
      routes.set(route, () => readFixture(set.roles as string));
  }
  if (set.maintenanceSchedule && set.maintenanceStatus) {
    const schedule = set.maintenanceSchedule;
    const status = set.maintenanceStatus;
    routes.set('/master/maintenance/schedule', () => readFixture(schedule));
    routes.set('/master/maintenance/status', status);
  }
  const masterRequests: string[] = [];
  const master = await serve(routes, masterRequests, legacy);
  servers.push(master);
  return {
    masterUrl: master.url,
    masterRequests,
    masterState,
    agentStates,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
