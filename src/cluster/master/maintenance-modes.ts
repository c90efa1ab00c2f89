/**
 * The maintenance writes of a master (src/master/http.cpp `_updateMaintenanceSchedule`, `_startMaintenance`,
 * `_stopMaintenance`, and src/master/maintenance.cpp's validation), applied to the schedule and status documents
 * the master serves: a scheduled machine is DRAINING until an operator brings it DOWN, and UP again once it is
 * brought up, which also takes it out of the schedule.
 */
import type { MaintenanceState } from '../http/master-server';
import type { MachineId } from './maintenance';
import { protobufError } from '../operator-api/write-parsing';

export type MachineMode = 'UP' | 'DRAINING' | 'DOWN';

export interface MaintenanceWindowJson {
  machine_ids: MachineId[];
  unavailability: { start: { nanoseconds: number }; duration?: { nanoseconds: number } };
}

/** `stringify(JSON::protobuf(id))`: the machine as Mesos names it in its errors. */
export function machineText(id: MachineId): string {
  const out: MachineId = {};
  if (id.hostname !== undefined) out.hostname = id.hostname;
  if (id.ip !== undefined) out.ip = id.ip;
  return JSON.stringify(out);
}

/** MachineID equality: hostnames compare case-insensitively, and a field set on one side must be set on both. */
export function sameMachine(a: MachineId, b: MachineId): boolean {
  return (
    (a.hostname === undefined) === (b.hostname === undefined) &&
    (a.hostname ?? '').toLowerCase() === (b.hostname ?? '').toLowerCase() &&
    (a.ip === undefined) === (b.ip === undefined) &&
    (a.ip ?? '') === (b.ip ?? '')
  );
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `maintenance::validation::machine`. */
function validateMachine(id: MachineId): string | undefined {
  if (!id.hostname && !id.ip) return "Both 'hostname' and 'ip' for a machine are empty";
  if (id.ip && !IPV4.test(id.ip)) return `Failed to parse IP address '${id.ip}'`;
  return undefined;
}

/** `maintenance::validation::machines`: a non-empty list of valid, distinct machines. */
export function validateMachines(ids: readonly MachineId[]): string | undefined {
  if (ids.length === 0) return 'List of machines is empty';
  for (const [index, id] of ids.entries()) {
    const invalid = validateMachine(id);
    if (invalid) return invalid;
    if (ids.slice(0, index).some((other) => sameMachine(other, id)))
      return `Machine '${machineText(id)}' appears more than once in the schedule`;
  }
  return undefined;
}

/** Parses a JSON `MachineID` (unknown fields are ignored, as Mesos's protobuf parser does). */
export function parseMachineId(value: unknown, field = ''): MachineId | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Expecting a JSON object';
  const out: MachineId = {};
  for (const key of ['hostname', 'ip'] as const) {
    const raw = (value as Record<string, unknown>)[key];
    if (raw === undefined) continue;
    if (typeof raw !== 'string') return protobufError(raw, `${field}${key}`);
    out[key] = raw;
  }
  return out;
}

/** Parses a JSON array of `MachineID`s (the body of `/master/machine/down` and `/master/machine/up`). */
export function parseMachineList(value: unknown): MachineId[] | string {
  if (!Array.isArray(value)) return 'Expecting a JSON array';
  const out: MachineId[] = [];
  for (const entry of value) {
    const id = parseMachineId(entry);
    if (typeof id === 'string') return id;
    out.push(id);
  }
  return out;
}

function nanosecondsOf(value: unknown, field: string): number | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `Not expecting a JSON ${jsonType(value)} for field '${field}'`;
  const nanos = (value as { nanoseconds?: unknown }).nanoseconds;
  if (nanos === undefined) return `Missing required fields: ${field}.nanoseconds`;
  if (typeof nanos !== 'number' || !Number.isInteger(nanos)) return protobufError(nanos, 'nanoseconds');
  return nanos;
}

/** Parses a JSON `maintenance.Schedule`. */
export function parseSchedule(value: unknown): MaintenanceWindowJson[] | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Expecting a JSON object';
  const windows = (value as { windows?: unknown }).windows ?? [];
  if (!Array.isArray(windows)) return protobufError(windows, 'windows');
  const out: MaintenanceWindowJson[] = [];
  for (const [index, window] of windows.entries()) {
    if (typeof window !== 'object' || window === null || Array.isArray(window))
      return `Not expecting a JSON ${jsonType(window)} for field 'windows'`;
    const { machine_ids: rawIds = [], unavailability } = window as Record<string, unknown>;
    if (!Array.isArray(rawIds)) return protobufError(rawIds, 'machine_ids');
    const machines: MachineId[] = [];
    for (const raw of rawIds) {
      const id = parseMachineId(raw);
      if (typeof id === 'string') return id;
      machines.push(id);
    }
    if (unavailability === undefined) return `Missing required fields: windows[${index}].unavailability`;
    if (typeof unavailability !== 'object' || unavailability === null || Array.isArray(unavailability))
      return `Not expecting a JSON ${jsonType(unavailability)} for field 'unavailability'`;
    const { start, duration } = unavailability as Record<string, unknown>;
    if (start === undefined) return `Missing required fields: windows[${index}].unavailability.start`;
    const startNanos = nanosecondsOf(start, 'start');
    if (typeof startNanos === 'string') return startNanos;
    const parsed: MaintenanceWindowJson = {
      machine_ids: machines,
      unavailability: { start: { nanoseconds: startNanos } },
    };
    if (duration !== undefined) {
      const durationNanos = nanosecondsOf(duration, 'duration');
      if (typeof durationNanos === 'string') return durationNanos;
      parsed.unavailability.duration = { nanoseconds: durationNanos };
    }
    out.push(parsed);
  }
  return out;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

