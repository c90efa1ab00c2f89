/**
 * The local Marathon: app definitions and groups as the API sees them, deployments that move the running
 * tasks toward them step by step (dependencies first, rolling restarts within `upgradeStrategy`), offers
 * matched against resources, ports and constraints, restarts of exited tasks with backoff, and health checks
 * that kill and replace. A framework on the master's scheduler API through {@link SchedulerDriver}.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SchedulerDriver, rangesResource, scalarResource } from '../frameworks/scheduler-driver';
import type { V1 } from '../frameworks/scheduler-driver';
import { definitionJson, parentOf } from './app-definition';
import type { AppDefinition, HealthCheck, Json } from './app-definition';
import { meetsConstraints } from './constraints';
import type { Placement } from './constraints';
import { MarathonError, invalid } from './errors';
import { probe } from './health';

export interface AppRecord {
  def: AppDefinition;
  version: string;
  lastConfigChangeAt: string;
  lastScalingAt: string;
  versions: Map<string, AppDefinition>;
}

export interface HealthResult {
  alive: boolean;
  consecutiveFailures: number;
  firstSuccess: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
  lastFailureCause: string | null;
  taskId: string;
  instanceId: string;
}

export interface TaskRecord {
  id: string;
  appId: string;
  version: string;
  configVersion: string;
  agentId: string;
  host: string;
  ip: string;
  ports: number[];
  servicePorts: number[];
  state: string;
  stagedAt: string;
  startedAt: string | null;
  /** One per health check of the app; null until first run. */
  health: (HealthResult | null)[];
  killing: boolean;
  placement: Placement;
  message?: string;
}

interface Run {
  appId: string;
  /** What the scheduler enforces now; undefined while stopping. */
  active: AppDefinition | undefined;
  version: string;
  configVersion: string;
  tasks: Map<string, TaskRecord>;
  delay: { seconds: number; until: number };
  lastTaskFailure?: Json;
  wanted: number;
  since: string;
  offersSeen: number;
  offersUnused: number;
}

type ActionName = 'StartApplication' | 'ScaleApplication' | 'RestartApplication' | 'StopApplication';

interface Action {
  action: ActionName;
  app: string;
}

export interface Deployment {
  id: string;
  version: string;
  affectedApps: string[];
  steps: { actions: Action[] }[];
  currentStep: number;
  applied: boolean;
  targets: Map<string, AppRecord | undefined>;
  originals: Map<string, AppRecord | undefined>;
  originalGroups: Map<string, GroupRecord>;
}

export interface GroupRecord {
  id: string;
  dependencies: string[];
  version: string;
}

export interface MarathonOptions {
  /** The master, or every master (a standby's redirect to the leader is followed). */
  masterUrl: string | string[];
  /** This service's URL (its `webui_url` and `leader`). */
  url: string;
  frameworkName?: string;
  role?: string;
  user?: string;
  log?: (line: string) => void;
  /** How often deployments and runs are looked at (default 200 ms). */
  tickMs?: number;
  failoverTimeoutSeconds?: number;
}

const TERMINAL = new Set([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
]);
const MAX_PER_OFFER = 200;
const SERVICE_PORT_MIN = 10000;

export const now = () => new Date().toISOString();

export class Marathon extends EventEmitter<{ event: [type: string, body: Json] }> {
  readonly apps = new Map<string, AppRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly deployments: Deployment[] = [];
  readonly runs = new Map<string, Run>();
  readonly driver: SchedulerDriver;
  readonly agents = new Map<string, Placement>();
  rootVersion = now();
  private timer: NodeJS.Timeout | undefined;
  private idle = false;
  private nextServicePort = SERVICE_PORT_MIN;
  private checks = new Map<string, NodeJS.Timeout[]>();

