/**
 * Maintenance as the master's allocator reports it: a schedule of unavailability windows, every scheduled
 * machine DRAINING (its frameworks answer inverse offers) until an operator brings it DOWN.
 */
import type { ClusterCore } from './cluster-core';
import { nowSecs } from './ids';

export interface MachineId {
  hostname?: string;
  ip?: string;
}

export interface MaintenanceWindowSpec {
  machines: MachineId[];
  /** Float seconds since the epoch. */
  start: number;
  durationSecs: number;
}

export type InverseOfferAnswer = 'UNKNOWN' | 'ACCEPT' | 'DECLINE';

const NANOS = 1e9;

const sameMachine = (a: MachineId, b: MachineId) => a.hostname === b.hostname && a.ip === b.ip;

/**
 * Replaces the schedule and derives the status: machines listed in `down` are down, every other scheduled
 * machine is draining, with each registered framework's answer to its inverse offer (`answers`, by framework
 * name; UNKNOWN when a framework has not answered).
 */
export function scheduleMaintenance(
  core: ClusterCore,
  windows: MaintenanceWindowSpec[],
  options: { down?: MachineId[]; answers?: Record<string, InverseOfferAnswer> } = {},
): void {
  const down = options.down ?? [];
  const answeredAt = { nanoseconds: Math.round(nowSecs() * NANOS) };
  core.maintenance.schedule =
    windows.length === 0
      ? {}
      : {
          windows: windows.map((window) => ({
            machine_ids: window.machines,
            unavailability: {
              start: { nanoseconds: Math.round(window.start * NANOS) },
              duration: { nanoseconds: Math.round(window.durationSecs * NANOS) },
            },
          })),
        };
  const draining = windows
    .flatMap((window) => window.machines)
    .filter((machine, index, all) => all.findIndex((m) => sameMachine(m, machine)) === index)
    .filter((machine) => !down.some((d) => sameMachine(d, machine)));
  const frameworks = [...core.frameworks.values()];
  core.maintenance.status = {
    ...(draining.length > 0 && {
      draining_machines: draining.map((id) => ({
        id,
        statuses: frameworks.map((framework) => ({
          status: options.answers?.[framework.name] ?? 'UNKNOWN',
          framework_id: { value: framework.id },
          timestamp: answeredAt,
        })),
      })),
    }),
    ...(down.length > 0 && { down_machines: down }),
  };
}
