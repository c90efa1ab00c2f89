/**
 * Seeds a simulated cluster: agents of a few machine sizes, frameworks whose sizes follow a long tail (a few
 * big schedulers, many small ones), their running tasks, and the completed tasks and frameworks the master
 * would still hold after `historyHours` of churn (capped as Mesos caps them).
 */
import type { IdSource } from '../../master/ids';
import { nowSecs } from '../../master/ids';
import type { FrameworkRecord, TaskState } from '../../master/model';
import type { ClusterResources } from '../../master/resources';
import type { ScaleSpec } from './scale-spec';
import type { SimAgent, SimMaster } from './sim-master';
import { SimTask } from './sim-master';

const MACHINES: ReadonlyArray<Pick<ClusterResources, 'cpus' | 'mem' | 'disk'>> = [
  { cpus: 16, mem: 65_536, disk: 500_000 },
  { cpus: 32, mem: 131_072, disk: 1_000_000 },
  { cpus: 64, mem: 262_144, disk: 2_000_000 },
];

const ROLES = [
  'web',
  'api',
  'batch',
  'analytics',
  'ml',
  'search',
  'payments',
  'ads',
  'storage',
  'streaming',
  'infra',
  'monitoring',
  'ci',
  'data-eng',
  'recsys',
  'mobile',
  'identity',
  'messaging',
  'video',
  'maps',
];

const FRAMEWORK_KINDS = [
  { name: 'marathon', user: 'root', webui: 8080 },
  { name: 'aurora', user: 'aurora', webui: 8081 },
  { name: 'chronos', user: 'root', webui: 4400 },
  { name: 'spark', user: 'spark', webui: 4040 },
  { name: 'jenkins', user: 'jenkins', webui: 8082 },
  { name: 'kafka', user: 'kafka', webui: 0 },
  { name: 'cassandra', user: 'cassandra', webui: 0 },
  { name: 'flink', user: 'flink', webui: 8083 },
  { name: 'storm', user: 'storm', webui: 8084 },
  { name: 'hdfs', user: 'hdfs', webui: 50070 },
];

const APP_WORDS = [
  'frontend',
  'gateway',
  'worker',
  'indexer',
  'scheduler',
  'consumer',
  'producer',
  'cache',
  'router',
  'reporter',
  'ingest',
  'etl',
  'trainer',
  'renderer',
  'notifier',
  'auth',
  'billing',
  'search',
  'feed',
  'thumbnailer',
];

/** Task sizes apps pick from: (cpus, MB). */
const TASK_SIZES: ReadonlyArray<readonly [number, number]> = [
  [0.1, 128],
  [0.25, 256],
  [0.5, 512],
  [1, 1024],
  [1, 2048],
  [2, 4096],
  [0.5, 1024],
];

export interface SimApp {
  name: string;
  cpus: number;
  mem: number;
  disk: number;
  command: string;
}

/** What the churn needs to keep the population going. */
export interface Population {
  /** Apps of each framework, by framework id. */
  apps: Map<string, SimApp[]>;
  /** How many running tasks each framework aims for. */
  targets: Map<string, number>;
}

const pick = <T>(rng: IdSource, list: readonly T[]): T => list[Math.floor(rng.random() * list.length)] as T;

/** A framework name like the ones real clusters show: `marathon`, `spark-etl-12`, `jenkins-ci-3`. */
function frameworkSpec(rng: IdSource, n: number) {
  const kind = FRAMEWORK_KINDS[n % FRAMEWORK_KINDS.length] ?? FRAMEWORK_KINDS[0]!;
  const name = n < FRAMEWORK_KINDS.length ? kind.name : `${kind.name}-${pick(rng, APP_WORDS)}-${n}`;
  const role = n < FRAMEWORK_KINDS.length ? (ROLES[n] ?? '*') : pick(rng, ROLES);
  return {
    name,
    user: kind.user,
    roles: [role],
    principal: kind.name,
    webuiUrl: kind.webui ? `http://${name}.sim.internal:${kind.webui}` : undefined,
  };
}