  constructor(readonly options: MarathonOptions) {
    super();
    this.groups.set('/', { id: '/', dependencies: [], version: this.rootVersion });
    this.driver = new SchedulerDriver({
      masters: options.masterUrl,
      frameworkInfo: {
        user: options.user ?? 'root',
        name: options.frameworkName ?? 'marathon',
        roles: [this.role],
        capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }],
        failover_timeout: options.failoverTimeoutSeconds ?? 604800,
        checkpoint: true,
        webui_url: options.url,
        hostname: new URL(options.url).hostname,
      },
      retryDelayMs: 500,
    });
    this.driver.on('offers', (offers) => void this.onOffers(offers));
    this.driver.on('update', (status) => this.onUpdate(status));
    this.driver.on('subscribed', () => void this.driver.reconcile().catch(() => undefined));
    this.driver.on('refused', (message) => options.log?.(`marathon: the master refused it: ${message}`));
  }

  get role(): string {
    return this.options.role ?? 'marathon';
  }

  get frameworkId(): string | undefined {
    return this.driver.frameworkId;
  }

  async start(): Promise<void> {
    await this.driver.start();
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 200);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const timers of this.checks.values()) for (const t of timers) clearTimeout(t);
    this.checks.clear();
    await this.driver.stop(true);
  }

  emitEvent(eventType: string, body: Json): void {
    this.emit('event', eventType, { ...body, eventType, timestamp: now() });
  }

  // The API's view: definitions and groups.

  /** Changes app definitions (undefined removes) as one deployment; throws 409 while another holds them. */
  deploy(
    targets: Map<string, AppDefinition | undefined>,
    options: { force?: boolean; restart?: Set<string>; groups?: Map<string, GroupRecord | undefined> } = {},
  ): Deployment {
    const ids = [...targets.keys()];
    const blocking = this.deployments.filter((d) => d.affectedApps.some((a) => ids.includes(a)));
    if (blocking.length > 0 && !options.force) {
      const [first] = blocking;
      throw new MarathonError(409, 'App is locked by one or more deployments.', {
        message: `App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/${first?.id}'.`,
        deployments: blocking.map((d) => ({ id: d.id })),
      });
    }
    const version = now();
    const before = new Map([...this.apps]);
    const next = new Map([...this.apps]);
    for (const [id, def] of targets) {
      if (def) next.set(id, this.record(id, def, version, options.restart?.has(id) ?? false));
      else next.delete(id);
    }
    const steps = this.plan(before, next, targets, options.restart ?? new Set());
    for (const d of blocking) this.cancel(d, 'canceled by a forced deployment');
    const deployment: Deployment = {
      id: randomUUID(),
      version,
      affectedApps: [...new Set(steps.flatMap((s) => s.actions.map((a) => a.app)))],
      steps,
      currentStep: steps.length > 0 ? 1 : 0,
      applied: false,
      targets: new Map(ids.map((id) => [id, next.get(id)])),
      originals: new Map(ids.map((id) => [id, before.get(id)])),
      originalGroups: new Map([...this.groups]),
    };
    for (const [id, group] of options.groups ?? []) {
      if (group) this.groups.set(id, group);
      else this.groups.delete(id);
    }
    for (const id of ids) {
      const record = next.get(id);
      if (record) {
        this.apps.set(id, record);
        this.ensureGroups(id, version);
      } else this.apps.delete(id);
    }
    this.rootVersion = version;
    this.deployments.push(deployment);
    this.emitEvent('deployment_info', {
      plan: this.planJson(deployment),
      currentStep: this.stepJson(deployment),
    });
    // Not at once: the caller may still mark tasks (a kill with scale names which ones go).
    setImmediate(() => this.tick());
    return deployment;
  }

  private record(id: string, def: AppDefinition, version: string, restart: boolean): AppRecord {
    const old = this.apps.get(id);
    const withPorts = { ...def, portDefinitions: this.assignServicePorts(def, old?.def) };
    const configChanged = !old || restart || configKey(old.def) !== configKey(withPorts);
    const versions = new Map(old?.versions ?? []);
    versions.set(version, withPorts);
    return {
      def: withPorts,
      version,
      lastConfigChangeAt: configChanged ? version : (old?.lastConfigChangeAt ?? version),
      lastScalingAt: version,
      versions,
    };
  }

  /** Port 0 of a port definition becomes a service port unique in the cluster, as Marathon assigns them. */
  private assignServicePorts(def: AppDefinition, old: AppDefinition | undefined) {
    const used = new Set([...this.apps.values()].flatMap((a) => a.def.portDefinitions.map((p) => p.port)));
    return def.portDefinitions.map((p, i) => {
      if (p.port !== 0) return p;
      const previous = old?.portDefinitions[i]?.port;
      if (previous) return { ...p, port: previous };
      while (used.has(this.nextServicePort)) this.nextServicePort += 1;
      used.add(this.nextServicePort);
      return { ...p, port: this.nextServicePort++ };
    });
  }

  private ensureGroups(appId: string, version: string): void {
    for (let g = parentOf(appId); ; g = parentOf(g)) {
      if (!this.groups.has(g)) this.groups.set(g, { id: g, dependencies: [], version });
      if (g === '/') break;
    }
  }

  /** Steps in dependency order: an app starts after what it depends on, and stops before it. */
  private plan(
    before: Map<string, AppRecord>,
    next: Map<string, AppRecord>,
    targets: Map<string, AppDefinition | undefined>,
    restart: Set<string>,
  ): { actions: Action[] }[] {
    const starts: string[] = [];
    const scales: string[] = [];
    const restarts: string[] = [];
    const stops: string[] = [];
    for (const id of targets.keys()) {
      const old = before.get(id);
      const target = next.get(id);
      if (!old && target) starts.push(id);
      else if (old && !target) stops.push(id);
      else if (old && target) {
        if (restart.has(id) || configKey(old.def) !== configKey(target.def)) restarts.push(id);
        else if (old.def.instances !== target.def.instances) scales.push(id);
      }
    }
    const levels = dependencyLevels(next, this.groups);
    const byLevel = (ids: string[], action: ActionName, reverse = false) => {
      const steps = new Map<number, Action[]>();
      for (const id of ids) {
        const level = levels.get(id) ?? 0;
        steps.set(level, [...(steps.get(level) ?? []), { action, app: id }]);
      }
      const ordered = [...steps.entries()].sort(([a], [b]) => (reverse ? b - a : a - b));
      return ordered.map(([, actions]) => ({ actions }));
    };
    const stopLevels = dependencyLevels(before, this.groups);
    const stopSteps = new Map<number, Action[]>();
    for (const id of stops) {
      const level = stopLevels.get(id) ?? 0;
      stopSteps.set(level, [...(stopSteps.get(level) ?? []), { action: 'StopApplication', app: id }]);
    }
    const steps: { actions: Action[] }[] = [
      ...[...stopSteps.entries()].sort(([a], [b]) => b - a).map(([, actions]) => ({ actions })),
    ];
    if (starts.length > 0)
      steps.push({ actions: starts.map((app) => ({ action: 'StartApplication', app })) });
    // New apps scale, changed apps restart, each level after the ones it depends on.
    const changes = new Map<number, Action[]>();
    for (const step of [
      ...byLevel(starts, 'ScaleApplication'),
      ...byLevel(scales, 'ScaleApplication'),
      ...byLevel(restarts, 'RestartApplication'),
    ]) {
      const level = levels.get(step.actions[0]?.app ?? '') ?? 0;
      changes.set(level, [...(changes.get(level) ?? []), ...step.actions]);
    }
    for (const [, actions] of [...changes.entries()].sort(([a], [b]) => a - b)) steps.push({ actions });
    return steps;
  }

  /** DELETE of a deployment: without force, a new deployment back to the original definitions. */
  rollback(deploymentId: string, force: boolean): Deployment | undefined {
    const deployment = this.deployments.find((d) => d.id === deploymentId);
    if (!deployment) throw new MarathonError(404, `DeploymentPlan ${deploymentId} does not exist`);
    this.cancel(deployment, force ? 'canceled' : 'rolled back');
    if (force) return undefined;
    const targets = new Map<string, AppDefinition | undefined>();
    for (const [id, original] of deployment.originals) targets.set(id, original?.def);
    const groups = new Map<string, GroupRecord | undefined>();
    for (const id of this.groups.keys()) if (!deployment.originalGroups.has(id)) groups.set(id, undefined);
    for (const [id, group] of deployment.originalGroups) groups.set(id, group);
    const back = this.deploy(targets, { force: true, groups });
    for (const [id, original] of deployment.originals) {
      const record = this.apps.get(id);
      if (record && original) record.versions = new Map([...original.versions, [back.version, record.def]]);
    }
    return back;
  }

  private cancel(deployment: Deployment, reason: string): void {
    const index = this.deployments.indexOf(deployment);
    if (index >= 0) this.deployments.splice(index, 1);
    this.options.log?.(`marathon: deployment ${deployment.id} ${reason}`);
    this.emitEvent('deployment_failed', { id: deployment.id, plan: this.planJson(deployment), reason });
  }

  planJson(d: Deployment): Json {
    return {
      id: d.id,
      version: d.version,
      original: { id: '/', version: d.version, apps: [], groups: [], dependencies: [] },
      target: { id: '/', version: d.version, apps: [], groups: [], dependencies: [] },
      steps: d.steps,
    };
  }

  stepJson(d: Deployment): Json {
    return { actions: d.steps[d.currentStep - 1]?.actions ?? [] };
  }

  deploymentJson(d: Deployment): Json {
    const step = d.steps[d.currentStep - 1];
    return {
      id: d.id,
      version: d.version,
      affectedApps: d.affectedApps,
      affectedPods: [],
      steps: d.steps,
      currentActions: (step?.actions ?? []).map((a) => ({ ...a, readinessCheckResults: [] })),
      currentStep: d.currentStep,
      totalSteps: d.steps.length,
    };
  }

  // Running tasks toward the definitions.

  private tick(): void {
    for (const deployment of [...this.deployments]) {
      if (!this.deployments.includes(deployment)) continue;
      this.advance(deployment);
      // Deployments of different apps run side by side; one app is only ever in one deployment.
    }
    let demand = 0;
    for (const run of [...this.runs.values()]) demand += this.reconcileRun(run);
    if (demand > 0 && this.idle) {
      this.idle = false;
      void this.driver.revive().catch(() => undefined);
    }
  }

  private advance(d: Deployment): void {
    for (;;) {
      const step = d.steps[d.currentStep - 1];
      if (!step) {
        this.finish(d);
        return;
      }
      if (!d.applied) {
        for (const action of step.actions) this.apply(d, action);
        d.applied = true;
      }
      if (!step.actions.every((a) => this.actionDone(d, a))) return;
      this.emitEvent('deployment_step_success', { plan: this.planJson(d), currentStep: this.stepJson(d) });
      d.currentStep += 1;
      d.applied = false;
      if (d.currentStep > d.steps.length) {
        this.finish(d);
        return;
      }
    }
  }

  private finish(d: Deployment): void {
    const index = this.deployments.indexOf(d);
    if (index >= 0) this.deployments.splice(index, 1);
    this.emitEvent('deployment_success', { id: d.id, plan: this.planJson(d) });
  }

  private apply(d: Deployment, action: Action): void {
    const target = d.targets.get(action.app);
    let run = this.runs.get(action.app);
    if (action.action === 'StopApplication') {
      if (run) run.active = undefined;
      return;
    }
    if (!target) return;
    if (!run) {
      run = {
        appId: action.app,
        active: undefined,
        version: target.version,
        configVersion: target.lastConfigChangeAt,
        tasks: new Map(),
        delay: { seconds: 0, until: 0 },
        wanted: 0,
        since: now(),
        offersSeen: 0,
        offersUnused: 0,
      };
      this.runs.set(action.app, run);
    }
    if (run.configVersion !== target.lastConfigChangeAt) run.delay = { seconds: 0, until: 0 };
    run.active = action.action === 'StartApplication' ? { ...target.def, instances: 0 } : target.def;
    run.version = target.version;
    run.configVersion = target.lastConfigChangeAt;
  }

  private actionDone(d: Deployment, action: Action): boolean {
    const run = this.runs.get(action.app);
    if (action.action === 'StopApplication') return !run;
    if (!run?.active) return false;
    const live = [...run.tasks.values()].filter((t) => !t.killing);
    if (live.length !== run.active.instances) return false;
    return live.every((t) => t.configVersion === run.configVersion && this.isHealthy(run.active, t));
  }

  isHealthy(def: AppDefinition | undefined, task: TaskRecord): boolean {
    if (task.state !== 'TASK_RUNNING') return false;
    if (!def || def.healthChecks.length === 0) return true;
    return task.health.every((h) => h?.alive === true);
  }

  /** Kills what must go and returns how many launches this run wants now. */
  private reconcileRun(run: Run): number {
    const live = [...run.tasks.values()].filter((t) => !t.killing);
    const def = run.active;
    if (!def) {
      for (const task of live) this.killTask(task);
      if (run.tasks.size === 0) {
        this.runs.delete(run.appId);
        this.emitEvent('app_terminated_event', { appId: run.appId });
      }
      run.wanted = 0;
      return 0;
    }
    const wanted = def.instances;
    const current = live.filter((t) => t.configVersion === run.configVersion);
    const old = live.filter((t) => t.configVersion !== run.configVersion);
    let launches = 0;
    if (old.length === 0) {
      if (current.length > wanted) this.killExtra(def, current, current.length - wanted);
      launches = Math.max(0, wanted - current.length);
    } else {
      const minHealthy = Math.ceil(wanted * def.upgradeStrategy.minimumHealthCapacity);
      const maxTotal = Math.floor(wanted * (1 + def.upgradeStrategy.maximumOverCapacity));
      launches = Math.max(0, Math.min(wanted - current.length, maxTotal - live.length));
      const healthy = live.filter((t) => this.isHealthy(def, t)).length;
      const unhealthyOld = old.filter((t) => !this.isHealthy(def, t));
      const healthyOld = old.filter((t) => this.isHealthy(def, t));
      let killable = healthy - minHealthy;
      // With no room over capacity and no health to spare, one old task must go for the restart to move.
      if (launches === 0 && killable <= 0 && unhealthyOld.length === 0 && current.length < wanted) {
        if (current.every((t) => this.isHealthy(def, t))) killable = 1;
      }
      for (const task of unhealthyOld) this.killTask(task);
      for (const task of sortForKill(def, healthyOld).slice(0, Math.max(0, killable))) this.killTask(task);
      if (current.length > wanted) this.killExtra(def, current, current.length - wanted);
    }
    if (launches > 0 && run.delay.until > Date.now()) launches = 0;
    run.wanted = launches;
    return launches;
  }

  private killExtra(def: AppDefinition, tasks: TaskRecord[], count: number): void {
    for (const task of sortForKill(def, tasks).slice(0, count)) this.killTask(task);
  }

  killTask(task: TaskRecord): void {
    if (task.killing) return;
    task.killing = true;
    this.stopChecks(task.id);
    this.driver.kill(task.id, task.agentId).catch(() => undefined);
  }

  /** Kills tasks by id; with `scale`, the app's instances go down by as many (one deployment). */
  killTasks(tasks: TaskRecord[], scale: boolean, force = false): Deployment | undefined {
    if (!scale) {
      for (const task of tasks) this.killTask(task);
      return undefined;
    }
    const targets = new Map<string, AppDefinition | undefined>();
    const byApp = new Map<string, number>();
    for (const task of tasks) byApp.set(task.appId, (byApp.get(task.appId) ?? 0) + 1);
    for (const [appId, count] of byApp) {
      const app = this.apps.get(appId);
      if (app) targets.set(appId, { ...app.def, instances: Math.max(0, app.def.instances - count) });
    }
    const deployment = this.deploy(targets, { force });
    // The scale-down kills these, not others: marked before the deployment's first step looks.
    for (const task of tasks) this.killTask(task);
    return deployment;
  }

  // Offers.

  private async onOffers(offers: V1[]): Promise<void> {
    for (const offer of offers) this.agents.set(offer.agent_id.value, placementOf(offer));
    const runs = [...this.runs.values()].filter((r) => r.wanted > 0 && r.active);
    for (const run of runs) run.offersSeen += offers.length;
    if (runs.length === 0) {
      this.idle = true;
      await this.driver
        .decline(
          offers.map((o) => o.id.value as string),
          { refuse_seconds: 5 },
        )
        .catch(() => undefined);
      return;
    }
    for (const offer of offers) {
      const free = offerResources(offer);
      const agent = placementOf(offer);
      const ip = String(offer.url?.address?.ip ?? offer.hostname);
      const busy = this.portsInUseAt(ip);
      const tasks: V1[] = [];
      for (const run of runs) {
        const def = run.active;
        if (!def) continue;
        while (run.wanted > 0 && tasks.length < MAX_PER_OFFER) {
          const ports = takePorts(free, def, busy);
          if (!ports || !fits(free, def)) break;
          const placed = [...run.tasks.values()].filter((t) => !t.killing).map((t) => t.placement);
          if (!meetsConstraints(def.constraints, agent, placed, [...this.agents.values()])) break;
          free.cpus -= def.cpus;
          free.mem -= def.mem;
          free.disk -= def.disk;
          const task = this.newTask(run, def, offer, agent, ip, ports);
          tasks.push(this.taskInfo(def, task, offer, run));
          run.wanted -= 1;
        }
      }
      if (tasks.length === 0) {
        for (const run of runs) run.offersUnused += 1;
        await this.driver.decline([offer.id.value], { refuse_seconds: 1 }).catch(() => undefined);
        continue;
      }
      await this.driver.launch([offer.id.value], tasks, { refuse_seconds: 1 }).catch((error: Error) => {
        this.options.log?.(`marathon: launch failed: ${error.message}`);
      });
    }
  }

  /**
   * The host ports this service's tasks hold at `ip`. Agents that share one machine (the local cluster's all do)
   * each offer the same port range: a port another agent there gave out is not free, though it is in the offer.
   */
  private portsInUseAt(ip: string): Set<number> {
    const busy = new Set<number>();
    for (const run of this.runs.values()) {
      for (const task of run.tasks.values())
        if (task.ip === ip) for (const port of task.ports) busy.add(port);
    }
    return busy;
  }

  private newTask(run: Run, def: AppDefinition, offer: V1, agent: Placement, ip: string, ports: number[]) {
    const base = run.appId.slice(1).replaceAll('/', '_');
    const task: TaskRecord = {
      id: `${base}.instance-${randomUUID()}._app.1`,
      appId: run.appId,
      version: run.version,
      configVersion: run.configVersion,
      agentId: offer.agent_id.value,
      host: String(offer.hostname),
      ip,
      ports,
      servicePorts: def.portDefinitions.map((p) => p.port),
      state: 'TASK_STAGING',
      stagedAt: now(),
      startedAt: null,
      health: def.healthChecks.map(() => null),
      killing: false,
      placement: agent,
    };
    run.tasks.set(task.id, task);
    return task;
  }

  private taskInfo(def: AppDefinition, task: TaskRecord, offer: V1, run: Run): V1 {
    const env: Record<string, string> = {
      MARATHON_APP_ID: def.id,
      MARATHON_APP_VERSION: run.version,
      MARATHON_APP_DOCKER_IMAGE: String((def.container?.docker as Json | undefined)?.image ?? ''),
      MARATHON_APP_RESOURCE_CPUS: String(def.cpus),
      MARATHON_APP_RESOURCE_MEM: String(def.mem),
      MARATHON_APP_RESOURCE_DISK: String(def.disk),
      MARATHON_APP_RESOURCE_GPUS: String(def.gpus),
      MARATHON_APP_LABELS: Object.keys(def.labels).join(' '),
      MESOS_TASK_ID: task.id,
      HOST: task.host,
    };
    for (const [key, value] of Object.entries(def.labels)) {
      env[`MARATHON_APP_LABEL_${key.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`] = value;
    }
    task.ports.forEach((port, i) => {
      env[`PORT${i}`] = String(port);
      const definition = def.portDefinitions[i];
      if (definition) env[`PORT_${definition.port}`] = String(port);
      if (definition?.name)
        env[`PORT_${definition.name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`] = String(port);
    });
    if (task.ports.length > 0) {
      env.PORT = String(task.ports[0]);
      env.PORTS = task.ports.join(',');
    }
    Object.assign(env, def.env);
    const command: V1 = {
      environment: { variables: Object.entries(env).map(([name, value]) => ({ name, value })) },
      uris: def.fetch.map((f) => ({
        value: f.uri,
        executable: f.executable,
        extract: f.extract,
        cache: f.cache,
        ...(f.outputFile ? { output_file: f.outputFile } : {}),
      })),
      ...(def.user ? { user: def.user } : {}),
    };
    if (def.cmd !== undefined) Object.assign(command, { shell: true, value: def.cmd });
    else if (def.args && def.args.length > 0)
      Object.assign(command, { shell: false, value: def.args[0], arguments: def.args });
    else Object.assign(command, { shell: false });
    const resources: V1[] = [scalarResource('cpus', def.cpus), scalarResource('mem', def.mem)];
    if (def.disk > 0) resources.push(scalarResource('disk', def.disk));
    if (task.ports.length > 0)
      resources.push(
        rangesResource(
          'ports',
          task.ports.map((p) => [p, p]),
        ),
      );
    const role = offer.allocation_info?.role;
    if (role) for (const r of resources) r.allocation_info = { role };
    const info: V1 = {
      name: def.id.split('/').filter(Boolean).reverse().join('.'),
      task_id: { value: task.id },
      agent_id: offer.agent_id,
      resources,
      command,
      labels: { labels: Object.entries(def.labels).map(([key, value]) => ({ key, value })) },
      discovery: {
        visibility: 'FRAMEWORK',
        name: def.id.split('/').filter(Boolean).reverse().join('.'),
        ports: {
          ports: task.ports.map((number, i) => ({
            number,
            protocol: def.portDefinitions[i]?.protocol ?? 'tcp',
            ...(def.portDefinitions[i]?.name ? { name: def.portDefinitions[i]?.name } : {}),
          })),
        },
      },
    };
    const container = this.containerInfo(def, task);
    if (container) info.container = container;
    const commandCheck = def.healthChecks.find((c) => c.protocol === 'COMMAND' && c.command);
    if (commandCheck?.command) {
      info.health_check = {
        type: 'COMMAND',
        command: { value: commandCheck.command.value },
        delay_seconds: 0,
        interval_seconds: commandCheck.intervalSeconds,
        timeout_seconds: commandCheck.timeoutSeconds,
        consecutive_failures: commandCheck.maxConsecutiveFailures,
        grace_period_seconds: commandCheck.gracePeriodSeconds,
      };
    }
    return info;
  }

  /** Mesos's ContainerInfo for the app's container; the local agents record it and run a plain process. */
  private containerInfo(def: AppDefinition, task: TaskRecord): V1 | undefined {
    const docker = def.container?.docker as Json | undefined;
    if (!docker || typeof docker.image !== 'string') return undefined;
    task.message = `Docker image ${docker.image} not pulled: the local cluster has no Docker, the command runs as a plain process`;
    if (def.container?.type === 'MESOS') {
      return { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: docker.image } } } };
    }
    const mappings = ((def.container?.portMappings ?? docker.portMappings ?? []) as Json[]).filter(
      (p) => typeof p.containerPort === 'number',
    );
    const volumes = ((def.container?.volumes ?? []) as Json[]).filter(
      (v) => typeof v.containerPath === 'string',
    );
    return {
      type: 'DOCKER',
      docker: {
        image: docker.image,
        network: typeof docker.network === 'string' ? docker.network : 'HOST',
        ...(mappings.length > 0
          ? {
              port_mappings: mappings.map((p, i) => ({
                host_port: task.ports[i] ?? 0,
                container_port: p.containerPort,
                protocol: typeof p.protocol === 'string' ? p.protocol : 'tcp',
              })),
            }
          : {}),
      },
      ...(volumes.length > 0
        ? {
            volumes: volumes.map((v) => ({
              container_path: v.containerPath,
              host_path: typeof v.hostPath === 'string' ? v.hostPath : '',
              mode: v.mode === 'RO' ? 'RO' : 'RW',
            })),
          }
        : {}),
    };
  }

  // Status updates.

  private onUpdate(status: V1): void {
    const taskId = String(status.task_id?.value ?? '');
    const run = [...this.runs.values()].find((r) => r.tasks.has(taskId));
    const task = run?.tasks.get(taskId);
    if (!run || !task) {
      // A task from before a restart of this service, or one already forgotten: it has no app any more.
      if (!TERMINAL.has(String(status.state))) void this.driver.kill(taskId).catch(() => undefined);
      return;
    }
    const state = String(status.state);
    const previous = task.state;
    task.state = state;
    if (state === 'TASK_RUNNING' && !task.startedAt) {
      task.startedAt = now();
      this.startChecks(run, task);
    }
    const def = run.active ?? this.apps.get(run.appId)?.def;
    if (typeof status.healthy === 'boolean' && def) {
      const index = def.healthChecks.findIndex((c) => c.protocol === 'COMMAND');
      if (index >= 0) this.recordHealth(run, task, index, status.healthy ? undefined : 'command failed');
    }
    if (previous !== state) {
      this.emitEvent('status_update_event', {
        slaveId: task.agentId,
        taskId: task.id,
        taskStatus: state,
        message: [status.message, task.message].filter(Boolean).join('; '),
        appId: task.appId,
        host: task.host,
        ipAddresses: [{ ipAddress: task.ip, protocol: 'IPv4' }],
        ports: task.ports,
        version: task.version,
      });
    }
    if (!TERMINAL.has(state)) return;
    run.tasks.delete(taskId);
    this.stopChecks(taskId);
    if (task.killing) return;
    // Exited on its own (or lost): it is replaced after the app's backoff, which grows with each failure.
    const seconds =
      run.delay.seconds === 0
        ? (def?.backoffSeconds ?? 1)
        : Math.min(run.delay.seconds * (def?.backoffFactor ?? 1.15), def?.maxLaunchDelaySeconds ?? 300);
    run.delay = { seconds, until: Date.now() + seconds * 1000 };
    run.lastTaskFailure = {
      appId: task.appId,
      host: task.host,
      message: String(status.message ?? ''),
      state,
      taskId: task.id,
      timestamp: now(),
      version: task.version,
      slaveId: task.agentId,
    };
  }

  private startChecks(run: Run, task: TaskRecord): void {
    const def = run.active;
    if (!def) return;
    const timers: NodeJS.Timeout[] = [];
    def.healthChecks.forEach((check, index) => {
      if (check.protocol === 'COMMAND') return;
      const port = check.port ?? task.ports[check.portIndex ?? 0] ?? 0;
      const loop = async () => {
        if (!run.tasks.has(task.id) || task.killing) return;
        const failure = await probe(
          check.protocol,
          task.ip,
          port,
          check.path ?? '/',
          check.timeoutSeconds * 1000,
          check.ignoreHttp1xx === true,
        );
        if (!run.tasks.has(task.id) || task.killing) return;
        this.recordHealth(run, task, index, failure);
        const timer = setTimeout(() => void loop(), check.intervalSeconds * 1000);
        timer.unref();
        timers[index] = timer;
      };
      const first = setTimeout(() => void loop(), 0);
      first.unref();
      timers[index] = first;
    });
    this.checks.set(task.id, timers);
  }

  private stopChecks(taskId: string): void {
    for (const timer of this.checks.get(taskId) ?? []) if (timer) clearTimeout(timer);
    this.checks.delete(taskId);
  }

  private recordHealth(run: Run, task: TaskRecord, index: number, failure: string | undefined): void {
    const check = run.active?.healthChecks[index] as HealthCheck | undefined;
    if (!check) return;
    const at = now();
    const old = task.health[index] ?? {
      alive: false,
      consecutiveFailures: 0,
      firstSuccess: null,
      lastSuccess: null,
      lastFailure: null,
      lastFailureCause: null,
      taskId: task.id,
      instanceId: task.id.replace(/\._app\.\d+$/, ''),
    };
    // As Marathon does, a failure before the first success within the grace period is not recorded: the task
    // is not yet alive, but it has not failed either, and nothing is killed for it.
    const inGrace =
      !old.firstSuccess &&
      task.startedAt !== null &&
      Date.now() - Date.parse(task.startedAt) < check.gracePeriodSeconds * 1000;
    if (failure && inGrace) {
      task.health[index] = old;
      return;
    }
    const result: HealthResult = failure
      ? {
          ...old,
          alive: false,
          consecutiveFailures: old.consecutiveFailures + 1,
          lastFailure: at,
          lastFailureCause: failure,
        }
      : {
          ...old,
          alive: true,
          consecutiveFailures: 0,
          firstSuccess: old.firstSuccess ?? at,
          lastSuccess: at,
        };
    task.health[index] = result;
    if (old.alive !== result.alive || task.health[index] === null) {
      this.emitEvent('health_status_changed_event', {
        appId: task.appId,
        taskId: task.id,
        instanceId: result.instanceId,
        version: task.version,
        alive: result.alive,
      });
    }
    if (!failure) return;
    this.emitEvent('failed_health_check_event', { appId: task.appId, taskId: task.id, healthCheck: check });
    if (check.maxConsecutiveFailures > 0 && result.consecutiveFailures >= check.maxConsecutiveFailures) {
      this.emitEvent('unhealthy_task_kill_event', {
        appId: task.appId,
        taskId: task.id,
        version: task.version,
        reason: failure,
        host: task.host,
        slaveId: task.agentId,
      });
      run.lastTaskFailure = {
        appId: task.appId,
        host: task.host,
        message: `Task was killed since health check failed. Reason: ${failure}`,
        state: 'TASK_KILLED',
        taskId: task.id,
        timestamp: at,
        version: task.version,
        slaveId: task.agentId,
      };
      this.killTask(task);
    }
  }

  // Reading.

  tasksOf(appId: string): TaskRecord[] {
    return [...(this.runs.get(appId)?.tasks.values() ?? [])];
  }

  runOf(appId: string): Run | undefined {
    return this.runs.get(appId);
  }

  allTasks(): TaskRecord[] {
    return [...this.runs.values()].flatMap((r) => [...r.tasks.values()]);
  }

  resetDelay(appId: string): boolean {
    const run = this.runs.get(appId);
    if (!run) return false;
    run.delay = { seconds: 0, until: 0 };
    return true;
  }

  definitionJson(record: AppRecord): Json {
    return {
      ...definitionJson(record.def),
      version: record.version,
      versionInfo: { lastScalingAt: record.lastScalingAt, lastConfigChangeAt: record.lastConfigChangeAt },
    };
  }

  /** Checks that a dependency graph has no cycle (422 as Marathon answers). */
  checkAcyclic(apps: Map<string, AppRecord>, groups: Map<string, GroupRecord>): void {
    if (dependencyLevels(apps, groups).has('')) {
      throw invalid([{ path: '/', errors: ['Dependency graph has cyclic dependencies.'] }]);
    }
  }
}

