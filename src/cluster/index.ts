import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AgentExecutors } from './agent/executors';
import type { ExecutorRuntimeOptions } from './agent/executors';
import { LocalAgent } from './agent/agent-node';
import { createAgentServer } from './agent/agent-server';
import { ClusterCore } from './master/cluster-core';
import type { RoleQuota } from './master/cluster-core';
import { DEFAULT_AGENT_RESOURCES, defaultLocalAgentPorts, emptyResources } from './master/resources';
import type { ClusterResources } from './master/resources';
import { createClusterControl, localControlTarget } from './control';
import { startMesosDns } from './dns/mesos-dns';
import { startChronos } from './chronos/chronos';
import type { Chronos } from './chronos/chronos';
import { postDemoJobs } from './chronos/demo-jobs';
import type { MesosDns, MesosDnsOptions } from './dns/mesos-dns';
import type { ClusterControl } from './control';
import type { ScenarioHandle } from './scenarios/demo-scenario';
import type { ServerSecurity } from './ha/http-auth';
import { MasterSet } from './ha/master-set';
import type { LibprocessServer } from './http/http-server';
import { createIdSource, newMasterId } from './master/ids';
import { localMasterWrites } from './operator-api/local-master-writes';
import { startMarathon } from './marathon';
import type { LocalMarathon } from './marathon';
import { masterRoutes } from './http/master-server';
import type { OperatorApiOptions } from './operator-api/operator-endpoint';
import type { AllocatorOptions } from './master/allocator/allocator';
import type { SchedulerApiOptions } from './master/scheduler-api/scheduler-master';
import { resolveOptions } from './options';
import { isScaleScenario } from './scenarios/scale/scale-spec';
import { startScaleCluster } from './scenarios/scale/start-scale-cluster';
import { startScenario } from './scenarios/scenarios';
import type { ClusterTlsOptions, ScenarioName } from './options';

export type { ClusterControl, LaunchTaskSpec, LaunchedTask } from './control';
export type { MesosDns, MesosDnsOptions } from './dns/mesos-dns';
export type { Chronos, ChronosJob } from './chronos/chronos';
export { SCENARIOS } from './options';
export type { ClusterTlsOptions, ScenarioName } from './options';
export type { BasicCredentials } from './ha/http-auth';
export type { StandbyStyle } from './ha/standby-routes';
export { SCALE_SCENARIOS, SCALE_SPECS, isScaleScenario } from './scenarios/scale/scale-spec';
export type { ScaleScenarioName, ScaleSpec } from './scenarios/scale/scale-spec';
export { startScaleCluster } from './scenarios/scale/start-scale-cluster';
export type { ScaleCluster, ScaleClusterOptions } from './scenarios/scale/start-scale-cluster';

/** Options of {@link startCluster}. */
export interface LocalClusterOptions {
  /** Number of agents (default 3). */
  agents?: number;
  /** Mesos's `--max_completed_tasks_per_framework` (default 1000): older ended tasks are forgotten. */
  maxCompletedTasksPerFramework?: number;
  /** Mesos's `--max_completed_frameworks` (default 50): older torn-down frameworks are forgotten. */
  maxCompletedFrameworks?: number;
  /** A scenario name, `demo` (default) or `empty`; unknown names throw, listing the valid ones. */
  scenario?: ScenarioName | (string & {});
  /** Seed for deterministic ids and names (default 1). */
  seed?: number;
  /** Interface to bind (default 127.0.0.1); also the hostname advertised in state. */
  host?: string;
  /** Master port (default 0 = a free port). Agents always use free ports. */
  masterPort?: number;
  /** Where work dirs, sandboxes and logs go (default: a fresh temp dir, removed on close). */
  workDir?: string;
  /** Value of `cluster` in master state (default `mesoscope-local`). */
  clusterName?: string;
  /** Sink for human-readable cluster events (default: silent). */
  log?: (line: string) => void;
  /** Number of masters (default 1). With more, one leads and the others answer as Mesos standbys do. */
  masters?: number;
  /** `zk://host:port/path`: the masters register in this ZooKeeper exactly as Mesos does and elect through it. */
  zk?: string;
  /** Without ZooKeeper: how long after the leader dies another master is elected (default 500 ms). */
  electionDelayMs?: number;
  /** `redirect` (Mesos 1.x, default) or `legacy` (0.2x: standbys serve their own state naming the leader). */
  standbyStyle?: 'redirect' | 'legacy';
  /** Like Mesos with `--authenticate_http_readonly`: masters and agents refuse requests without these. */
  authenticate?: { principal: string; secret: string };
  /** Serve HTTPS on masters and agents with this key and certificate. */
  tls?: ClusterTlsOptions;
  /** The v1 operator API (`POST /api/v1`), e.g. a short SUBSCRIBE heartbeat interval for tests. */
  operatorApi?: OperatorApiOptions;
  /** The scheduler API (`POST /api/v1/scheduler`) and the allocator behind it, e.g. short timers for tests. */
  schedulerApi?: SchedulerApiOptions & AllocatorOptions;
  /** Role weights, as Mesos's `--weights` flag sets them (e.g. `{ analytics: 2 }`). */
  weights?: Record<string, number>;
  /** Quota of roles, as an operator sets it before frameworks come. */
  quotas?: Record<string, RoleQuota>;
  /** Executor timeouts (registration, shutdown grace, heartbeats), e.g. short ones for tests. */
  executors?: ExecutorRuntimeOptions;
  /** Run a Marathon-compatible framework (its API on 8080 when free, or `port`; 0 = a free port). */
  marathon?: boolean | { port?: number };
  /**
   * How agent `i` reports itself: its `hostname` (it is still reached at `host`) and attributes. Default with
   * `marathon`: `agent-<i+1>.mesoscope.local` with `rack`, `region` and `disk`, so placement constraints mean
   * something; otherwise `host` with a `rack`.
   */
  agentIdentity?: (index: number) => AgentIdentity;
  /** Runs a Mesos-DNS on loopback ports that reads the master's state (true, or its options). */
  mesosDns?: boolean | Omit<MesosDnsOptions, 'masters'>;
  /** Runs Chronos, a framework with its own API port; the demo's jobs become its jobs. */
  chronos?: boolean | { port?: number };
}

