import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { request as upstreamRequest } from 'undici';
import type { Dispatcher } from 'undici';
import { sendError, statusForUpstream } from '../http-errors';
import type { ClusterPoller } from '../reading/cluster-poller';
import { agentAddress } from '../upstream/agent-address';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import type { LeaderAnswer } from '../upstream/leader-request';
import { answerOrRedirect, leaderRequest } from '../upstream/leader-request';
import type { MesosClient } from '../upstream/mesos-client';
import { origin } from '../upstream/mesos-client';
import { toUpstreamError } from '../upstream/upstream-error';
import { checkProxyPath } from './proxy-paths';

/** Response headers worth passing on; everything else (cookies, auth challenges, Location) stays upstream. */
const FORWARDED_HEADERS = ['content-type', 'content-length', 'content-disposition', 'last-modified', 'etag'];
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

interface ProxyDeps {
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  client: MesosClient;
}

/**
 * Read-only passthrough in DC/OS Admin Router style: `/mesos/<path>` goes to the leading master and
 * `/agent/<agentId>/<path>` to that agent. The agent's address comes only from the master's state; a client
 * can never name a host.
 */
export function registerProxyRoutes(app: FastifyInstance, deps: ProxyDeps): void {
  const readOnly = ['GET', 'HEAD'] as const;

  app.route({
    method: readOnly as unknown as ('GET' | 'HEAD')[],
    url: '/mesos/*',
    handler: async (request, reply) => {
      const check = checkProxyPath(rawRest(request, '/mesos/'), 'master');
      if (!check.ok) return sendError(reply, check.reason === 'URL too long' ? 414 : 400, check.reason);
      let leader: string;
      try {
        leader = await deps.discovery.find();
      } catch (error) {
        const upstream = toUpstreamError(error, 'the leading master');
        return sendError(reply, statusForUpstream(upstream), upstream.message);
      }
      return forward(request, reply, deps, leader, check.path + check.query, 'the leading master', true);
    },
  });

  app.route({
    method: readOnly as unknown as ('GET' | 'HEAD')[],
    url: '/agent/:agentId/*',
    handler: async (request, reply) => {
      const { agentId } = request.params as { agentId: string };
      if (!AGENT_ID.test(agentId)) return sendError(reply, 404, 'No agent found with that ID');
      const snapshot = deps.poller.snapshot;
      const agent = snapshot?.agentsById.get(agentId);
      if (!agent) return sendError(reply, 404, `No agent found with ID: ${agentId}`);
      let base: string;
      try {
        base = agentAddress(agent).base;
      } catch (error) {
        return sendError(reply, 502, (error as Error).message);
      }
      const check = checkProxyPath(rawRest(request, `/agent/${agentId}/`), 'agent');
      if (!check.ok) return sendError(reply, check.reason === 'URL too long' ? 414 : 400, check.reason);
      return forward(request, reply, deps, base, check.path + check.query, `agent ${agentId}`, false);
    },
  });

  // Before any body parsing, so a write of any content type gets the same clear answer.
  app.addHook('onRequest', async (request, reply) => {
    const url = request.raw.url ?? '';
    if (
      (url.startsWith('/mesos/') || url.startsWith('/agent/')) &&
      !readOnly.includes(request.method as 'GET')
    ) {
      return sendError(
        reply.header('allow', 'GET, HEAD'),
        405,
        'mesoscope is read-only: only GET and HEAD reach the cluster',
      );
    }
  });
}

function rawRest(request: FastifyRequest, prefix: string): string {
  const url = request.raw.url ?? '';
  return url.startsWith(prefix) ? url.slice(prefix.length) : '';
}

async function forward(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ProxyDeps,
  base: string,
  pathAndQuery: string,
  label: string,
  isMaster: boolean,
): Promise<FastifyReply> {
  const get = (target: string) =>
    upstreamRequest(target + pathAndQuery, {
      method: request.method === 'HEAD' ? 'HEAD' : 'GET',
      dispatcher: deps.client.dispatcher,
      headers: { accept: String(request.headers.accept ?? '*/*') },
    });
  // A standby master redirects to the leader: that is followed once, and only to a master mesoscope knows.
  const toLeader = async (target: string): Promise<LeaderAnswer<Dispatcher.ResponseData>> => {
    const response = await get(target);
    const answer = answerOrRedirect(response.statusCode, response.headers['location'], response);
    if ('redirect' in answer) await response.body.dump();
    return answer;
  };
  const namedBefore = deps.discovery.namedByWatch;
  try {
    const response = isMaster
      ? (await leaderRequest(deps.discovery, base, toLeader)).answer
      : await get(base);
    if (response.statusCode >= 300 && response.statusCode < 400) {
      await response.body.dump();
      return sendError(reply, 502, `${label} answered with a redirect mesoscope does not follow`);
    }
    for (const name of FORWARDED_HEADERS) {
      const value = response.headers[name];
      if (typeof value === 'string') reply.header(name, value);
    }
    // Cluster bytes must never run as HTML or script on mesoscope's origin.
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', "default-src 'none'; sandbox");
    if (pathAndQuery.startsWith('/files/download')) reply.header('content-type', 'application/octet-stream');
    if (response.statusCode >= 500) {
      await response.body.dump();
      return sendError(reply, 502, `${label} (${origin(base)}) answered HTTP ${response.statusCode}`);
    }
    return reply.code(response.statusCode).send(response.body);
  } catch (error) {
    const upstream = toUpstreamError(error, `${label} (${origin(base)})`);
    if (isMaster) deps.discovery.forget(namedBefore);
    return sendError(reply, statusForUpstream(upstream), upstream.message);
  }
}
