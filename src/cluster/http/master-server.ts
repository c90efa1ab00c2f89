import type { ClusterCore } from '../master/cluster-core';
import type { ServerSecurity } from '../ha/http-auth';
import { operatorMasterOf } from '../operator-api/core-master';
import { createOperatorEndpoint } from '../operator-api/operator-endpoint';
import type { OperatorApiOptions } from '../operator-api/operator-endpoint';
import { LibprocessServer } from './http-server';
import type { RouteHandler } from './http-server';
import { localMasterWrites } from '../operator-api/local-master-writes';
import { masterV0Routes } from './master-routes';
import { createSchedulerEndpoint } from '../master/scheduler-api/scheduler-endpoint';
import { SchedulerMaster } from '../master/scheduler-api/scheduler-master';
import type { SchedulerApiOptions } from '../master/scheduler-api/scheduler-master';
import type { MasterWrites } from '../operator-api/master-writes';

/** Maintenance data served by `/master/maintenance/*` (empty objects when nothing is scheduled). */
export interface MaintenanceState {
  schedule: Record<string, unknown>;
  status: Record<string, unknown>;
}

/** Builds the master's HTTP server (GET/HEAD, jsonp, libprocess-style routing). */
export function createMasterServer(
  core: ClusterCore,
  maintenance: MaintenanceState,
  security: ServerSecurity = {},
): LibprocessServer {
  return new LibprocessServer(core.host, masterRoutes(core, maintenance), security);
}

/** The leading master's endpoints, by path (standby masters wrap these, see ha/standby-routes.ts). */
export function masterRoutes(
  core: ClusterCore,
  maintenance: MaintenanceState,
  operatorApi: OperatorApiOptions = {},
  schedulerApi: SchedulerApiOptions = {},
  writes: MasterWrites = localMasterWrites(core),
): Map<string, RouteHandler> {
  const operatorEndpoint = createOperatorEndpoint(operatorMasterOf(core, writes), operatorApi);
  core.subscriberCount = () => operatorEndpoint.subscribers;
  const routes = masterV0Routes(core, operatorEndpoint, writes, maintenance);
  core.scheduler ??= new SchedulerMaster(core, schedulerApi);
  const scheduler = createSchedulerEndpoint(core, core.scheduler);
  for (const path of ['/api/v1/scheduler', '/master/api/v1/scheduler']) {
    routes.set(path, () => ({ kind: 'stream', write: (req, res) => scheduler(req, res) }));
  }
  return routes;
}