/** Everything of a definition but its instances: a change there restarts tasks, a scale does not. */
function configKey(def: AppDefinition): string {
  const { instances: _instances, ...rest } = def;
  return JSON.stringify(rest);
}

function sortForKill(def: AppDefinition, tasks: TaskRecord[]): TaskRecord[] {
  const unhealthyFirst = (t: TaskRecord) => (t.state === 'TASK_RUNNING' ? 1 : 0);
  return [...tasks].sort((a, b) => {
    const health = unhealthyFirst(a) - unhealthyFirst(b);
    if (health !== 0) return health;
    const age = a.stagedAt.localeCompare(b.stagedAt);
    return def.killSelection === 'OLDEST_FIRST' ? age : -age;
  });
}

/**
 * The dependency level of each app: 0 with no dependencies, else one more than the deepest it depends on
 * (an app inherits its groups' dependencies; a dependency on a group means every app under it). A cycle is
 * reported as the key ''.
 */
export function dependencyLevels(
  apps: Map<string, AppRecord | AppDefinition>,
  groups: Map<string, GroupRecord>,
): Map<string, number> {
  const defOf = (v: AppRecord | AppDefinition) => ('def' in v ? v.def : v);
  const ids = [...apps.keys()];
  const expand = (dep: string) => ids.filter((id) => id === dep || id.startsWith(`${dep}/`));
  const depsOf = (id: string): string[] => {
    const direct = defOf(apps.get(id) as AppRecord | AppDefinition).dependencies;
    const inherited: string[] = [];
    for (let g = parentOf(id); ; g = parentOf(g)) {
      inherited.push(...(groups.get(g)?.dependencies ?? []));
      if (g === '/') break;
    }
    return [...direct, ...inherited].flatMap(expand).filter((d) => d !== id);
  };
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = levels.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) {
      levels.set('', -1);
      return 0;
    }
    visiting.add(id);
    const level = Math.max(-1, ...depsOf(id).map(visit)) + 1;
    visiting.delete(id);
    levels.set(id, level);
    return level;
  };
  for (const id of ids) visit(id);
  return levels;
}

