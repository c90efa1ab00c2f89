import { z } from 'zod';
import { makeParser } from './parse';
import { NanosSchema } from './schema-utils';

export const MachineIdSchema = z.looseObject({ hostname: z.string().optional(), ip: z.string().optional() });
export type MachineId = z.output<typeof MachineIdSchema>;

export const MaintenanceWindowSchema = z.looseObject({
  machine_ids: z.array(MachineIdSchema).default([]),
  unavailability: z.looseObject({ start: NanosSchema, duration: NanosSchema.optional() }),
});
export type MaintenanceWindow = z.output<typeof MaintenanceWindowSchema>;

/** `GET /master/maintenance/schedule`; an empty schedule is `{}`. */
export const MaintenanceScheduleSchema = z.looseObject({
  windows: z.array(MaintenanceWindowSchema).default([]),
});
export type MaintenanceSchedule = z.output<typeof MaintenanceScheduleSchema>;

/** Parses `GET /master/maintenance/schedule`; throws `MesosParseError`. */
export const parseMaintenanceSchedule = makeParser(MaintenanceScheduleSchema, 'maintenance schedule');

/** Begin and end of a window in ms (end is null without a duration). */
export function maintenanceWindowSpan(window: MaintenanceWindow): { startMs: number; endMs: number | null } {
  const { start, duration } = window.unavailability;
  return {
    startMs: start.nanoseconds / 1e6,
    endMs: duration ? (start.nanoseconds + duration.nanoseconds) / 1e6 : null,
  };
}

/** How the Mesos UI names a machine: hostname, falling back to IP. */
export function machineLabel(machine: MachineId): string {
  return machine.hostname || machine.ip || '';
}
