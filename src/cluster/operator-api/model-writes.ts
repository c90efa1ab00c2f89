/**
 * The operator writes of every master model, with Mesos's checks and answers (src/master/http.cpp): a
 * teardown of an unknown framework, a maintenance schedule, machines brought down and up, agents deactivated,
 * reactivated, drained, resources reserved and unreserved. What a write does to the model's agents and tasks
 * is the model's own ({@link WriteEffects}); a write a model cannot carry out answers 501 and says so.
 */
import type { MachineId } from '../master/maintenance';
import { MaintenanceBook, machineText, sameMachine } from '../master/maintenance-modes';
import type { MasterModel, ModelAgent } from '../master/master-model';
import { OK, badRequest } from './master-writes';
import type { DrainRequest, MasterWrites, WriteOutcome } from './master-writes';
import type { RequestedResources } from './write-parsing';

/** What each write does to a master model's agents and tasks, once it has been found valid. */
export interface WriteEffects<Agent extends ModelAgent> {
  /** The machine an agent runs on, as the master keys it. */
  machineOf(agent: Agent): MachineId;
  agent(agentId: string): Agent | undefined;
  /** `Master::removeFramework`: its tasks TASK_KILLED by the master, its offers rescinded, it completes. */
  removeFramework(frameworkId: string): void;
  /** The agent's machine went DOWN: the agent is shut down and removed, its tasks lost. */
  shutDownAgent(agentId: string, message: string): Promise<void> | void;
  /** A machine back UP gets as many fresh agents as it lost (absent: none come back). */
  restartAgent?: () => Promise<unknown>;
  deactivate(agentId: string): void;
  reactivate(agentId: string): void;
  /** True while the agent drains (it cannot be reactivated then). */
  draining?(agent: Agent): boolean;
  /** RESERVE and UNRESERVE on a known agent (absent: 501). */
  reservations?: {
    reserve(agent: Agent, requested: RequestedResources[]): WriteOutcome;
    unreserve(agent: Agent, requested: RequestedResources[]): WriteOutcome;
  };
  /** Starts draining a known agent that no maintenance schedules (absent: 501). */
  drain?(agent: Agent, request: DrainRequest): void;
}

const notHere = (what: string): WriteOutcome => ({
  status: 501,
  body: `The simulated cluster does not implement ${what}; the local cluster does`,
});

/** The writes of a master model, over its maintenance documents. */
export function modelWrites<Agent extends ModelAgent>(
  master: MasterModel<Agent>,
  effects: WriteEffects<Agent>,
): MasterWrites {
  const book = new MaintenanceBook(master.maintenance);
  const downedAgents: { machine: MachineId; count: number }[] = [];
  const agentMachines = () => master.agents.map((agent) => effects.machineOf(agent));

  return {
    teardown(frameworkId) {
      if (!master.frameworks.has(frameworkId)) return badRequest('No framework found with specified ID');
      effects.removeFramework(frameworkId);
      return OK;
    },

    updateMaintenanceSchedule(windows) {
      const invalid = book.updateSchedule(windows);
      if (invalid) return badRequest(invalid);
      master.log.log('I', 'http.cpp:3210', `Updated the maintenance schedule (${windows.length} windows)`);
      return OK;
    },

    async machinesDown(machines) {
      const invalid = book.checkDown(machines, agentMachines());
      if (invalid) return badRequest(invalid);
      for (const machine of machines) {
        const agents = master.agents.filter((agent) => sameMachine(effects.machineOf(agent), machine));
        if (agents.length > 0) downedAgents.push({ machine, count: agents.length });
        await Promise.all(
          agents.map((agent) => effects.shutDownAgent(agent.id, "Operator initiated 'Machine DOWN'")),
        );
      }
      book.markDown(machines);
      return OK;
    },

    async machinesUp(machines) {
      const invalid = book.bringUp(machines, agentMachines());
      if (invalid) return badRequest(invalid);
      for (const machine of machines) {
        for (let i = downedAgents.length - 1; i >= 0; i--) {
          const downed = downedAgents[i];
          if (!downed || !sameMachine(downed.machine, machine)) continue;
          downedAgents.splice(i, 1);
          for (let n = 0; n < downed.count; n++) await effects.restartAgent?.();
        }
      }
      return OK;
    },

    reserve(agentId, requested) {
      if (!effects.reservations) return notHere('RESERVE');
      const agent = effects.agent(agentId);
      if (!agent) return badRequest('No agent found with specified ID');
      return effects.reservations.reserve(agent, requested);
    },

    unreserve(agentId, requested) {
      if (!effects.reservations) return notHere('UNRESERVE');
      const agent = effects.agent(agentId);
      if (!agent) return badRequest('No agent found with specified ID');
      return effects.reservations.unreserve(agent, requested);
    },

    drainAgent(request) {
      if (!effects.drain) return notHere('DRAIN_AGENT');
      const agent = effects.agent(request.agentId);
      if (!agent) return badRequest('Unknown agent');
      const machine = effects.machineOf(agent);
      const scheduled = book.scheduled().find((m) => sameMachine(m, machine));
      if (scheduled) {
        return badRequest(
          `Agent ${request.agentId} is part of a maintenance schedule under Machine ${machineText(scheduled)}`,
        );
      }
      effects.drain(agent, request);
      return OK;
    },

    deactivateAgent(agentId) {
      if (!effects.agent(agentId)) return badRequest('Unknown agent');
      effects.deactivate(agentId);
      return OK;
    },

    reactivateAgent(agentId) {
      const agent = effects.agent(agentId);
      if (!agent?.deactivated) return badRequest('Agent is not deactivated');
      if (effects.draining?.(agent)) return badRequest('Agent is still in the DRAINING state');
      effects.reactivate(agentId);
      return OK;
    },
  };
}
