/**
 * `POST /api/v1/executor` of an agent (src/slave/http.cpp `Http::executor`): JSON calls only. SUBSCRIBE opens
 * a chunked RecordIO stream of events; UPDATE, MESSAGE and HEARTBEAT answer 202. Errors carry the status
 * codes and texts a Mesos agent answers with.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalAgent } from './agent-node';
import type { V1Json } from './launch-contract';
import type { TaskState } from '../master/model';
import { asciiJson, mediaTypes, readCallBody, refusedNonJsonCall } from '../operator-api/operator-endpoint';
import { asObject, idValue } from './executor-info';
import type { AgentExecutors, ExecutorConnection } from './executors';

/** A call bigger than this is refused (libprocess has no limit; a local agent needs one). */
const MAX_CALL_BYTES = 4 * 1024 * 1024;

const CALL_TYPES = new Set(['SUBSCRIBE', 'UPDATE', 'MESSAGE', 'HEARTBEAT']);

const TASK_STATES: ReadonlySet<string> = new Set<TaskState>([
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/** One RecordIO record: `<byte length>\n<json>`, the JSON kept to ASCII (some clients slice by bytes). */
export function recordioFrame(event: unknown): string {
  const json = asciiJson(event);
  return `${json.length}\n${json}`;
}

function reply(res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...(body && { 'Content-Type': 'text/plain; charset=utf-8' }),
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Checks a parsed call as `validateExecutorCall` does; returns the error text, or undefined if valid. */
function validate(call: V1Json): { status: number; text: string } | undefined {
  const missing: string[] = [];
  if (!asObject(call.executor_id) || typeof asObject(call.executor_id)?.value !== 'string')
    missing.push('executor_id');
  if (!asObject(call.framework_id) || typeof asObject(call.framework_id)?.value !== 'string')
    missing.push('framework_id');
  const update = asObject(call.update);
  const status = asObject(update?.status);
  if (update && !status) missing.push('update.status');
  if (status && typeof asObject(status.task_id)?.value !== 'string') missing.push('update.status.task_id');
  if (status && status.state === undefined) missing.push('update.status.state');
  if (missing.length > 0) {
    return {
      status: 400,
      text: `Failed to convert JSON into Call protobuf: Missing required fields: ${missing.join(', ')}`,
    };
  }
  if (status && (typeof status.state !== 'string' || !TASK_STATES.has(status.state))) {
    return {
      status: 400,
      text: `Failed to convert JSON into Call protobuf: Failed to find enum for '${String(status.state)}'`,
    };
  }
  const type = typeof call.type === 'string' && CALL_TYPES.has(call.type) ? call.type : undefined;
  const invalid = (text: string) => ({ status: 400, text: `Failed to validate Executor::Call: ${text}` });
  if (!type) return invalid("Expecting 'type' to be present");
  if (type === 'UPDATE') {
    if (!status) return invalid("Expecting 'update' to be present");
    if (status.uuid === undefined) return invalid("Expecting 'uuid' to be present");
    if (!validUuid(status.uuid)) return invalid('Not a valid UUID');
    const executorId = idValue(call.executor_id);
    if (status.executor_id !== undefined && idValue(status.executor_id) !== executorId) {
      return invalid(
        `ExecutorID in Call: ${executorId} does not match ExecutorID in TaskStatus: ${idValue(status.executor_id)}`,
      );
    }
    const from = `from executor ${executorId} of framework ${idValue(call.framework_id)}`;
    if (status.source !== 'SOURCE_EXECUTOR') {
      return invalid(`Received Call ${from} with invalid source, expecting 'SOURCE_EXECUTOR'`);
    }
    if (status.state === 'TASK_STAGING') return invalid(`Received TASK_STAGING ${from} which is not allowed`);
  }
  if (type === 'MESSAGE' && typeof asObject(call.message)?.data !== 'string') {
    return invalid("Expecting 'message' to be present");
  }
  return undefined;
}

/** 16 bytes of base64 holding a UUID of a known version, as `UUID::fromBytes` wants. */
function validUuid(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  const version = (bytes[6] ?? 0) >> 4;
  return bytes.length === 16 && version >= 1 && version <= 5;
}

/** Builds the `/api/v1/executor` handler of one agent. */
export function createExecutorApi(
  executors: AgentExecutors,
  agent: LocalAgent,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (req.method !== 'POST') {
      req.resume();
      return reply(
        res,
        405,
        `405 Method Not Allowed. Expecting one of { 'POST' }, but received '${req.method}'.`,
        { Allow: 'POST' },
      );
    }
    if (refusedNonJsonCall(req, res, 'This local agent speaks the executor API in JSON only')) return;
    const body = await readCallBody(req, MAX_CALL_BYTES);
    if (!body) return reply(res, 413, 'Call too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return reply(res, 400, `Failed to parse body into JSON: ${(error as Error).message}`);
    }
    const call = asObject(parsed);
    if (!call) return reply(res, 400, 'Failed to convert JSON into Call protobuf: Expecting a JSON object');
    if (call.type === 'SUBSCRIBE' && call.subscribe === undefined) {
      // A Mesos agent refuses this ("Expecting 'subscribe' to be present"); some executor libraries send no
      // `subscribe` at all, and it only lists what a reconnecting executor did not hear acknowledged.
      agent.log.log(
        'W',
        'http.cpp:784',
        "SUBSCRIBE call without 'subscribe': taken as an empty one (a Mesos agent answers 400)",
      );
      call.subscribe = {};
    }
    const invalid = validate(call);
    if (invalid) return reply(res, invalid.status, invalid.text);
    const type = call.type as string;
    if (type === 'SUBSCRIBE') {
      const accept = mediaTypes(req.headers.accept);
      if (
        accept.length > 0 &&
        !accept.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*')
      ) {
        return reply(res, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
      }
    } else if (type === 'HEARTBEAT') {
      return reply(res, 202);
    }
    const frameworkId = idValue(call.framework_id);
    const executorId = idValue(call.executor_id);
    if (!executors.hasFramework(agent.id, frameworkId)) return reply(res, 400, 'Framework cannot be found');
    const executor = executors.find(agent.id, frameworkId, executorId);
    if (!executor) return reply(res, 400, 'Executor cannot be found');
    if (executor.state === 'REGISTERING' && type !== 'SUBSCRIBE') {
      return reply(res, 403, 'Executor is not subscribed');
    }
    if (type === 'UPDATE') {
      executors.update(executor, asObject(asObject(call.update)?.status) ?? {});
      return reply(res, 202);
    }
    if (type === 'MESSAGE') {
      executors.message(executor, String(asObject(call.message)?.data ?? ''));
      return reply(res, 202);
    }
    // SUBSCRIBE: one HTTP chunk per event, so that clients reading a chunk as a record keep working.
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    res.socket?.setKeepAlive(true);
    res.socket?.setTimeout(0);
    const connection: ExecutorConnection = {
      send: (event) => {
        if (!res.writableEnded && !res.destroyed) res.write(recordioFrame(event));
      },
      close: () => {
        if (!res.writableEnded) res.end();
      },
    };
    res.on('close', () => executors.disconnected(executor, connection));
    const subscribe = asObject(call.subscribe);
    executors.subscribe(executor, connection);
    for (const item of Array.isArray(subscribe?.unacknowledged_updates)
      ? subscribe.unacknowledged_updates
      : []) {
      const status = asObject(asObject(item)?.status);
      if (status && typeof asObject(status.task_id)?.value === 'string') executors.update(executor, status);
    }
  };
}
