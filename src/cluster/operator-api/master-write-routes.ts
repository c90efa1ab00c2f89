/**
 * The master's v0 write endpoints, as src/master/http.cpp reads them: POST only (405 naming POST otherwise),
 * form-encoded `frameworkId=` and `slaveId=&resources=<JSON>` bodies, JSON machine lists and schedules.
 * `/master/maintenance/schedule` also answers GET with the schedule.
 */
import { anyMethodRoute, jsonResult, textResult } from '../http/http-server';
import type { RouteHandler, RouteRequest, RouteResult } from '../http/http-server';
import { parseMachineList, parseSchedule } from '../master/maintenance-modes';
import type { MasterWrites, WriteOutcome } from './master-writes';
import { decodeForm, parseJson, parseResourceList } from './write-parsing';

/** libprocess's `MethodNotAllowed` body and `Allow` header. */
export function methodNotAllowed(allowed: string[], method: string): RouteResult {
  return {
    kind: 'text',
    status: 405,
    body: `405 Method Not Allowed. Expecting one of { '${allowed.join("', '")}' }, but received '${method}'.`,
    headers: { Allow: allowed.join(', ') },
  };
}

function outcome(result: WriteOutcome): RouteResult {
  return textResult(result.status, result.body ?? '');
}

type FormFields = Map<string, string>;

/** A POST endpoint with a form body. */
function formRoute(handle: (fields: FormFields) => Promise<WriteOutcome> | WriteOutcome): RouteHandler {
  return anyMethodRoute(async (_url, request) => {
    if (request.method !== 'POST') return methodNotAllowed(['POST'], request.method);
    const fields = decodeForm(await request.body());
    if ('error' in fields) return textResult(400, `Unable to decode query string: ${fields.error}`);
    return outcome(await handle(fields as FormFields));
  });
}

/** A POST endpoint whose body is a JSON document. */
async function jsonBody(request: RouteRequest): Promise<{ value: unknown } | RouteResult> {
  const parsed = parseJson(await request.body());
  if ('error' in parsed) return textResult(400, parsed.error);
  return parsed;
}

/** `/master/reserve` and `/master/unreserve`: `slaveId` and `resources`, a JSON array of `Resource`. */
function resourcesRoute(
  apply: (
    agentId: string,
    resources: Exclude<ReturnType<typeof parseResourceList>, string>,
  ) => ReturnType<MasterWrites['reserve']>,
  errorPrefix: string,
): RouteHandler {
  return formRoute((fields) => {
    const slaveId = fields.get('slaveId');
    if (slaveId === undefined)
      return { status: 400, body: "Missing 'slaveId' query parameter in the request body" };
    const raw = fields.get('resources');
    if (raw === undefined)
      return { status: 400, body: "Missing 'resources' query parameter in the request body" };
    const json = parseJson(raw);
    if ('error' in json) return { status: 400, body: `${errorPrefix}: ${json.error}` };
    if (!Array.isArray(json.value))
      return { status: 400, body: `${errorPrefix}: Unexpected JSON type parsed` };
    const resources = parseResourceList(json.value);
    if (typeof resources === 'string') return { status: 400, body: `${errorPrefix}: ${resources}` };
    return apply(slaveId, resources);
  });
}

/** The write endpoints, by path (each also without the `/master` prefix, like every master endpoint). */
export function masterWriteRoutes(writes: MasterWrites, schedule: () => unknown): Map<string, RouteHandler> {
  const routes = new Map<string, RouteHandler>();
  const add = (name: string, handler: RouteHandler) => {
    routes.set(`/master/${name}`, handler);
    routes.set(`/${name}`, handler);
  };

  add(
    'teardown',
    formRoute((fields) => {
      const frameworkId = fields.get('frameworkId');
      if (frameworkId === undefined)
        return { status: 400, body: "Missing 'frameworkId' query parameter in the request body" };
      return writes.teardown(frameworkId);
    }),
  );

  const machines = (
    apply: (list: Parameters<MasterWrites['machinesDown']>[0]) => ReturnType<MasterWrites['machinesDown']>,
  ) =>
    anyMethodRoute(async (_url, request) => {
      if (request.method !== 'POST') return methodNotAllowed(['POST'], request.method);
      const body = await jsonBody(request);
      if (!('value' in body)) return body;
      if (!Array.isArray(body.value)) return textResult(400, 'Unexpected JSON type parsed');
      const list = parseMachineList(body.value);
      if (typeof list === 'string') return textResult(400, list);
      return outcome(await apply(list));
    });
  add(
    'machine/down',
    machines((list) => writes.machinesDown(list)),
  );
  add(
    'machine/up',
    machines((list) => writes.machinesUp(list)),
  );

  add(
    'maintenance/schedule',
    anyMethodRoute(async (_url, request) => {
      if (request.method === 'GET' || request.method === 'HEAD') return jsonResult(schedule());
      if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'], request.method);
      const body = await jsonBody(request);
      if (!('value' in body)) return body;
      if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value))
        return textResult(400, 'Unexpected JSON type parsed');
      const windows = parseSchedule(body.value);
      if (typeof windows === 'string') return textResult(400, windows);
      return outcome(await writes.updateMaintenanceSchedule(windows));
    }),
  );

  add(
    'reserve',
    resourcesRoute(
      (agentId, resources) => writes.reserve(agentId, resources),
      "Error parsing 'resources' query parameter in the request body",
    ),
  );
  add(
    'unreserve',
    resourcesRoute(
      (agentId, resources) => writes.unreserve(agentId, resources),
      "Error in parsing 'resources' query parameter in the request body",
    ),
  );
  return routes;
}