interface StatusJson {
  draining_machines?: { id: MachineId; statuses?: unknown[] }[];
  down_machines?: MachineId[];
}

interface ScheduleJson {
  windows?: MaintenanceWindowJson[];
}

/** The machines of a schedule and their modes, read from the documents the master serves. */
export class MaintenanceBook {
  constructor(private readonly state: MaintenanceState) {}

  private get status(): StatusJson {
    return this.state.status as StatusJson;
  }

  private get windows(): MaintenanceWindowJson[] {
    return (this.state.schedule as ScheduleJson).windows ?? [];
  }

  /** Every machine the schedule lists. */
  scheduled(): MachineId[] {
    return this.windows.flatMap((window) => window.machine_ids);
  }

  mode(id: MachineId): MachineMode {
    if ((this.status.down_machines ?? []).some((down) => sameMachine(down, id))) return 'DOWN';
    if ((this.status.draining_machines ?? []).some((draining) => sameMachine(draining.id, id)))
      return 'DRAINING';
    return 'UP';
  }

  /** True when the master knows the machine: it is scheduled, or an agent runs on it. */
  private known(id: MachineId, agentMachines: readonly MachineId[]): boolean {
    return (
      this.scheduled().some((machine) => sameMachine(machine, id)) ||
      agentMachines.some((machine) => sameMachine(machine, id))
    );
  }

  /** `_updateMaintenanceSchedule`: validates, then replaces the schedule; new machines start DRAINING. */
  updateSchedule(windows: MaintenanceWindowJson[]): string | undefined {
    const listed: MachineId[] = [];
    for (const window of windows) {
      if (window.machine_ids.length === 0) return 'List of machines in the maintenance window is empty';
      if ((window.unavailability.duration?.nanoseconds ?? 0) < 0)
        return "Unavailability 'duration' is negative";
      for (const id of window.machine_ids) {
        const invalid = validateMachine(id);
        if (invalid) return invalid;
        if (listed.some((other) => sameMachine(other, id)))
          return `Machine '${machineText(id)}' appears more than once in the schedule`;
        listed.push(id);
      }
    }
    for (const down of this.status.down_machines ?? []) {
      if (!listed.some((id) => sameMachine(id, down)))
        return `Machine '${machineText(down)}' is deactivated and cannot be removed from the schedule`;
    }
    const draining = this.status.draining_machines ?? [];
    const down = this.status.down_machines ?? [];
    const stillDraining = draining.filter((machine) => listed.some((id) => sameMachine(id, machine.id)));
    const fresh = listed
      .filter((id) => this.mode(id) === 'UP')
      .map((id) => ({ id: { ...id } }) as { id: MachineId; statuses?: unknown[] });
    this.state.schedule = windows.length === 0 ? {} : { windows };
    this.setStatus([...stillDraining, ...fresh], down);
    return undefined;
  }

  /** `_startMaintenance`: checks that every machine is DRAINING; the caller then takes its agents down. */
  checkDown(ids: readonly MachineId[], agentMachines: readonly MachineId[]): string | undefined {
    const invalid = validateMachines(ids);
    if (invalid) return invalid;
    for (const id of ids) {
      if (!this.known(id, agentMachines))
        return `Machine '${machineText(id)}' is not part of a maintenance schedule`;
      if (this.mode(id) !== 'DRAINING')
        return `Machine '${machineText(id)}' is not in DRAINING mode and cannot be brought down`;
    }
    return undefined;
  }

  /** Marks checked machines DOWN. */
  markDown(ids: readonly MachineId[]): void {
    const draining = (this.status.draining_machines ?? []).filter(
      (machine) => !ids.some((id) => sameMachine(id, machine.id)),
    );
    this.setStatus(draining, [...(this.status.down_machines ?? []), ...ids.map((id) => ({ ...id }))]);
  }

  /** `_stopMaintenance`: every machine must be DOWN; they go UP and leave the schedule. */
  bringUp(ids: readonly MachineId[], agentMachines: readonly MachineId[]): string | undefined {
    const invalid = validateMachines(ids);
    if (invalid) return invalid;
    for (const id of ids) {
      if (!this.known(id, agentMachines))
        return `Machine '${machineText(id)}' is not part of a maintenance schedule`;
      if (this.mode(id) !== 'DOWN')
        return `Machine '${machineText(id)}' is not in DOWN mode and cannot be brought up`;
    }
    const windows = this.windows
      .map((window) => ({
        ...window,
        machine_ids: window.machine_ids.filter((machine) => !ids.some((id) => sameMachine(id, machine))),
      }))
      .filter((window) => window.machine_ids.length > 0);
    this.state.schedule = windows.length === 0 ? {} : { windows };
    this.setStatus(
      this.status.draining_machines ?? [],
      (this.status.down_machines ?? []).filter((down) => !ids.some((id) => sameMachine(id, down))),
    );
    return undefined;
  }

  private setStatus(draining: NonNullable<StatusJson['draining_machines']>, down: MachineId[]): void {
    const status: StatusJson = {};
    if (draining.length > 0) status.draining_machines = draining;
    if (down.length > 0) status.down_machines = down;
    this.state.status = status as Record<string, unknown>;
  }
}
