/**
 * What the operator writes (model-writes.ts) do on the simulated master: teardown, maintenance (machines down
 * and up) and agent deactivation, with the answers of the local master. Draining and reservations need the
 * task runners and resource accounting of the local cluster; here they answer 501 and say so.
 */
import { modelWrites } from '../../operator-api/model-writes';
import type { MasterWrites } from '../../operator-api/master-writes';
import type { SimMaster } from './sim-master';

/** The simulated master's writes, over its maintenance documents. */
export function simMasterWrites(sim: SimMaster): MasterWrites {
  return modelWrites(sim, {
    machineOf: (agent) => ({ hostname: agent.hostname, ip: sim.host }),
    agent: (agentId) => sim.agentsById.get(agentId),
    removeFramework: (frameworkId) => sim.teardownFramework(frameworkId),
    shutDownAgent: (agentId, message) =>
      sim.removeAgent(agentId, {
        state: 'TASK_GONE_BY_OPERATOR',
        reason: 'REASON_SLAVE_REMOVED_BY_OPERATOR',
        message,
      }),
    deactivate: (agentId) => sim.setDeactivated(agentId, true),
    reactivate: (agentId) => sim.setDeactivated(agentId, false),
  });
}
