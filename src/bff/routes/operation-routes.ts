/**
 * `POST /api/operations/<action>`: the only route that changes the cluster, registered only with
 * `--allow-operations` (so 404 otherwise), and `GET /api/audit`. The browser never talks to Mesos: the BFF sends
 * the v1 operator call to the leader with mesoscope's credentials. A write is only taken from a signed-in
 * operator, from mesoscope's own pages: its Origin (or `Sec-Fetch-Site: same-origin`) must be this host, and
 * it must carry `X-Mesoscope-Operation: 1`, which a cross-site form cannot send.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEntry, AuditLog } from '../audit-log';
import { sendError, statusForUpstream } from '../http-errors';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import type { MesosClient } from '../upstream/mesos-client';
import { sendOperatorWrite } from '../upstream/operator-writes';
import { toUpstreamError } from '../upstream/upstream-error';
import { isOperationName, planOperation, withWindow } from './operation-actions';

const OPERATION_HEADER = 'x-mesoscope-operation';
const PREFIX = '/api/operations/';
/** An operation's body is a few ids; anything larger is not one. */
const BODY_LIMIT = 16 * 1024;

/** `--allow-operations` and `--operators`: null operators means every signed-in user may operate. */
export interface OperationsConfig {
  operators: readonly string[] | null;
}

interface OperationRouteDeps {
  client: MesosClient;
  discovery: LeaderDiscovery;
  operations: OperationsConfig;
  audit: AuditLog;
}

/** Whether `user` may operate; false for nobody signed in. */
export function mayOperate(operations: OperationsConfig | null | undefined, user: string | null): boolean {
  if (!operations || user === null) return false;
  return operations.operators === null || operations.operators.includes(user);
}

export function registerOperationRoutes(app: FastifyInstance, deps: OperationRouteDeps): void {
  const { audit } = deps;
  const entry = (
    request: FastifyRequest,
    action: string,
    rest: Omit<AuditEntry, 'at' | 'user' | 'action' | 'requestId'>,
  ): AuditEntry => ({
    at: new Date().toISOString(),
    user: request.user,
    action: action.slice(0, 64),
    ...rest,
    requestId: request.id,
  });

  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    status: number,
    message: string,
    target: string | null = null,
  ) => {
    await audit.record(entry(request, action, { target, outcome: 'refused', status, message }));
    return sendError(reply, status, message);
  };

  // Access control answers 401 before any route runs: that refusal is written down here.
  app.addHook('onResponse', async (request, reply) => {
    const url = (request.raw.url ?? '').split('?')[0]!;
    if (request.method !== 'POST' || !url.startsWith(PREFIX) || reply.statusCode !== 401) return;
    if (request.user !== null) return;
    await audit.record(
      entry(request, url.slice(PREFIX.length), {
        target: null,
        outcome: 'refused',
        status: 401,
        message: 'not signed in',
      }),
    );
  });

  app.post<{ Params: { action: string } }>(
    `${PREFIX}:action`,
    {
      bodyLimit: BODY_LIMIT,
      // Before the body is read: a cross-site form post is refused as such, whatever its content type.
      onRequest: async (request, reply) => {
        reply.header('cache-control', 'no-store');
        const action = request.params.action;
        if (request.user === null)
          return refuse(request, reply, action, 401, 'Sign in to operate the cluster');
        const crossSite = crossSiteReason(request);
        if (crossSite) return refuse(request, reply, action, 403, crossSite);
        if (!mayOperate(deps.operations, request.user)) {
          return refuse(
            request,
            reply,
            action,
            403,
            `${request.user} is not one of the operators (--operators)`,
          );
        }
        return undefined;
      },
    },
    async (request, reply) => {
      const action = request.params.action;
      if (!isOperationName(action))
        return refuse(request, reply, action, 400, `No such operation: ${action}`);
      const plan = planOperation(action, request.body);
      if ('error' in plan) return refuse(request, reply, action, 400, plan.error);

      try {
        let call = plan.call;
        if (plan.scheduleWindow) {
          const current = await sendOperatorWrite(deps.client, deps.discovery, {
            type: 'GET_MAINTENANCE_SCHEDULE',
          });
          if (current.status < 200 || current.status >= 300) {
            return await failed(request, reply, action, plan.target, current.status, current.text);
          }
          call = withWindow(JSON.parse(current.text || '{}'), plan.scheduleWindow);
        }
        const answer = await sendOperatorWrite(deps.client, deps.discovery, call);
        if (answer.status < 200 || answer.status >= 300) {
          return await failed(request, reply, action, plan.target, answer.status, answer.text);
        }
        const message = `${call.type} accepted (HTTP ${answer.status})`;
        await audit.record(
          entry(request, action, {
            target: plan.target,
            outcome: 'done',
            status: 200,
            message,
            masterStatus: answer.status,
          }),
        );
        request.log.info({ user: request.user, action, target: plan.target }, 'operation done');
        return reply.send({ action, target: plan.target, message });
      } catch (error) {
        const upstream = toUpstreamError(error, 'the leading master');
        const status = statusForUpstream(upstream);
        await audit.record(
          entry(request, action, {
            target: plan.target,
            outcome: 'failed',
            status,
            message: upstream.message,
          }),
        );
        return sendError(reply, status, upstream.message);
      }
    },
  );

  async function failed(
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    target: string,
    masterStatus: number,
    text: string,
  ): Promise<FastifyReply> {
    const message = `The master refused ${action} on ${target}: HTTP ${masterStatus}${text ? `: ${text}` : ''}`;
    await audit.record(
      entry(request, action, { target, outcome: 'failed', status: 502, message, masterStatus }),
    );
    return sendError(reply, 502, message);
  }

  app.get('/api/audit', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.send({ entries: await audit.recent() });
  });
}

/** Why a write is refused as cross-site, or null when it comes from mesoscope's own pages. */
function crossSiteReason(request: FastifyRequest): string | null {
  if (request.headers[OPERATION_HEADER] !== '1') {
    return `Operations are sent by mesoscope's pages only (the ${OPERATION_HEADER} header is missing)`;
  }
  const host = request.headers.host;
  const originHeader = request.headers.origin;
  if (typeof originHeader === 'string' && originHeader !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(originHeader).host;
    } catch {
      return `Operations from another site are refused (Origin ${originHeader.slice(0, 200)})`;
    }
    return originHost === host
      ? null
      : `Operations from another site are refused (Origin ${originHeader.slice(0, 200)})`;
  }
  if (request.headers['sec-fetch-site'] === 'same-origin') return null;
  return 'Operations need an Origin header naming this host (or Sec-Fetch-Site: same-origin)';
}
