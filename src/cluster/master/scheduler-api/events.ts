/**
 * The scheduler API's events (scheduler.proto `Event`) as Mesos writes them in JSON: enum names, `{value}`
 * ids, `Resource` objects with `scalar`/`ranges`, RecordIO-framed. The JSON has no raw newline and every
 * non-ASCII character escaped, so a client that slices records by byte count reads the same as by character.
 */
import type { LocalAgent } from '../../agent/agent-node';
import type { OfferRecord, TaskRecord, TaskStatusJson } from '../model';
import { asciiJson, recordio } from '../../operator-api/operator-endpoint';
import { id, resourcesV1, taskStatusV1 } from '../../operator-api/v1-json';
import { subtractResources } from '../resources';

type Json = Record<string, unknown>;

/** One event, framed for the SUBSCRIBE stream. */
export function eventFrame(event: Json): Buffer {
  return recordio(asciiJson(event));
}

/** v1 `Offer`, with the agent's address and attributes as Mesos sends it to schedulers. */
export function schedulerOfferV1(offer: OfferRecord, agent: LocalAgent | undefined, scheme: string): Json {
  const reserved = offer.reserved;
  const unreserved = reserved ? subtractResources(offer.resources, reserved) : offer.resources;
  const resources = [
    ...resourcesV1(unreserved, { allocatedTo: offer.role }),
    ...(reserved ? resourcesV1(reserved, { role: offer.role, allocatedTo: offer.role }) : []),
  ];
  const hostname = agent?.hostname ?? '';
  const out: Json = {
    id: id(offer.id),
    framework_id: id(offer.frameworkId),
    agent_id: id(offer.agentId),
    hostname,
    url: {
      scheme,
      address: { hostname, ip: agent?.address ?? hostname, port: agent?.port ?? 0 },
      path: '/slave(1)',
    },
    resources,
    allocation_info: { role: offer.role },
  };
  const attributes = Object.entries(agent?.attributes ?? {}).map(([name, value]) =>
    typeof value === 'number'
      ? { name, type: 'SCALAR', scalar: { value } }
      : { name, type: 'TEXT', text: { value } },
  );
  if (attributes.length > 0) out.attributes = attributes;
  return out;
}

/** `UPDATE` of a recorded status (its `uuid` is what the framework acknowledges). */
export function updateEvent(task: TaskRecord, status: TaskStatusJson): Json {
  const index = task.statuses.indexOf(status);
  return { type: 'UPDATE', update: { status: taskStatusV1(task, status, index < 0 ? 0 : index) } };
}

/** A status the master makes up (reconciliation, invalid launches): no `uuid`, nothing to acknowledge. */
export interface MasterStatus {
  taskId: string;
  agentId?: string;
  executorId?: string;
  state: string;
  reason?: string;
  message?: string;
  healthy?: boolean;
  containerStatus?: unknown;
  timestamp?: number;
}

export function masterUpdateEvent(status: MasterStatus): Json {
  const out: Json = { task_id: id(status.taskId), state: status.state, source: 'SOURCE_MASTER' };
  if (status.reason) out.reason = status.reason;
  if (status.message) out.message = status.message;
  if (status.agentId) out.agent_id = id(status.agentId);
  if (status.executorId) out.executor_id = id(status.executorId);
  out.timestamp = status.timestamp ?? Date.now() / 1000;
  if (status.healthy !== undefined) out.healthy = status.healthy;
  if (status.containerStatus) out.container_status = status.containerStatus;
  return { type: 'UPDATE', update: { status: out } };
}

export function errorEvent(message: string): Json {
  return { type: 'ERROR', error: { message } };
}

export const HEARTBEAT_FRAME = eventFrame({ type: 'HEARTBEAT' });
