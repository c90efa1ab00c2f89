/**
 * `POST /api/v1/scheduler` (and `/master/api/v1/scheduler`), answering as `Master::Http::scheduler` does
 * (src/master/http.cpp): the same checks in the same order, the same statuses and messages. JSON only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  acceptsJson,
  readCallBody,
  refusedNonJsonCall,
  sendText,
} from '../../operator-api/operator-endpoint';
import type { SchedulerMaster } from './scheduler-master';
import { suppressedRolesOf } from './scheduler-master';
import type { ClusterCore } from '../cluster-core';
import { idValue, isObject } from './task-validation';
import type { V1Json } from '../../agent/launch-contract';

/** Bodies past this size are refused unread (413); anything smaller is parsed, as Mesos would. */
export const MAX_CALL_BYTES = 16 * 1024 * 1024;

/** scheduler.proto `Call.Type`. */
const CALL_TYPES = new Set([
  'UNKNOWN',
  'SUBSCRIBE',
  'TEARDOWN',
  'ACCEPT',
  'DECLINE',
  'ACCEPT_INVERSE_OFFERS',
  'DECLINE_INVERSE_OFFERS',
  'REVIVE',
  'KILL',
  'SHUTDOWN',
  'ACKNOWLEDGE',
  'ACKNOWLEDGE_OPERATION_STATUS',
  'RECONCILE',
  'RECONCILE_OPERATIONS',
  'MESSAGE',
  'REQUEST',
  'SUPPRESS',
  'UPDATE_FRAMEWORK',
]);

/** The message field each call type must carry (`validation::scheduler::call::validate`). */
const REQUIRED_FIELD: Record<string, string> = {
  SUBSCRIBE: 'subscribe',
  ACCEPT: 'accept',
  DECLINE: 'decline',
  ACCEPT_INVERSE_OFFERS: 'accept_inverse_offers',
  DECLINE_INVERSE_OFFERS: 'decline_inverse_offers',
  KILL: 'kill',
  SHUTDOWN: 'shutdown',
  ACKNOWLEDGE: 'acknowledge',
  ACKNOWLEDGE_OPERATION_STATUS: 'acknowledge_operation_status',
  RECONCILE: 'reconcile',
  RECONCILE_OPERATIONS: 'reconcile_operations',
  MESSAGE: 'message',
  REQUEST: 'request',
  UPDATE_FRAMEWORK: 'update_framework',
};

/** Fields that are `{value}` ids wherever they appear in a call. */
const ID_FIELDS = new Set([
  'framework_id',
  'agent_id',
  'slave_id',
  'task_id',
  'executor_id',
  'offer_id',
  'id',
]);

