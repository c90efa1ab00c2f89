/**
 * `POST /api/v1` of a master, like Mesos 1.x (src/master/http.cpp `api`): JSON calls for the read-only
 * GET_* family, and `SUBSCRIBE`, a chunked stream of RecordIO-framed events that starts with `SUBSCRIBED`
 * (the whole state) and a `HEARTBEAT`, then carries every change and a heartbeat every interval.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { arrayPieces, objectPieces, textArrayPieces, valuePieces } from './json-pieces';
import { taskTextLater } from '../master/task-json';
import type { Pieces } from './json-pieces';
import type { MasterEvent } from './master-events';
import type { OperatorMaster } from './operator-master';
import { MASTER_CALL_TYPES, answerOperatorCall } from './operator-calls';
import { sendPieces, snapshotPieces, writeChunks, writeSnapshot } from './send-pieces';
import {
  agentV1,
  frameworkInfoV1,
  frameworkV1,
  getAgentsV1,
  getExecutorsV1,
  getFlagsV1,
  getFrameworksV1,
  getMasterV1,
  getMetricsV1,
  getRolesV1,
  getTasksV1,
  getVersionV1,
  id,
  offerIndex,
  taskStatusV1,
  taskV1,
} from './v1-json';

/** Mesos's `DEFAULT_HEARTBEAT_INTERVAL` (src/master/constants.hpp). */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 15;
/** Mesos's `--max_operator_event_stream_subscribers` default. */
export const DEFAULT_MAX_SUBSCRIBERS = 1000;
const MAX_CALL_BYTES = 1024 * 1024;

export interface OperatorApiOptions {
  heartbeatIntervalSeconds?: number;
  maxSubscribers?: number;
}

/** A running `/api/v1` endpoint: its request handler and its subscribers. */
export interface OperatorEndpoint {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Open SUBSCRIBE streams. */
  readonly subscribers: number;
  /** Ends every open stream (e.g. when the master stops). */
  closeAll(): void;
  /**
   * A hung master: while frozen, open streams get nothing (no heartbeats, no events) but stay open, and new
   * calls get a 503. Events that happen meanwhile are lost to the open streams, as they would be.
   */
  setFrozen(frozen: boolean): void;
}

/** {@link taskV1} as a document piece, made when written (a gigantic GET_STATE holds 660,000 tasks). */
const taskV1Text = taskTextLater('v1 task JSON length', taskV1);

/** GET_STATE as pieces: it can be hundreds of MB on a big cluster. */
export function getStatePieces(master: OperatorMaster): Pieces {
  const { offersOf, hostOf } = offerIndex(master);
  const frameworks = [...master.frameworks.values()];
  function* tasksOf(kind: 'tasks' | 'unreachable' | 'completed') {
    for (const framework of frameworks) {
      if (kind === 'tasks') yield* framework.tasks.values();
      else if (kind === 'unreachable') yield* framework.unreachableTasks;
      else yield* framework.completedTasks;
    }
    if (kind === 'completed')
      for (const framework of master.completedFrameworks) yield* framework.completedTasks;
  }
  return objectPieces([
    [
      'get_tasks',
      objectPieces([
        ['tasks', textArrayPieces(tasksOf('tasks'), taskV1Text)],
        ['unreachable_tasks', textArrayPieces(tasksOf('unreachable'), taskV1Text)],
        ['completed_tasks', textArrayPieces(tasksOf('completed'), taskV1Text)],
      ]),
    ],
    // Command executors are implicit: the master lists no executors for them.
    ['get_executors', valuePieces(getExecutorsV1(master))],
    [
      'get_frameworks',
      objectPieces([
        ['frameworks', arrayPieces(frameworks, (f) => frameworkV1(f, offersOf(f.id), hostOf))],
        ['completed_frameworks', arrayPieces(master.completedFrameworks, (f) => frameworkV1(f, [], hostOf))],
      ]),
    ],
    ['get_agents', objectPieces([['agents', arrayPieces(master.agentList(), (a) => agentV1(master, a))]])],
  ]);
}

