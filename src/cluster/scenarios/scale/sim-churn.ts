/**
 * Keeps a simulated cluster moving, every second: tasks end (finish, fail, get killed, get lost) and the
 * frameworks replace them as schedulers do: a framework below its target revives, takes the offers the
 * master's allocator makes it, launches within them and declines the rest with a refuse filter, and
 * suppresses offers once it has what it wants. Replacements go STAGING → STARTING → RUNNING over the next
 * seconds. Now and then a small framework leaves and a new one arrives, and an agent is replaced or
 * (de)activated.
 */
import type { IdSource } from '../../master/ids';
import { DEFAULT_REFUSE_SECONDS } from '../../master/allocator/allocator';
import type { FrameworkRecord, OfferRecord, TaskState } from '../../master/model';
import type { ScaleSpec } from './scale-spec';
import type { SimMaster, SimTask } from './sim-master';
import type { Population, SimApp } from './sim-population';
import { endStatus, makeApps } from './sim-population';

const TICK_MS = 1000;
/** Agents an allocation pass visits for each framework that waits for offers (see the allocator's sweep). */
const SWEEP_PER_WAITING_FRAMEWORK = 20;
const FRAMEWORK_CHURN_EVERY_TICKS = 30;
const AGENT_CHURN_EVERY_TICKS = 60;

export interface ChurnHandle {
  stop(): void;
  /** Runs one tick now (tests). */
  tick(): void;
}

