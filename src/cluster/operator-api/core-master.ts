import type { ClusterCore } from '../master/cluster-core';
import { FileAttachments } from '../http/files-api';
import { masterFlags, masterMetricsJson, roleViews } from '../master/master-json';
import type { MasterWrites } from './master-writes';
import type { OperatorMaster } from './operator-master';

/** The embedded cluster's master as the operator API reads it (live: failover changes id, port and times). */
export function operatorMasterOf(core: ClusterCore, writes?: MasterWrites): OperatorMaster {
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
    flags: () => masterFlags(core),
    metrics: () => masterMetricsJson(core),
    events: core.events,
    roles: () => roleViews(core),
    weights: () =>
      [...core.weights].sort(([a], [b]) => a.localeCompare(b)).map(([role, weight]) => ({ role, weight })),
    quotas: () =>
      [...core.quotas].sort(([a], [b]) => a.localeCompare(b)).map(([role, quota]) => ({ role, ...quota })),
    maintenance: core.maintenance,
    files,
    writes,
  };
}