/** Builds the handler. */
export function createSchedulerEndpoint(
  core: ClusterCore,
  scheduler: SchedulerMaster,
): (req: IncomingMessage, res: ServerResponse) => void {
  const bad = (res: ServerResponse, text: string) => sendText(res, 400, text);

  const onCall = (req: IncomingMessage, res: ServerResponse, call: V1Json): void => {
    const type = call.type;
    if (type === undefined || type === null) {
      return bad(res, "Failed to validate scheduler::Call: Expecting 'type' to be present");
    }
    if (typeof type !== 'string' || !CALL_TYPES.has(type)) {
      return bad(res, `Failed to convert JSON into Call protobuf: Failed to find enum for '${String(type)}'`);
    }
    const shapeError = idShapeError(call, '');
    if (shapeError) return bad(res, `Failed to convert JSON into Call protobuf: ${shapeError}`);
    const required = REQUIRED_FIELD[type];
    if (required && !isObject(call[required])) {
      return bad(res, `Failed to validate scheduler::Call: Expecting '${required}' to be present`);
    }
    const frameworkId = idValue(call.framework_id);
    if (type === 'SUBSCRIBE') {
      const subscribe = call.subscribe as V1Json;
      const info = subscribe.framework_info;
      if (!isObject(info)) {
        return bad(
          res,
          'Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info',
        );
      }
      const missing = ['user', 'name'].filter((key) => typeof info[key] !== 'string');
      if (missing.length > 0) {
        return bad(
          res,
          `Failed to convert JSON into Call protobuf: Missing required fields: ${missing.map((k) => `subscribe.framework_info.${k}`).join(', ')}`,
        );
      }
      if (frameworkId !== idValue(info.id)) {
        return bad(
          res,
          "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'",
        );
      }
      if (req.headers['mesos-stream-id'] !== undefined) {
        return bad(res, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      }
      if (!acceptsJson(req.headers.accept)) {
        return sendText(res, 406, "Expecting 'Accept' to allow application/json");
      }
      scheduler.subscribe(res, info, suppressedRolesOf(subscribe.suppressed_roles));
      return;
    }
    if (frameworkId === undefined) {
      return bad(res, "Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
    }
    if (type === 'ACKNOWLEDGE') {
      const uuid = (call.acknowledge as V1Json).uuid;
      if (typeof uuid !== 'string' || Buffer.from(uuid, 'base64').length !== 16) {
        return bad(res, 'Failed to validate scheduler::Call: Not a valid UUID');
      }
    }
    if (type === 'UPDATE_FRAMEWORK') {
      const info = (call.update_framework as V1Json).framework_info;
      if (!isObject(info) || typeof info.user !== 'string' || typeof info.name !== 'string') {
        return bad(
          res,
          'Failed to convert JSON into Call protobuf: Missing required fields: update_framework.framework_info',
        );
      }
      if (idValue(info.id) !== frameworkId) {
        return bad(
          res,
          "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'",
        );
      }
    }
    const framework = core.frameworks.get(frameworkId);
    if (!framework) return bad(res, 'Framework cannot be found');
    if (!framework.active) return sendText(res, 403, 'Framework is not subscribed');
    const streamId = scheduler.streamIdOf(frameworkId);
    if (streamId === undefined) return sendText(res, 403, 'Framework is not connected via HTTP');
    const given = req.headers['mesos-stream-id'];
    if (given === undefined) {
      return bad(res, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    }
    if (given !== streamId) {
      return bad(
        res,
        `The stream ID '${String(given)}' included in this request didn't match the stream ID currently associated with framework ID ${frameworkId}`,
      );
    }
    if (type === 'UNKNOWN') return sendText(res, 501, '');
    const answer = scheduler.call(framework, type, call);
    res.writeHead(answer.status, { 'Content-Length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  };

  return (req, res) => {
    if (req.method !== 'POST') {
      req.resume();
      return sendText(res, 405, `Expecting a 'POST' request, received '${req.method ?? ''}'`, {
        Allow: 'POST',
      });
    }
    if (
      refusedNonJsonCall(
        req,
        res,
        'This local cluster speaks the scheduler API in JSON only (application/json)',
      )
    ) {
      return;
    }
    void readCallBody(req, MAX_CALL_BYTES).then((body) => {
      if (!body) return sendText(res, 413, 'Request Entity Too Large');
      let call: unknown;
      try {
        call = JSON.parse(body.toString('utf8'));
      } catch (error) {
        return bad(res, `Failed to parse body into JSON: ${(error as Error).message}`);
      }
      if (!isObject(call))
        return bad(res, 'Failed to convert JSON into Call protobuf: Expecting a JSON object');
      try {
        onCall(req, res, call);
      } catch (error) {
        if (!res.headersSent) sendText(res, 500, `${(error as Error).message}`);
        else res.destroy();
      }
    });
  };
}

/** An id field that is not `{value: string}` is a JSON that does not convert to the Call protobuf. */
function idShapeError(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const error = idShapeError(item, `${path}[${i}]`);
      if (error) return error;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  for (const [key, field] of Object.entries(value)) {
    const where = path ? `${path}.${key}` : key;
    if (ID_FIELDS.has(key) && field !== null && field !== undefined && key !== 'id') {
      if (!isObject(field) || typeof field.value !== 'string')
        return `Not expecting a JSON ${jsonKind(field)} for field '${where}'`;
      continue;
    }
    if (typeof field === 'object' && field !== null) {
      const error = idShapeError(field, where);
      if (error) return error;
    }
  }
  return undefined;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (isObject(value)) return 'object without a string value';
  return typeof value;
}