/** The v1 JSON of one master event. */
export function eventV1(master: OperatorMaster, event: MasterEvent): Record<string, unknown> {
  switch (event.type) {
    case 'TASK_ADDED':
      return { type: event.type, task_added: { task: taskV1(event.task) } };
    case 'TASK_UPDATED': {
      const index = event.task.statuses.lastIndexOf(event.status);
      return {
        type: event.type,
        task_updated: {
          framework_id: id(event.task.frameworkId),
          status: taskStatusV1(event.task, event.status, index < 0 ? event.task.statuses.length : index),
          state: event.task.state,
        },
      };
    }
    case 'AGENT_ADDED':
      return { type: event.type, agent_added: { agent: agentV1(master, event.agent) } };
    case 'AGENT_REMOVED':
      return { type: event.type, agent_removed: { agent_id: id(event.agentId) } };
    case 'FRAMEWORK_ADDED':
      return {
        type: event.type,
        framework_added: { framework: frameworkV1(event.framework, [], () => '', true) },
      };
    case 'FRAMEWORK_UPDATED':
      return {
        type: event.type,
        framework_updated: { framework: frameworkV1(event.framework, [], () => '', true) },
      };
    case 'FRAMEWORK_REMOVED':
      return { type: event.type, framework_removed: { framework_info: frameworkInfoV1(event.framework) } };
  }
}