export function startChurn(
  master: SimMaster,
  spec: ScaleSpec,
  rng: IdSource,
  population: Population,
  options: { autoStart?: boolean } = {},
): ChurnHandle {
  let ticks = 0;

  const randomLiveTask = (): SimTask | undefined => {
    const frameworks = [...master.frameworks.values()];
    for (let attempt = 0; attempt < 20; attempt++) {
      // Pick a framework weighted by its size, then one of its tasks.
      let roll = Math.floor(rng.random() * master.tasksById.size);
      for (const framework of frameworks) {
        if (roll < framework.tasks.size) {
          let i = Math.floor(rng.random() * framework.tasks.size);
          for (const task of framework.tasks.values()) {
            if (i-- === 0) {
              if (task.state === 'TASK_RUNNING') return task as SimTask;
              break;
            }
          }
          break;
        }
        roll -= framework.tasks.size;
      }
    }
    return undefined;
  };

  const endTasks = () => {
    for (let i = 0; i < spec.churnPerSecond; i++) {
      const task = randomLiveTask();
      if (!task) return;
      const roll = rng.random();
      const framework = master.frameworks.get(task.frameworkId);
      if (roll < 0.08 && framework?.capabilities.includes('TASK_KILLING_STATE')) {
        master.counters.killTasks++;
        master.runner.requestKill(task);
        continue;
      }
      const state: TaskState = roll < 0.75 ? 'TASK_FINISHED' : roll < 0.95 ? 'TASK_FAILED' : 'TASK_LOST';
      const { source, reason, message } = endStatus(state, 0);
      master.updateTask(task, state, { source, ...(reason ? { reason } : {}), message });
    }
  };

  /** How many more tasks the framework wants. */
  const need = (framework: FrameworkRecord) =>
    (population.targets.get(framework.id) ?? 0) - framework.tasks.size;

  /** A framework subscribes: it gets offers unless it already has all it wants. */
  const subscribe = (framework: FrameworkRecord) =>
    master.allocator.addFramework(framework.id, need(framework) > 0 ? [] : framework.roles);

  /**
   * Each framework answers its outstanding offers as ACCEPT and DECLINE do: tasks launched within an offer's
   * resources and what is left refused for a while; an offer it has no use for is declined. At most a few
   * ticks' worth of launches at once: offers beyond that wait for the next tick.
   */
  const answerOffers = () => {
    let budget = spec.churnPerSecond * 3;
    const byFramework = new Map<string, OfferRecord[]>();
    for (const offer of master.offers.values()) {
      const list = byFramework.get(offer.frameworkId);
      if (list) list.push(offer);
      else byFramework.set(offer.frameworkId, [offer]);
    }
    for (const [frameworkId, offers] of byFramework) {
      const framework = master.frameworks.get(frameworkId);
      if (!framework) continue;
      const apps = population.apps.get(frameworkId) ?? [];
      for (const offer of offers) {
        if (need(framework) <= 0 || apps.length === 0) {
          master.allocator.decline(frameworkId, [offer.id], DEFAULT_REFUSE_SECONDS);
          continue;
        }
        if (budget <= 0) continue;
        const agent = master.agent(offer.agentId);
        if (!agent || !master.allocator.takeOffer(offer.id)) continue;
        const left = { ...offer.resources };
        let launched = 0;
        for (let wanted = Math.min(need(framework), budget); wanted > 0; wanted--) {
          const app = apps[Math.floor(rng.random() * apps.length)] as SimApp;
          if (app.cpus > left.cpus + 1e-9 || app.mem > left.mem + 1e-9 || app.disk > left.disk + 1e-9) break;
          const task = master.launchTask({
            framework,
            agent,
            name: app.name,
            resources: { cpus: app.cpus, gpus: 0, mem: app.mem, disk: app.disk, ports: [] },
            role: offer.role,
            command: app.command,
          });
          master.runner.stage(task);
          left.cpus -= app.cpus;
          left.mem -= app.mem;
          left.disk -= app.disk;
          launched++;
          budget--;
        }
        if (launched > 0) master.counters.offersAccepted++;
        else master.counters.offersDeclined++;
        master.allocator.recover(frameworkId, offer.agentId, DEFAULT_REFUSE_SECONDS);
      }
    }
  };

  /** Frameworks below their target revive; those at it suppress offers (as Marathon does). */
  const reviveOrSuppress = () => {
    for (const framework of master.frameworks.values()) {
      const suppressed = master.allocator.isSuppressed(framework);
      const hungry = need(framework) > 0;
      if (hungry && suppressed) master.allocator.revive(framework.id);
      else if (!hungry && !suppressed) master.allocator.suppress(framework.id);
    }
  };

  const replaceFramework = () => {
    const small = [...master.frameworks.values()].filter((f) => f.tasks.size > 0 && f.tasks.size <= 20);
    const leaving = small[Math.floor(rng.random() * small.length)];
    if (!leaving) return;
    const target = population.targets.get(leaving.id) ?? leaving.tasks.size;
    master.teardownFramework(leaving.id);
    population.targets.delete(leaving.id);
    population.apps.delete(leaving.id);
    const arriving = master.registerFramework({
      name: `${leaving.name.split('-')[0] ?? 'job'}-run-${master.counters.frameworkRegistrations}`,
      user: leaving.user,
      roles: leaving.roles,
      principal: leaving.principal,
    });
    population.apps.set(arriving.id, makeApps(rng, arriving, Math.max(1, Math.ceil(target / 25))));
    population.targets.set(arriving.id, target);
    subscribe(arriving);
  };

  const replaceAgent = () => {
    const victim = master.agents[Math.floor(rng.random() * master.agents.length)];
    if (!victim) return;
    if (rng.random() < 0.5) {
      // Maintenance: the agent is deactivated (no event in Mesos), or comes back.
      master.setDeactivated(victim.id, !victim.deactivated);
      return;
    }
    master.removeAgent(victim.id);
    master.addAgent({
      hostname: victim.hostname,
      resources: victim.resources,
      attributes: { ...victim.attributes },
    });
  };

  const manual = options.autoStart === false;
  const tick = () => {
    ticks += 1;
    master.runner.step();
    answerOffers();
    endTasks();
    if (ticks % FRAMEWORK_CHURN_EVERY_TICKS === 0) replaceFramework();
    if (ticks % AGENT_CHURN_EVERY_TICKS === 0) replaceAgent();
    reviveOrSuppress();
    // Run by hand, a tick is also the allocation interval: the offers it makes are answered next tick.
    if (manual) master.allocator.allocate();
  };

  // A pass visits the agents whose resources changed and, in turn, `spec.offers` more and a few for each
  // framework waiting for offers: not every agent of a big cluster every second.
  master.allocator.configure({
    sweepAgents: spec.offers,
    sweepPerFramework: SWEEP_PER_WAITING_FRAMEWORK,
    onlyWhenAsked: manual,
  });
  for (const framework of master.frameworks.values()) subscribe(framework);
  if (manual) return { stop: () => master.allocator.stop(), tick };
  master.allocator.start();
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      master.allocator.stop();
    },
    tick,
  };
}
