import type { MasterModel, ModelAgent } from '../master/master-model';
import { FileAttachments } from '../http/files-api';
import { masterMetricsJson, roleViews, weightsJson } from '../master/master-json';
import type { MasterWrites } from './master-writes';
import type { OperatorAgent, OperatorMaster } from './operator-master';

/**
 * A master model as the operator API reads it, the local cluster's or a simulated one (live: failover
 * changes id, port and times), with the same roles, weights, quota and metrics as its v0 endpoints.
 */
export function operatorMasterOf<Agent extends ModelAgent & OperatorAgent>(
  core: MasterModel<Agent>,
  writes?: MasterWrites,
): OperatorMaster {
  const files = new FileAttachments();
  files.attach('/master/log', core.log.path);
  return {
    get masterId() {
      return core.masterId;
    },
    get host() {
      return core.host;
    },
    get masterPort() {
      return core.masterPort;
    },
    get pid() {
      return core.pid;
    },
    get startTime() {
      return core.startTime;
    },
    get electedTime() {
      return core.electedTime;
    },
    agentList: () => core.agents,
    usedOn: (agentId) => core.usedOn(agentId),
    offeredOn: (agentId) => core.offeredOn(agentId),
    frameworks: core.frameworks,
    completedFrameworks: core.completedFrameworks,
    offers: core.offers,
    flags: () => core.flags(),
    metrics: () => masterMetricsJson(core),
    events: core.events,
    roles: () => roleViews(core),
    weights: () => weightsJson(core),
    quotas: () =>
      [...core.quotas].sort(([a], [b]) => a.localeCompare(b)).map(([role, quota]) => ({ role, ...quota })),
    maintenance: core.maintenance,
    files,
    writes,
  };
}