/** One RecordIO record: `<length in bytes>\n<json>`. */
export function recordio(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}\n`), body]);
}

/** JSON with every character above U+007E written as `\uXXXX`. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A plain-text reply, the way libprocess answers API errors. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** The media types of a `Content-Type` or `Accept` header, lower case, parameters dropped. */
export function mediaTypes(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '')
    .filter(Boolean);
}

/**
 * Refuses a v1 call whose body is not JSON, as Mesos's v1 handlers answer (400 without a `Content-Type`, 415 for
 * any other type); `protobufText` says why protobuf is refused here. True when it answered.
 */
export function refusedNonJsonCall(req: IncomingMessage, res: ServerResponse, protobufText: string): boolean {
  const contentType = mediaTypes(req.headers['content-type'])[0];
  if (contentType === 'application/json') return false;
  req.resume();
  if (!contentType) sendText(res, 400, "Expecting 'Content-Type' to be present");
  else {
    sendText(
      res,
      415,
      contentType === 'application/x-protobuf'
        ? protobufText
        : "Expecting 'Content-Type' of application/json or application/x-protobuf",
    );
  }
  return true;
}

/**
 * A call's body, or undefined when it is over `maxBytes` (the rest is read and dropped) or the request broke
 * off (then nothing can be answered anyway).
 */
export function readCallBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}

/** True when an `Accept` header allows JSON (no header allows everything). */
export function acceptsJson(accept: string | undefined): boolean {
  const types = mediaTypes(accept);
  return (
    types.length === 0 || types.some((t) => t === 'application/json' || t === 'application/*' || t === '*/*')
  );
}

/** Builds the `/api/v1` handler of a master. */
export function createOperatorEndpoint(
  master: OperatorMaster,
  options: OperatorApiOptions = {},
): OperatorEndpoint {
  const heartbeatSeconds = options.heartbeatIntervalSeconds ?? DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  const maxSubscribers = options.maxSubscribers ?? DEFAULT_MAX_SUBSCRIBERS;
  const streams = new Set<{ res: ServerResponse; send: (frame: Buffer) => void; close: () => void }>();
  // One listener for all streams: each event is rendered once, however many subscribers there are.
  let unsubscribe: (() => void) | null = null;
  let frozen = false;
  const fanOut = (event: MasterEvent) => {
    if (frozen) return;
    const frame = recordio(JSON.stringify(eventV1(master, event)));
    for (const stream of streams) stream.send(frame);
  };

  const calls: Record<string, () => Record<string, unknown>> = {
    GET_HEALTH: () => ({ healthy: true }),
    GET_VERSION: () => getVersionV1(),
    GET_FLAGS: () => getFlagsV1(master),
    GET_METRICS: () => getMetricsV1(master),
    GET_MASTER: () => getMasterV1(master),
    GET_AGENTS: () => getAgentsV1(master),
    GET_FRAMEWORKS: () => getFrameworksV1(master),
    GET_TASKS: () => getTasksV1(master),
    GET_EXECUTORS: () => getExecutorsV1(master),
    GET_ROLES: () => getRolesV1(master),
  };

  const respond = (req: IncomingMessage, res: ServerResponse, pieces: Pieces): void =>
    void sendPieces(req, res, pieces);

  const subscribe = (res: ServerResponse): void => {
    // A client that gave up while waiting must not cost a whole state rendering.
    if (res.destroyed || res.socket?.destroyed) return;
    if (streams.size >= maxSubscribers) {
      // Like Mesos: the oldest subscriber makes room for the new one.
      const oldest = streams.values().next().value;
      oldest?.close();
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    // The client learns the stream is open now; rendering SUBSCRIBED of a big cluster takes seconds.
    res.flushHeaders();
    // SUBSCRIBED is rendered synchronously and the listener is registered in the same tick, so every later
    // change arrives exactly once, after the snapshot: changes made while the snapshot is still being written
    // (a gigantic one takes seconds) wait behind it.
    const body = snapshotPieces(
      objectPieces([
        ['type', valuePieces('SUBSCRIBED')],
        [
          'subscribed',
          objectPieces([
            ['get_state', getStatePieces(master)],
            ['heartbeat_interval_seconds', valuePieces(heartbeatSeconds)],
          ]),
        ],
      ]),
    );
    const heartbeat = recordio('{"type":"HEARTBEAT"}');
    let waiting: Buffer[] | null = [];
    unsubscribe ??= master.events.subscribe(fanOut);
    const timer = setInterval(() => {
      if (!frozen) entry.send(heartbeat);
    }, heartbeatSeconds * 1000);
    timer.unref();
    const entry = {
      res,
      send: (frame: Buffer) => {
        if (waiting) waiting.push(frame);
        else res.write(frame);
      },
      close: () => {
        if (!streams.delete(entry)) return;
        clearInterval(timer);
        if (streams.size === 0) {
          unsubscribe?.();
          unsubscribe = null;
        }
        res.end();
      },
    };
    streams.add(entry);
    res.on('close', entry.close);
    void (async () => {
      const open =
        (await writeChunks(res, [Buffer.from(`${body.length}\n`)])) &&
        (await writeSnapshot(res, body)) &&
        (await writeChunks(res, [heartbeat]));

      const queued = waiting ?? [];
      waiting = null;
      if (open) for (const frame of queued) res.write(frame);
    })();
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (frozen) {
      sendText(res, 503, 'Master is unavailable');
      req.resume();
      return;
    }
    if (req.method !== 'POST') {
      sendText(res, 405, `Expecting a 'POST' request, received '${req.method}'`, { Allow: 'POST' });
      req.resume();
      return;
    }
    if (refusedNonJsonCall(req, res, 'This local cluster speaks the v1 API in JSON only')) return;
    if (!acceptsJson(req.headers['accept'])) {
      sendText(res, 406, `Expecting 'Accept' to allow application/json`);
      req.resume();
      return;
    }
    void readCallBody(req, MAX_CALL_BYTES).then((body) => {
      if (!body) return sendText(res, 413, 'Call too large');
      let call: unknown;
      try {
        call = JSON.parse(body.toString('utf8'));
      } catch (error) {
        return sendText(res, 400, `Failed to parse body into Call protobuf: ${(error as Error).message}`);
      }
      const type = typeof call === 'object' && call !== null ? (call as { type?: unknown }).type : undefined;
      if (typeof type !== 'string')
        return sendText(res, 400, "Failed to validate master::Call: Expecting 'type' to be present");
      if (type === 'SUBSCRIBE') return subscribe(res);
      if (type === 'GET_STATE') {
        return respond(
          req,
          res,
          objectPieces([
            ['type', valuePieces(type)],
            ['get_state', getStatePieces(master)],
          ]),
        );
      }
      const call_ = calls[type];
      const key = type.toLowerCase();
      if (call_) return respond(req, res, valuePieces({ type, [key]: call_() }));
      if (!MASTER_CALL_TYPES.has(type))
        return sendText(
          res,
          400,
          `Failed to parse body into Call protobuf: Failed to find enum for '${type}'`,
        );
      void answerOperatorCall(master, type, call as Record<string, unknown>).then(
        (reply) => {
          if (!reply) return sendText(res, 501, `The local cluster does not implement ${type}`);
          if ('json' in reply) return respond(req, res, valuePieces({ type, [key]: reply.json }));
          sendText(res, reply.status, reply.body ?? '');
        },
        (error: unknown) => sendText(res, 500, (error as Error).message),
      );
    });
  };

  return {
    handle,
    get subscribers() {
      return streams.size;
    },
    setFrozen: (value) => {
      frozen = value;
    },
    closeAll: () => {
      for (const stream of [...streams]) stream.close();
    },
  };
}
