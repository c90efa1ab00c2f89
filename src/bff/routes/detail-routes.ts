import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MaintenanceSchedule, MaintenanceStatus, RolesResponse } from '../../mesos';
import { MesosParseError, parseMaintenanceSchedule, parseMaintenanceStatus, parseRoles } from '../../mesos';
import { sendError, statusForUpstream } from '../http-errors';
import type { AgentReadings } from '../reading/agent-readings';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { Freshness } from '../schemas/detail-views';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import type { MesosClient } from '../upstream/mesos-client';
import { EndpointForms } from '../upstream/endpoint-forms';
import { answerOrRedirect, leaderRequest } from '../upstream/leader-request';
import { SharedReads } from '../upstream/shared-reads';
import type { SharedRead } from '../upstream/shared-reads';
import { toUpstreamError } from '../upstream/upstream-error';
import type { AgentSources } from '../views/agent-detail-view';
import { agentDetailView, agentFrameworkView, executorView } from '../views/agent-detail-view';
import { departedAgentView } from '../views/departed-agent-view';
import { frameworkDetailView } from '../views/framework-detail-view';
import { maintenanceView } from '../views/maintenance-view';
import { offersView } from '../views/offers-view';
import { rolesView } from '../views/roles-view';
import { sendView, viewOfContent } from '../view-sender';

interface DetailRouteDeps {
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  client: MesosClient;
  /** The agent reader every agent page shares. */
  agents: AgentReadings;
}

/** A master endpoint's answer, or `null` when this master has no such endpoint (an older Mesos). */
type Optional<T> = T | null;

const MIN_LEADER_READ_MS = 1_000;

/**
 * The framework, agent, agent-framework, executor, offers, roles and maintenance pages. Snapshot views come
 * from the regular poll; agent views read the agent (through the address the master gives for it) and roles
 * and maintenance read the leader, each at most once per interval however many browsers ask.
 */
