/**
 * The v1 operator calls beyond the state reads: maintenance, quota, weights, files and logging reads, and the
 * writes (TEARDOWN, DRAIN_AGENT, START_MAINTENANCE, ...). Each validates its call as src/master/validation.cpp
 * does and answers as src/master/http.cpp does: 200 with the response, 200/202 with no body for a write, or
 * an error status with Mesos's text.
 */
import { parseMachineId, parseSchedule } from '../master/maintenance-modes';
import type { MachineId } from '../master/maintenance';
import type { WriteOutcome } from './master-writes';
import { parseResourceList } from './write-parsing';
import type { OperatorMaster } from './operator-master';

type Json = Record<string, unknown>;

/** A call's answer: a response document, or a bare status (writes, errors). */
export type CallReply = { json: Json } | WriteOutcome;

/** Every `mesos.v1.master.Call.Type` of Mesos 1.11. */
export const MASTER_CALL_TYPES = new Set([
  'UNKNOWN',
  'GET_HEALTH',
  'GET_FLAGS',
  'GET_VERSION',
  'GET_METRICS',
  'GET_LOGGING_LEVEL',
  'SET_LOGGING_LEVEL',
  'LIST_FILES',
  'READ_FILE',
  'GET_STATE',
  'GET_AGENTS',
  'GET_FRAMEWORKS',
  'GET_EXECUTORS',
  'GET_OPERATIONS',
  'GET_TASKS',
  'GET_ROLES',
  'GET_WEIGHTS',
  'UPDATE_WEIGHTS',
  'GET_MASTER',
  'SUBSCRIBE',
  'RESERVE_RESOURCES',
  'UNRESERVE_RESOURCES',
  'CREATE_VOLUMES',
  'DESTROY_VOLUMES',
  'GROW_VOLUME',
  'SHRINK_VOLUME',
  'GET_MAINTENANCE_STATUS',
  'GET_MAINTENANCE_SCHEDULE',
  'UPDATE_MAINTENANCE_SCHEDULE',
  'START_MAINTENANCE',
  'STOP_MAINTENANCE',
  'DRAIN_AGENT',
  'DEACTIVATE_AGENT',
  'REACTIVATE_AGENT',
  'GET_QUOTA',
  'UPDATE_QUOTA',
  'SET_QUOTA',
  'REMOVE_QUOTA',
  'TEARDOWN',
  'MARK_AGENT_GONE',
]);

const bad = (message: string): WriteOutcome => ({ status: 400, body: message });
/** The 400 of a call that fails `validation::master::call::validate`. */
const invalid = (message: string): WriteOutcome => bad(`Failed to validate master::Call: ${message}`);
/** The 400 of a body that does not parse into a `Call`. */
const unparsable = (message: string): WriteOutcome =>
  bad(`Failed to parse body into Call protobuf: ${message}`);

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** `{value: "..."}` ids: the id, or the parse error. */
function idValue(value: unknown, field: string): string | WriteOutcome {
  if (value === undefined) return unparsable(`Missing required fields: ${field}`);
  const v = object(value)?.value;
  if (typeof v !== 'string') return unparsable(`Missing required fields: ${field}.value`);
  return v;
}

function machineList(value: unknown, field: string): MachineId[] | WriteOutcome {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return unparsable(`Not expecting a JSON ${typeof value} for field '${field}'`);
  const out: MachineId[] = [];
  for (const entry of value) {
    const id = parseMachineId(entry);
    if (typeof id === 'string') return unparsable(id);
    out.push(id);
  }
  return out;
}

const isOutcome = (value: unknown): value is WriteOutcome =>
  typeof value === 'object' && value !== null && 'status' in value;

/** The v1 scalar map of a `QuotaConfig` (`{"cpus": {"value": 1}}`). */
function scalarMap(values: Readonly<Record<string, number | undefined>> | undefined): Json {
  return Object.fromEntries(
    Object.entries(values ?? {})
      .filter((entry): entry is [string, number] => entry[1] !== undefined)
      .map(([name, value]) => [name, { value }]),
  );
}

function withList(out: Json, key: string, list: readonly unknown[]): Json {
  if (list.length > 0) out[key] = list;
  return out;
}

/**
 * Answers the call if it is one of these; `undefined` leaves it to the caller. `body` is the whole call.
 */
