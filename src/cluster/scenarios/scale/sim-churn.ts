/**
 * Keeps a simulated cluster moving, every second: tasks end (finish, fail, get killed, get lost) and
 * replacements go STAGING → STARTING → RUNNING over the next seconds; offers are re-made; now and then a
 * small framework leaves and a new one arrives, and an agent is replaced or (de)activated.
 */
import type { IdSource } from '../../master/ids';
import type { FrameworkRecord, TaskState } from '../../master/model';
import type { ScaleSpec } from './scale-spec';
import type { SimAgent, SimMaster, SimTask } from './sim-master';
import type { Population, SimApp } from './sim-population';
import { endStatus, makeApps, placeOn } from './sim-population';

const TICK_MS = 1000;
const OFFER_EVERY_TICKS = 3;
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

  const launch = (framework: FrameworkRecord, app: SimApp): SimTask | undefined => {
    const agent = placeOn(master, rng, app);
    if (!agent) return undefined;
    return master.launchTask({
      framework,
      agent,
      name: app.name,
      resources: { cpus: app.cpus, gpus: 0, mem: app.mem, disk: app.disk, ports: [] },
      role: framework.roles[0] ?? '*',
      command: app.command,
    });
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

  const refill = () => {
    // Keep every framework near its target; at most a few ticks' worth of launches at once.
    let budget = spec.churnPerSecond * 3;
    for (const framework of master.frameworks.values()) {
      if (budget <= 0) break;
      const target = population.targets.get(framework.id) ?? 0;
      const apps = population.apps.get(framework.id) ?? [];
      for (let n = framework.tasks.size; n < target && budget > 0 && apps.length > 0; n++, budget--) {
        const app = apps[Math.floor(rng.random() * apps.length)] as SimApp;
        const task = launch(framework, app);
        if (!task) break;
        master.runner.stage(task);
      }
    }
  };

  const remakeOffers = () => {
    for (const offer of [...master.offers.values()]) master.rescindOffer(offer.id);
    const frameworks = [...master.frameworks.values()];
    if (frameworks.length === 0 || master.agents.length === 0) return;
    for (let i = 0; i < spec.offers; i++) {
      const agent = master.agents[Math.floor(rng.random() * master.agents.length)] as SimAgent;
      if (agent.deactivated) continue;
      const free = agent.free();
      const cpus = Math.floor(Math.min(8, free.cpus) * 10) / 10;
      const mem = Math.min(16_384, free.mem);
      if (cpus <= 0 || mem <= 0) continue;
      const framework = frameworks[Math.floor(rng.random() * frameworks.length)] as FrameworkRecord;
      master.createOffer(framework, agent, {
        cpus,
        gpus: 0,
        mem,
        disk: Math.min(50_000, free.disk),
        ports: [],
      });
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

  const tick = () => {
    ticks += 1;
    master.runner.step();
    endTasks();
    refill();
    if (ticks % OFFER_EVERY_TICKS === 0) remakeOffers();
    if (ticks % FRAMEWORK_CHURN_EVERY_TICKS === 0) replaceFramework();
    if (ticks % AGENT_CHURN_EVERY_TICKS === 0) replaceAgent();
  };

  remakeOffers();
  if (options.autoStart === false) return { stop: () => undefined, tick };
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
