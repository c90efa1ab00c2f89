/**
 * The operator writes on the simulated master: teardown, maintenance (schedule, machines down and up) and
 * agent deactivation, with the answers and effects of the local master. Draining and reservations need the
 * task runners and resource accounting of the local cluster; here they answer 501 and say so.
 */
import type { MachineId } from '../../master/maintenance';
import { MaintenanceBook, sameMachine } from '../../master/maintenance-modes';
import type { MaintenanceState } from '../../http/master-server';
import { OK, badRequest } from '../../operator-api/master-writes';
import type { MasterWrites, WriteOutcome } from '../../operator-api/master-writes';
import type { SimAgent, SimMaster } from './sim-master';

const notHere = (what: string): WriteOutcome => ({
  status: 501,
  body: `The simulated cluster does not implement ${what}; the local cluster does`,
});

/** The simulated master's writes, over its maintenance documents. */
export function simMasterWrites(sim: SimMaster, maintenance: MaintenanceState): MasterWrites {
  const book = new MaintenanceBook(maintenance);
  const machineOf = (agent: SimAgent): MachineId => ({ hostname: agent.hostname, ip: sim.host });
  const agentMachines = () => sim.agents.map(machineOf);
  return {
    teardown(frameworkId) {
      if (!sim.frameworks.has(frameworkId)) return badRequest('No framework found with specified ID');
      sim.teardownFramework(frameworkId);
      return OK;
    },
    updateMaintenanceSchedule(windows) {
      const invalid = book.updateSchedule(windows);
      return invalid ? badRequest(invalid) : OK;
    },
    machinesDown(machines) {
      const invalid = book.checkDown(machines, agentMachines());
      if (invalid) return badRequest(invalid);
      for (const agent of [...sim.agents]) {
        if (!machines.some((machine) => sameMachine(machine, machineOf(agent)))) continue;
        sim.removeAgent(agent.id, {
          state: 'TASK_GONE_BY_OPERATOR',
          reason: 'REASON_SLAVE_REMOVED_BY_OPERATOR',
          message: "Operator initiated 'Machine DOWN'",
        });
      }
      book.markDown(machines);
      return OK;
    },
    machinesUp(machines) {
      const invalid = book.bringUp(machines, agentMachines());
      return invalid ? badRequest(invalid) : OK;
    },
    reserve: () => notHere('RESERVE'),
    unreserve: () => notHere('UNRESERVE'),
    drainAgent: () => notHere('DRAIN_AGENT'),
    deactivateAgent(agentId) {
      if (!sim.agentsById.has(agentId)) return badRequest('Unknown agent');
      sim.setDeactivated(agentId, true);
      return OK;
    },
    reactivateAgent(agentId) {
      if (!sim.agentsById.get(agentId)?.deactivated) return badRequest('Agent is not deactivated');
      sim.setDeactivated(agentId, false);
      return OK;
    },
  };
}
