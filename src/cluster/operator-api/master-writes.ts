/**
 * What an operator can change on a master, shared by the v0 write endpoints (`/master/teardown`,
 * `/master/machine/down`, ...) and the v1 operator calls (TEARDOWN, START_MAINTENANCE, ...): both parse their
 * request their own way and get the same answers, in Mesos's status codes and texts.
 */
import type { MachineId } from '../master/maintenance';
import type { MaintenanceWindowJson } from '../master/maintenance-modes';
import type { RequestedResources } from './write-parsing';

/** The HTTP answer to a write: 200 OK, 202 Accepted, or an error status with Mesos's text. */
export interface WriteOutcome {
  status: number;
  body?: string;
}

export const OK: WriteOutcome = { status: 200 };
export const ACCEPTED: WriteOutcome = { status: 202 };

export function badRequest(body: string): WriteOutcome {
  return { status: 400, body };
}

export interface DrainRequest {
  agentId: string;
  maxGracePeriodSecs: number | undefined;
  markGone: boolean;
}

/** The writes a master supports. */
export interface MasterWrites {
  teardown(frameworkId: string): WriteOutcome | Promise<WriteOutcome>;
  updateMaintenanceSchedule(windows: MaintenanceWindowJson[]): WriteOutcome | Promise<WriteOutcome>;
  /** START_MAINTENANCE, `/master/machine/down`. */
  machinesDown(machines: MachineId[]): WriteOutcome | Promise<WriteOutcome>;
  /** STOP_MAINTENANCE, `/master/machine/up`. */
  machinesUp(machines: MachineId[]): WriteOutcome | Promise<WriteOutcome>;
  reserve(agentId: string, resources: RequestedResources[]): WriteOutcome | Promise<WriteOutcome>;
  unreserve(agentId: string, resources: RequestedResources[]): WriteOutcome | Promise<WriteOutcome>;
  drainAgent(request: DrainRequest): WriteOutcome | Promise<WriteOutcome>;
  deactivateAgent(agentId: string): WriteOutcome | Promise<WriteOutcome>;
  reactivateAgent(agentId: string): WriteOutcome | Promise<WriteOutcome>;
}