/** How one agent reports itself; resources not given are the defaults (4 CPUs, 8 GiB, its own 100 ports from 31000). */
export interface AgentIdentity {
  hostname?: string;
  attributes?: Record<string, string | number>;
  resources?: Partial<ClusterResources>;
  /** Static reservations by role (Mesos's `--resources` with `(role)`), out of `resources`. */
  reservations?: Record<string, Partial<ClusterResources>>;
}

/** One local agent, as tests and the BFF need it. */
export interface LocalAgentHandle {
  id: string;
  url: string;
  hostname: string;
  port: number;
  workDir: string;
}

/** A running local cluster. */
export interface LocalCluster {
  /** The first master, the leader at start, e.g. `http://127.0.0.1:41234`. */
  masterUrl: string;
  /** Every master, in start order (one entry without HA). */
  masterUrls: string[];
  agents: LocalAgentHandle[];
  workDir: string;
  control: ClusterControl;
  /** The local Marathon's URL, when it runs. */
  marathonUrl?: string;
  /** The Mesos-DNS, when {@link LocalClusterOptions.mesosDns} asked for one. */
  mesosDns?: MesosDns;
  /** The Chronos, when {@link LocalClusterOptions.chronos} asked for one. */
  chronos?: Chronos;
  /** Kills every task process group and closes all servers; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts an embedded Mesos-compatible cluster: one master and N agents, each its own HTTP
 * server speaking the v0 API, running tasks as real processes in real sandboxes.
 */
export async function startCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const opts = resolveOptions(options);
  if (isScaleScenario(opts.scenario)) {
    // Simulated agents and tasks, one master (see scale/): the HA, auth and TLS options do not apply.
    if (opts.masters > 1 || opts.authenticate || opts.tls) {
      throw new Error(`The ${opts.scenario} scenario runs one plain HTTP master`);
    }
    return startScaleCluster({
      scenario: opts.scenario,
      seed: opts.seed,
      host: opts.host,
      masterPort: opts.masterPort,
      workDir: opts.workDir,
      clusterName: options.clusterName,
      log: opts.log,
      operatorApi: options.operatorApi,
    });
  }
  const ownsWorkDir = opts.workDir === undefined;
  const workDir = opts.workDir ? resolve(opts.workDir) : mkdtempSync(join(tmpdir(), 'mesoscope-cluster-'));
  mkdirSync(workDir, { recursive: true });