export async function answerOperatorCall(
  master: OperatorMaster,
  type: string,
  body: Json,
): Promise<CallReply | undefined> {
  const payload = (key: string) => body[key];
  const writes = master.writes;
  switch (type) {
    case 'GET_WEIGHTS':
      return {
        json: withList(
          {},
          'weight_infos',
          master.weights().map(({ role, weight }) => ({ weight, role })),
        ),
      };
    case 'GET_QUOTA': {
      const quotas = master.quotas();
      const status: Json = {};
      withList(
        status,
        'infos',
        quotas
          .filter((quota) => Object.keys(quota.guarantee ?? {}).length > 0)
          .map((quota) => ({
            role: quota.role,
            guarantee: Object.entries(quota.guarantee ?? {}).map(([name, value]) => ({
              name,
              type: 'SCALAR',
              scalar: { value },
            })),
          })),
      );
      withList(
        status,
        'configs',
        quotas.map((quota) => ({
          role: quota.role,
          guarantees: scalarMap(quota.guarantee),
          limits: scalarMap(quota.limit),
        })),
      );
      return { json: { status } };
    }
    case 'GET_MAINTENANCE_STATUS':
      return { json: { status: master.maintenance.status } };
    case 'GET_MAINTENANCE_SCHEDULE':
      return { json: { schedule: master.maintenance.schedule } };
    case 'GET_OPERATIONS':
      // Operator and framework operations (RESERVE through offers, volumes) are not recorded here.
      return { json: {} };
    case 'GET_LOGGING_LEVEL':
      // glog's verbosity: 0 unless raised with SET_LOGGING_LEVEL.
      return { json: { level: 0 } };
    case 'LIST_FILES': {
      const call = object(payload('list_files'));
      if (!call) return invalid("Expecting 'list_files' to be present");
      if (typeof call.path !== 'string') return unparsable('Missing required fields: list_files.path');
      const listed = await master.files.listV1(call.path);
      if ('status' in listed) return { status: listed.status, body: listed.message };
      return { json: withList({}, 'file_infos', listed) };
    }
    case 'READ_FILE': {
      const call = object(payload('read_file'));
      if (!call) return invalid("Expecting 'read_file' to be present");
      if (typeof call.path !== 'string') return unparsable('Missing required fields: read_file.path');
      const offset = call.offset;
      if (offset === undefined) return unparsable('Missing required fields: read_file.offset');
      if (!Number.isSafeInteger(offset) || (offset as number) < 0)
        return unparsable("Not expecting a negative or fractional number for field 'offset'");
      const length = call.length;
      if (length !== undefined && (!Number.isSafeInteger(length) || (length as number) < 0))
        return unparsable("Not expecting a negative or fractional number for field 'length'");
      const read = await master.files.readV1(call.path, offset as number, length as number | undefined);
      if ('status' in read) return { status: read.status, body: read.message };
      return { json: { size: read.size, data: read.data.toString('base64') } };
    }
  }

  if (!writes) return undefined;
  switch (type) {
    case 'TEARDOWN': {
      const call = object(payload('teardown'));
      if (!call) return invalid("Expecting 'teardown' to be present");
      const frameworkId = idValue(call.framework_id, 'teardown.framework_id');
      return isOutcome(frameworkId) ? frameworkId : writes.teardown(frameworkId);
    }
    case 'DRAIN_AGENT': {
      const call = object(payload('drain_agent'));
      if (!call) return invalid("Expecting 'drain_agent' to be present");
      const agentId = idValue(call.agent_id, 'drain_agent.agent_id');
      if (isOutcome(agentId)) return agentId;
      let maxGracePeriodSecs: number | undefined;
      if (call.max_grace_period !== undefined) {
        const { seconds = 0, nanos = 0 } = (object(call.max_grace_period) ?? {}) as {
          seconds?: unknown;
          nanos?: unknown;
        };
        if (typeof seconds !== 'number' || typeof nanos !== 'number')
          return unparsable("Not expecting a JSON string for field 'seconds'");
        maxGracePeriodSecs = seconds + nanos / 1e9;
        if (maxGracePeriodSecs < 0) return invalid('Expecting a non-negative max_grace_period');
      }
      return writes.drainAgent({ agentId, maxGracePeriodSecs, markGone: call.mark_gone === true });
    }
    case 'DEACTIVATE_AGENT':
    case 'REACTIVATE_AGENT': {
      const key = type.toLowerCase();
      const call = object(payload(key));
      if (!call) return invalid(`Expecting '${key}' to be present`);
      const agentId = idValue(call.agent_id, `${key}.agent_id`);
      if (isOutcome(agentId)) return agentId;
      return type === 'DEACTIVATE_AGENT' ? writes.deactivateAgent(agentId) : writes.reactivateAgent(agentId);
    }
    case 'UPDATE_MAINTENANCE_SCHEDULE': {
      const call = object(payload('update_maintenance_schedule'));
      if (!call) return invalid("Expecting 'update_maintenance_schedule' to be present");
      if (call.schedule === undefined)
        return unparsable('Missing required fields: update_maintenance_schedule.schedule');
      const windows = parseSchedule(call.schedule);
      if (typeof windows === 'string') return unparsable(windows);
      return writes.updateMaintenanceSchedule(windows);
    }
    case 'START_MAINTENANCE':
    case 'STOP_MAINTENANCE': {
      const key = type.toLowerCase();
      const call = object(payload(key));
      if (!call) return invalid(`Expecting '${key}' to be present`);
      const machines = machineList(call.machines, 'machines');
      if (isOutcome(machines)) return machines;
      return type === 'START_MAINTENANCE' ? writes.machinesDown(machines) : writes.machinesUp(machines);
    }
    case 'RESERVE_RESOURCES':
    case 'UNRESERVE_RESOURCES': {
      const key = type.toLowerCase();
      const call = object(payload(key));
      if (!call) return invalid(`Expecting '${key}' to be present`);
      const agentId = idValue(call.agent_id, `${key}.agent_id`);
      if (isOutcome(agentId)) return agentId;
      const resources = parseResourceList(call.resources ?? []);
      if (typeof resources === 'string') return unparsable(resources);
      return type === 'RESERVE_RESOURCES'
        ? writes.reserve(agentId, resources)
        : writes.unreserve(agentId, resources);
    }
  }
  return undefined;
}