export function makeApps(rng: IdSource, framework: FrameworkRecord, count: number): SimApp[] {
  const base = framework.name.split('-')[0] ?? framework.name;
  return Array.from({ length: count }, (_, i) => {
    const [cpus, mem] = pick(rng, TASK_SIZES);
    const name = `${base}-${pick(rng, APP_WORDS)}-${i}`;
    return { name, cpus, mem, disk: 0, command: `./bin/${name} --port=$PORT0` };
  });
}

/** An agent with room for `want`, trying random agents first (cheap) and then scanning. */
export function placeOn(
  master: SimMaster,
  rng: IdSource,
  want: Pick<ClusterResources, 'cpus' | 'mem'>,
): SimAgent | undefined {
  const agents = master.agents;
  if (agents.length === 0) return undefined;
  const fits = (agent: SimAgent) => {
    if (agent.deactivated) return false;
    const free = agent.free();
    return free.cpus >= want.cpus && free.mem >= want.mem;
  };
  for (let attempt = 0; attempt < 16; attempt++) {
    const agent = agents[Math.floor(rng.random() * agents.length)] as SimAgent;
    if (fits(agent)) return agent;
  }
  const start = Math.floor(rng.random() * agents.length);
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[(start + i) % agents.length] as SimAgent;
    if (fits(agent)) return agent;
  }
  return undefined;
}

/** Splits `total` over `weights` (largest remainder), so the parts add up exactly. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
  }
  return parts;
}

/** A task that ran and ended in the past: straight into its framework's completed tasks. */
function pastTask(
  master: SimMaster,
  rng: IdSource,
  framework: FrameworkRecord,
  app: SimApp,
  endedAt: number,
) {
  const agent = master.agents[Math.floor(rng.random() * master.agents.length)] as SimAgent;
  const ran = 60 + rng.random() * 3 * 3600;
  const started = endedAt - ran;
  const task = new SimTask(
    `${app.name}.${master.ids.uuid()}`,
    app.name,
    framework.id,
    agent,
    { cpus: app.cpus, gpus: 0, mem: app.mem, disk: app.disk, ports: [] },
    framework.roles[0] ?? '*',
    framework.user,
    app.command,
    master.ids.uuid(),
    started - 1,
  );
  const roll = rng.random();
  const end: TaskState =
    roll < 0.75 ? 'TASK_FINISHED' : roll < 0.9 ? 'TASK_FAILED' : roll < 0.98 ? 'TASK_KILLED' : 'TASK_LOST';
  task.statuses.push(
    { state: 'TASK_STARTING', timestamp: started, source: 'SOURCE_EXECUTOR' },
    { state: 'TASK_RUNNING', timestamp: started + 1 + rng.random() * 4, source: 'SOURCE_EXECUTOR' },
    endStatus(end, endedAt),
  );
  task.state = end;
  master.pushCompleted(framework, task);
  master.counters.terminalTasks.set(end, (master.counters.terminalTasks.get(end) ?? 0) + 1);
  agent.completed.push(task);
  if (agent.completed.length > 50) agent.completed.shift();
}

/** The status a task ends with, with the message and reason Mesos would give. */
export function endStatus(state: TaskState, timestamp: number) {
  switch (state) {
    case 'TASK_FINISHED':
      return {
        state,
        timestamp,
        source: 'SOURCE_EXECUTOR' as const,
        message: 'Command exited with status 0',
      };
    case 'TASK_FAILED':
      return {
        state,
        timestamp,
        source: 'SOURCE_EXECUTOR' as const,
        reason: 'REASON_COMMAND_EXECUTOR_FAILED',
        message: 'Command exited with status 1',
      };
    case 'TASK_KILLED':
      return {
        state,
        timestamp,
        source: 'SOURCE_EXECUTOR' as const,
        message: 'Command terminated with signal Terminated',
      };
    default:
      return {
        state,
        timestamp,
        source: 'SOURCE_MASTER' as const,
        reason: 'REASON_SLAVE_REMOVED',
        message: 'Agent removed',
      };
  }
}