  const ids = createIdSource(opts.seed);
  const core = new ClusterCore({
    masterId: newMasterId(),
    host: opts.host,
    clusterName: opts.clusterName,
    workDir,
    ids,
    log: opts.log,
    maxCompletedTasksPerFramework: options.maxCompletedTasksPerFramework,
    maxCompletedFrameworks: options.maxCompletedFrameworks,
  });
  core.allocator.configure(options.schedulerApi ?? {});
  for (const [role, weight] of Object.entries(options.weights ?? {})) core.weights.set(role, weight);
  for (const [role, quota] of Object.entries(options.quotas ?? {})) core.quotas.set(role, quota);
  const executors = new AgentExecutors(core, options.executors);
  core.executorLauncher = (req) => executors.launch(req);
  core.executorRuntime = executors;
  core.executorMessenger = (m) => void executors.sendMessage(m.agentId, m.frameworkId, m.executorId, m.data);
  executors.onExecutorMessage = (m) =>
    core.scheduler?.messageFramework(m.frameworkId, m.agentId, m.executorId, m.data);
  const maintenance = core.maintenance;
  const security: ServerSecurity = {
    authenticate: opts.authenticate,
    tls: opts.tls && {
      key: opts.tls.key,
      cert: opts.tls.cert,
      ca: opts.tls.ca,
      requestCert: opts.tls.requireClientCert ?? false,
      rejectUnauthorized: opts.tls.requireClientCert ?? false,
    },
  };
  const servers: LibprocessServer[] = [];
  let masters: MasterSet | undefined;
  let scenario: ScenarioHandle | undefined;
  let marathon: LocalMarathon | undefined;
  let mesosDns: MesosDns | undefined;
  let chronos: Chronos | undefined;
  let agentSeq = 0;
  const onExit = () => core.killAllNow();
  process.on('exit', onExit);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      scenario?.stop();
      await marathon?.close().catch(() => undefined);
      await mesosDns?.close();
      await chronos?.close();
      core.scheduler?.close();
      await core.shutdown();
      await masters?.close();
      await Promise.all(servers.map((s) => s.stop()));
      process.off('exit', onExit);
      if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
      opts.log?.('cluster closed');
    })());

  try {
    masters = await MasterSet.start({
      core,
      routes: masterRoutes(
        core,
        maintenance,
        options.operatorApi,
        { ...options.schedulerApi, ...(opts.tls ? { scheme: 'https' } : {}) },
        localMasterWrites(core, addAgent),
      ),
      count: opts.masters,
      firstPort: opts.masterPort,
      security,
      zk: opts.zk,
      electionDelayMs: opts.electionDelayMs,
      standbyStyle: opts.standbyStyle,
      newId: newMasterId,
      log: opts.log,
    });
    for (let i = 0; i < opts.agents; i++) await addAgent();
    if (options.marathon) {
      marathon = await startMarathon({
        masterUrl: masters.urls,
        host: opts.host,
        port: typeof options.marathon === 'object' ? options.marathon.port : undefined,
        log: opts.log,
      });
    }
    scenario = await startScenario(opts.scenario, core, addAgent, marathon?.url, {
      scriptedChronos: !options.chronos,
    });
    core.allocator.start();
    const auth = opts.authenticate;
    const authHeaders: Record<string, string> = auth
      ? { Authorization: `Basic ${btoa(`${auth.principal}:${auth.secret}`)}` }
      : {};
    if (options.chronos) {
      const { port } = options.chronos === true ? {} : options.chronos;
      chronos = await startChronos({ masters: masters.urls, port, headers: authHeaders, log: opts.log });
      if (opts.scenario === 'demo') await postDemoJobs(chronos.url);
    }
    if (options.mesosDns) {
      mesosDns = await startMesosDns({
        ...(options.mesosDns === true ? {} : options.mesosDns),
        masters: masters.urls,
        log: opts.log,
        headers: authHeaders,
      });
    }
  } catch (error) {
    await close();
    throw error;
  }

  async function addAgent(): Promise<LocalAgentHandle> {
    const i = agentSeq++;
    const { resources, reservations } = identity(i);
    const agent = new LocalAgent(
      {
        id: `${core.masterId}-S${i}`,
        index: i,
        hostname: identity(i).hostname ?? opts.host,
        address: opts.host,
        workDir: join(workDir, `agent-${i}`),
        resources: { ...DEFAULT_AGENT_RESOURCES, ports: defaultLocalAgentPorts(i), ...resources },
        attributes: identity(i).attributes ?? { rack: `rack-${(i % 2) + 1}`, agent_index: i },
      },
      core.startTime,
      opts.log,
    );
    for (const [role, reserved] of Object.entries(reservations ?? {})) {
      agent.reserved.set(role, { ...emptyResources(), ...reserved });
    }
    const server = createAgentServer(core, agent, security, executors);
    servers.push(server);
    await server.start(0);
    agent.port = server.port;
    agent.server = server;
    core.registerAgent(agent);
    return handle(agent);
  }

  function identity(i: number): AgentIdentity {
    if (options.agentIdentity) return options.agentIdentity(i);
    return options.marathon ? distinctAgent(i) : {};
  }

  const masterUrls = masters.urls;
  const masterUrl = masterUrls[0] ?? '';
  opts.log?.(`masters listening at ${masterUrls.join(', ')}`);
  return {
    masterUrl,
    masterUrls,
    agents: core.agents.map(handle),
    workDir,
    control: createClusterControl(localControlTarget(core, masters, addAgent)),
    ...(marathon ? { marathonUrl: marathon.url } : {}),
    ...(mesosDns ? { mesosDns } : {}),
    ...(chronos ? { chronos } : {}),
    close,
  };

  function handle(agent: LocalAgent): LocalAgentHandle {
    return {
      id: agent.id,
      url: `${opts.tls ? 'https' : 'http'}://${urlHost(agent.address)}:${agent.port}`,
      hostname: agent.hostname,
      port: agent.port,
      workDir: agent.workDir,
    };
  }
}

/** Agents that differ as real ones do: two racks, two regions, two kinds of disk. */
function distinctAgent(i: number): { hostname: string; attributes: Record<string, string | number> } {
  return {
    hostname: `agent-${i + 1}.mesoscope.local`,
    attributes: {
      rack: `rack-${(i % 2) + 1}`,
      region: i % 3 === 2 ? 'eu-west' : 'us-east',
      disk: i % 2 === 0 ? 'ssd' : 'hdd',
      agent_index: i,
    },
  };
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