function placementOf(offer: V1): Placement {
  const attributes: Record<string, string> = {};
  for (const a of (offer.attributes ?? []) as V1[]) {
    attributes[a.name] = a.type === 'SCALAR' ? String(a.scalar?.value) : String(a.text?.value ?? '');
  }
  return { agentId: offer.agent_id.value, hostname: String(offer.hostname), attributes };
}

interface Free {
  cpus: number;
  mem: number;
  disk: number;
  ports: [number, number][];
}

function firstFreePort(ranges: [number, number][], busy: ReadonlySet<number>): number | undefined {
  for (const [begin, end] of ranges) {
    for (let port = begin; port <= end; port++) if (!busy.has(port)) return port;
  }
  return undefined;
}

function offerResources(offer: V1): Free {
  const free: Free = { cpus: 0, mem: 0, disk: 0, ports: [] };
  for (const r of (offer.resources ?? []) as V1[]) {
    if (r.name === 'cpus' || r.name === 'mem' || r.name === 'disk')
      free[r.name as 'cpus'] += r.scalar?.value ?? 0;
    if (r.name === 'ports') {
      for (const range of (r.ranges?.range ?? []) as V1[]) free.ports.push([range.begin, range.end]);
    }
  }
  return free;
}

function fits(free: Free, def: AppDefinition): boolean {
  const epsilon = 1e-9;
  return free.cpus + epsilon >= def.cpus && free.mem + epsilon >= def.mem && free.disk + epsilon >= def.disk;
}

/**
 * Host ports for one instance, taken out of the offer's ranges and never one of `busy`; undefined when they are
 * not there.
 */
function takePorts(free: Free, def: AppDefinition, busy: ReadonlySet<number>): number[] | undefined {
  const wanted = def.portDefinitions.map((p) => (def.requirePorts ? p.port : 0));
  const taken: number[] = [];
  const ranges = free.ports.map((r) => [...r] as [number, number]);
  for (const port of wanted) {
    const take = (n: number) => {
      const index = ranges.findIndex(([b, e]) => n >= b && n <= e);
      if (index < 0) return false;
      const [b, e] = ranges[index] as [number, number];
      ranges.splice(
        index,
        1,
        ...(
          [
            [b, n - 1],
            [n + 1, e],
          ] as [number, number][]
        ).filter(([x, y]) => x <= y),
      );
      taken.push(n);
      return true;
    };
    if (port !== 0) {
      if (busy.has(port) || !take(port)) return undefined;
      continue;
    }
    const any = firstFreePort(ranges, busy);
    if (any === undefined || !take(any)) return undefined;
  }
  if (!fits(free, def)) return undefined;
  free.ports = ranges;
  return taken;
}
