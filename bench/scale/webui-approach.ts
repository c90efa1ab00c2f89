/**
 * What the Mesos web UI does in the browser on every state poll (src/webui/app/controllers.js: `pollState`,
 * then `updateState`), run in Chromium for comparison: fetch the whole `/master/state`, parse it, then walk
 * every agent, framework, offer and task to derive task metadata, per-framework counts, shares and the
 * cluster's resource totals, concatenating task lists framework by framework as the controller does.
 * Rendering (Angular's digest over the tables) is not counted.
 *
 * Runs inside the page (passed to `page.evaluate`), so it must not refer to anything outside itself.
 */
export interface WebuiPollResult {
  fetchMs: number;
  parseMs: number;
  aggregateMs: number;
  /** Bytes of the response on the wire (compressed when the master compressed it). */
  transferBytes: number;
  bodyBytes: number;
  tasks: number;
}

export async function webuiPoll(statePath: string): Promise<WebuiPollResult> {
  type Res = { cpus: number; gpus: number; mem: number; disk: number };
  type Task = {
    id: string;
    state: string;
    executor_id?: string;
    statuses: { state: string; timestamp: number; healthy?: boolean }[];
    start_time?: number;
    finish_time?: number;
    healthy?: boolean;
  };
  type Framework = {
    id: string;
    name: string;
    resources: Res;
    used_resources: Res;
    offers: {
      id: string;
      framework_id: string;
      slave_id: string;
      resources: Res;
      framework_name?: string;
      hostname?: string;
    }[];
    tasks: Task[];
    unreachable_tasks: Task[];
    completed_tasks: Task[];
    [key: string]: unknown;
  };
  type State = {
    slaves: { id: string; hostname: string; resources: Res }[];
    frameworks: Framework[];
    completed_frameworks: Framework[];
  };
  const terminal = new Set([
    'TASK_ERROR',
    'TASK_FAILED',
    'TASK_FINISHED',
    'TASK_KILLED',
    'TASK_LOST',
    'TASK_DROPPED',
    'TASK_GONE',
    'TASK_GONE_BY_OPERATOR',
  ]);

  const started = performance.now();
  const response = await fetch(`${statePath}?_=${Date.now()}`);
  const text = await response.text();
  const fetched = performance.now();
  const state = JSON.parse(text) as State;
  const parsed = performance.now();

  const scope = {
    agents: {} as Record<string, unknown>,
    frameworks: {} as Record<string, Framework>,
    offers: {} as Record<string, unknown>,
    completed_frameworks: {} as Record<string, Framework>,
    active_tasks: [] as Task[],
    unreachable_tasks: [] as Task[],
    completed_tasks: [] as Task[],
    total: { cpus: 0, gpus: 0, mem: 0, disk: 0 },
    used: { cpus: 0, gpus: 0, mem: 0, disk: 0 },
    offered: { cpus: 0, gpus: 0, mem: 0, disk: 0 },
    idle: { cpus: 0, gpus: 0, mem: 0, disk: 0 },
  };
  const kinds = ['cpus', 'gpus', 'mem', 'disk'] as const;
  for (const agent of state.slaves) {
    scope.agents[agent.id] = agent;
    for (const kind of kinds) scope.total[kind] += agent.resources[kind] ?? 0;
  }
  const setTaskMetadata = (task: Task) => {
    if (!task.executor_id) task.executor_id = task.id;
    if (task.statuses.length > 0) {
      const first = task.statuses[0]!;
      if (!terminal.has(first.state)) task.start_time = first.timestamp * 1000;
      const last = task.statuses[task.statuses.length - 1]!;
      if (terminal.has(task.state)) task.finish_time = last.timestamp * 1000;
      task.healthy = last.healthy;
    }
  };
  const counters = ['staging', 'starting', 'running', 'killing', 'finished', 'killed', 'failed', 'lost'];
  for (const framework of state.frameworks) {
    scope.frameworks[framework.id] = framework;
    for (const offer of framework.offers) {
      scope.offers[offer.id] = offer;
      for (const kind of kinds) scope.offered[kind] += offer.resources[kind] ?? 0;
      offer.framework_name = scope.frameworks[offer.framework_id]?.name;
      offer.hostname = (scope.agents[offer.slave_id] as { hostname?: string } | undefined)?.hostname;
    }
    for (const kind of kinds) scope.used[kind] += framework.resources[kind] ?? 0;
    const shares = kinds.map((kind) =>
      scope.total[kind] > 0 ? (framework.used_resources[kind] ?? 0) / scope.total[kind] : 0,
    );
    framework['max_share'] = Math.max(...shares);
    framework.tasks.forEach(setTaskMetadata);
    framework.unreachable_tasks.forEach(setTaskMetadata);
    framework.completed_tasks.forEach(setTaskMetadata);
    for (const counter of counters) framework[`${counter}_tasks`] = 0;
    for (const list of [framework.tasks, framework.completed_tasks]) {
      for (const task of list) {
        const key = `${task.state.replace('TASK_', '').toLowerCase()}_tasks`;
        if (typeof framework[key] === 'number') framework[key] = (framework[key] as number) + 1;
      }
    }
    scope.active_tasks = scope.active_tasks.concat(framework.tasks);
    scope.unreachable_tasks = scope.unreachable_tasks.concat(framework.unreachable_tasks);
    scope.completed_tasks = scope.completed_tasks.concat(framework.completed_tasks);
  }
  for (const framework of state.completed_frameworks) {
    scope.completed_frameworks[framework.id] = framework;
    framework.completed_tasks.forEach(setTaskMetadata);
  }
  for (const kind of kinds) {
    scope.used[kind] -= scope.offered[kind];
    scope.idle[kind] = scope.total[kind] - (scope.offered[kind] + scope.used[kind]);
  }
  const aggregated = performance.now();
  const entry = performance.getEntriesByType('resource').at(-1) as PerformanceResourceTiming | undefined;
  return {
    fetchMs: fetched - started,
    parseMs: parsed - fetched,
    aggregateMs: aggregated - parsed,
    transferBytes: entry?.transferSize ?? 0,
    bodyBytes: text.length,
    tasks: scope.active_tasks.length + scope.unreachable_tasks.length + scope.completed_tasks.length,
  };
}