export function registerDetailRoutes(app: FastifyInstance, deps: DetailRouteDeps): void {
  const { poller, agents } = deps;
  const leaderTtl = () => Math.max(MIN_LEADER_READ_MS, poller.intervalMs);
  const roles = new SharedReads<Optional<RolesResponse>>(leaderTtl, 1);
  const maintenance = new SharedReads<Optional<{ schedule: MaintenanceSchedule; status: MaintenanceStatus }>>(
    leaderTtl,
    1,
  );

  const forms = new EndpointForms();
  /** `path` of the leader (a standby's redirect followed, see leaderRequest); null when it has no such endpoint. */
  const fromLeader = async <T>(
    path: string,
    parse: (json: unknown) => T,
    { jsonForm }: { jsonForm: boolean },
  ): Promise<Optional<T>> => {
    const { client, discovery } = deps;
    const get = (target: string) =>
      jsonForm
        ? forms.read(target, path, (form) => client.getText(target, form))
        : client.getText(target, path);
    const { base, answer } = await leaderRequest(discovery, await discovery.find(), async (target) => {
      const read = await get(target);
      return answerOrRedirect(read.status, read.location, read);
    });
    return answer.status === 404 ? null : parse(client.jsonOf(base, path, answer));
  };

  app.get('/api/frameworks/:frameworkId', (request, reply) => {
    const { frameworkId } = request.params as { frameworkId: string };
    const snapshot = poller.snapshot;
    if (!snapshot) return noData(reply, poller);
    const view = frameworkDetailView(snapshot, frameworkId);
    if (!view) return sendError(reply, 404, `No framework found with ID: ${frameworkId}`);
    return sendView(request, reply, viewOfContent(view));
  });

  app.get('/api/offers', (request, reply) => {
    const snapshot = poller.snapshot;
    if (!snapshot) return noData(reply, poller);
    return sendView(request, reply, viewOfContent(offersView(snapshot)));
  });

  /** Reads the agent named in the URL; answers the error itself and returns null when there is nothing to show. */
  const agentSources = async (request: FastifyRequest, reply: FastifyReply): Promise<AgentSources | null> => {
    const { agentId } = request.params as { agentId: string };
    const snapshot = poller.snapshot;
    if (!snapshot) {
      noData(reply, poller);
      return null;
    }
    const agent = snapshot.agentsById.get(agentId);
    if (!agent) {
      sendError(reply, 404, `No agent found with ID: ${agentId}`);
      return null;
    }
    const read = await agents.read(agent);
    if (!read.value) {
      sendReadError(reply, read.error, `agent ${agentId}`);
      return null;
    }
    return { snapshot, agent, reading: read.value, freshness: freshnessOf(read, `agent ${agentId}`) };
  };

  app.get('/api/agents/:agentId', async (request, reply) => {
    const { agentId } = request.params as { agentId: string };
    const snapshot = poller.snapshot;
    const departed =
      snapshot && !snapshot.agentsById.has(agentId) ? departedAgentView(snapshot, agentId) : null;
    if (departed) return sendView(request, reply, viewOfContent(departed));
    const sources = await agentSources(request, reply);
    return sources ? sendView(request, reply, viewOfContent(agentDetailView(sources))) : reply;
  });

  app.get('/api/agents/:agentId/frameworks/:frameworkId', async (request, reply) => {
    const sources = await agentSources(request, reply);
    if (!sources) return reply;
    const { frameworkId } = request.params as { frameworkId: string };
    const view = agentFrameworkView(sources, frameworkId);
    if (!view) return sendError(reply, 404, `No framework found with ID: ${frameworkId}`);
    return sendView(request, reply, viewOfContent(view));
  });

  app.get('/api/agents/:agentId/frameworks/:frameworkId/executors/:executorId', async (request, reply) => {
    const sources = await agentSources(request, reply);
    if (!sources) return reply;
    const { frameworkId, executorId } = request.params as { frameworkId: string; executorId: string };
    const view = executorView(sources, frameworkId, executorId);
    if (!view) return sendError(reply, 404, `No executor found with ID: ${executorId}`);
    return sendView(request, reply, viewOfContent(view));
  });

  app.get('/api/roles', async (request, reply) => {
    const read = await roles.read('roles', () => fromLeader('/master/roles', parseRoles, { jsonForm: true }));
    if (read.value === undefined) return sendReadError(reply, read.error, 'the leading master');
    const freshness = freshnessOf(read, 'the leading master');
    const view = read.value
      ? rolesView(read.value, poller.snapshot, freshness)
      : { ...freshness, supported: false, allocatedIncludesOffered: false, roles: [] };
    return sendView(request, reply, viewOfContent(view));
  });

  app.get('/api/maintenance', async (request, reply) => {
    const read = await maintenance.read('maintenance', async () => {
      const [schedule, status] = await Promise.all([
        fromLeader('/master/maintenance/schedule', parseMaintenanceSchedule, { jsonForm: false }),
        fromLeader('/master/maintenance/status', parseMaintenanceStatus, { jsonForm: false }),
      ]);
      return schedule && status ? { schedule, status } : null;
    });
    if (read.value === undefined) return sendReadError(reply, read.error, 'the leading master');
    const freshness = freshnessOf(read, 'the leading master');
    const view = read.value
      ? maintenanceView(read.value.schedule, read.value.status, poller.snapshot, freshness)
      : { ...freshness, supported: false, windows: [], draining: [], down: [] };
    return sendView(request, reply, viewOfContent(view));
  });
}

function noData(reply: FastifyReply, poller: ClusterPoller): FastifyReply {
  const why = poller.status.lastError ?? 'the first poll is still running';
  return sendError(reply, 503, `No data from the cluster yet: ${why}`);
}

function describeReadError(error: unknown, source: string): string {
  if (error instanceof MesosParseError) return `${source} sent data mesoscope cannot read: ${error.message}`;
  return toUpstreamError(error, source).message;
}

function freshnessOf(read: SharedRead<unknown>, source: string): Freshness {
  return {
    fetchedAt: read.at,
    problem: read.error === undefined ? null : describeReadError(read.error, source),
  };
}

function sendReadError(reply: FastifyReply, error: unknown, source: string): FastifyReply {
  if (error instanceof MesosParseError) return sendError(reply, 502, describeReadError(error, source));
  const upstream = toUpstreamError(error, source);
  return sendError(reply, statusForUpstream(upstream), upstream.message);
}
