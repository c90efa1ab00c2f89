import { z } from 'zod';
import { makeParser } from './parse';
import { NanosSchema } from './schema-utils';

const MachineIdSchema = z.looseObject({ hostname: z.string().optional(), ip: z.string().optional() });
export type MachineId = z.output<typeof MachineIdSchema>;

const MaintenanceWindowSchema = z.looseObject({
  machine_ids: z.array(MachineIdSchema).default([]),
  unavailability: z.looseObject({ start: NanosSchema, duration: NanosSchema.optional() }),
});
type MaintenanceWindow = z.output<typeof MaintenanceWindowSchema>;

/** `GET /master/maintenance/schedule`; an empty schedule is `{}`. */
const MaintenanceScheduleSchema = z.looseObject({
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

/** A framework's answer to the inverse offer for a draining machine. */
const InverseOfferStatusSchema = z.looseObject({
  /** `UNKNOWN` (no answer yet), `ACCEPT` or `DECLINE`. */
  status: z.string().default('UNKNOWN'),
  framework_id: z.looseObject({ value: z.string() }).optional(),
  timestamp: NanosSchema.optional(),
});

/** `GET /master/maintenance/status`: machines being drained and machines that are down. */
const MaintenanceStatusSchema = z.looseObject({
  draining_machines: z
    .array(
      z.looseObject({
        id: MachineIdSchema,
        statuses: z.array(InverseOfferStatusSchema).default([]),
      }),
    )
    .default([]),
  down_machines: z.array(MachineIdSchema).default([]),
});
export type MaintenanceStatus = z.output<typeof MaintenanceStatusSchema>;

/** Parses `GET /master/maintenance/status`; throws `MesosParseError`. */
export const parseMaintenanceStatus = makeParser(MaintenanceStatusSchema, 'maintenance status');

/** Whether a machine id names this agent: same hostname, or same IP as the agent's pid. */
export function machineIsAgent(
  machine: MachineId,
  agent: { hostname: string; pid?: string | undefined },
): boolean {
  if (machine.hostname && machine.hostname === agent.hostname) return true;
  if (!machine.ip) return false;
  const at = agent.pid?.indexOf('@') ?? -1;
  const ip = at >= 0 ? agent.pid?.slice(at + 1).split(':')[0] : undefined;
  return machine.ip === ip || machine.ip === agent.hostname;
}