/** Fills `master` as `spec` says; deterministic for a seed. */
export function populate(master: SimMaster, spec: ScaleSpec, rng: IdSource): Population {
  const now = nowSecs();
  for (let i = 0; i < spec.agents; i++) {
    const machine = MACHINES[i % MACHINES.length] ?? MACHINES[0]!;
    const n = i + 1;
    master.addAgent({
      hostname: `ip-10-${(n >> 16) & 255}-${(n >> 8) & 255}-${n & 255}.sim.internal`,
      resources: { ...machine, gpus: 0, ports: [[31000, 32000]] },
      attributes: { rack: `rack-${String(i % 250).padStart(3, '0')}`, zone: `zone-${'abc'[i % 3]}` },
    });
  }

  // A long tail: framework n weighs 1/(n+1)^0.9, so the biggest runs a few % of all tasks.
  const weights = Array.from({ length: spec.frameworks }, (_, n) => 1 / Math.pow(n + 1, 0.9));
  const taskCounts = apportion(spec.activeTasks, weights);
  const totalHistory = Math.round(spec.historyHours * 3600 * spec.churnPerSecond);
  const historyCounts = apportion(totalHistory, weights);
  const population: Population = { apps: new Map(), targets: new Map() };

  for (let n = 0; n < spec.frameworks; n++) {
    const framework = master.registerFramework({
      ...frameworkSpec(rng, n),
      registeredTime: now - spec.historyHours * 3600 - rng.random() * 86_400,
    });
    const tasks = taskCounts[n] ?? 0;
    const apps = makeApps(rng, framework, Math.max(1, Math.min(50, Math.ceil(tasks / 25))));
    population.apps.set(framework.id, apps);
    population.targets.set(framework.id, tasks);
    const history = Math.min(spec.maxCompletedTasksPerFramework, historyCounts[n] ?? 0);
    for (let k = 0; k < history; k++) {
      const endedAt = now - spec.historyHours * 3600 * (1 - k / history);
      pastTask(master, rng, framework, pick(rng, apps), endedAt);
    }
    for (let k = 0; k < tasks; k++) {
      const app = pick(rng, apps);
      const agent = placeOn(master, rng, app);
      if (!agent) break;
      const started = now - rng.random() * spec.historyHours * 3600;
      const task = master.launchTask({
        framework,
        agent,
        name: app.name,
        resources: { cpus: app.cpus, gpus: 0, mem: app.mem, disk: app.disk, ports: [] },
        role: framework.roles[0] ?? '*',
        command: app.command,
        launchedAt: started - 1,
      });
      master.updateTask(task, 'TASK_STARTING', {}, started);
      master.updateTask(task, 'TASK_RUNNING', {}, started + 1 + rng.random() * 4);
    }
  }

  // Frameworks that finished: their completed tasks stay until they fall out of completed_frameworks.
  for (let n = 0; n < spec.completedFrameworks; n++) {
    const framework = master.registerFramework({
      ...frameworkSpec(rng, spec.frameworks + n),
      registeredTime: now - spec.historyHours * 3600 - 3600,
    });
    const apps = makeApps(rng, framework, 3);
    const history = Math.min(spec.maxCompletedTasksPerFramework, Math.round(20 + rng.random() * 480));
    const endedBy = now - rng.random() * spec.historyHours * 3600;
    for (let k = 0; k < history; k++)
      pastTask(master, rng, framework, pick(rng, apps), endedBy - (history - k) * 5);
    master.teardownFramework(framework.id);
    framework.unregisteredTime = endedBy;
  }
  return population;
}
