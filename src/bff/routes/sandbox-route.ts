import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findExecutor, MesosParseError, taskSandboxDirectory } from '../../mesos';
import { sendBadRequest, sendError, statusForUpstream } from '../http-errors';
import type { AgentReadings } from '../reading/agent-readings';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { SandboxView } from '../schemas/views';
import { toUpstreamError } from '../upstream/upstream-error';

const SandboxQuerySchema = z.object({
  agent: z.string().min(1).max(500),
  framework: z.string().min(1).max(500),
  executor: z.string().min(1).max(500),
  task: z.string().min(1).max(500).optional(),
});

/**
 * Where a task's sandbox lives. The master's state does not carry executor directories, so this asks the agent
 * (as the Mesos UI's rerouter does), once for however many viewers ask at the same time.
 */
export function registerSandboxRoute(
  app: FastifyInstance,
  poller: ClusterPoller,
  agents: AgentReadings,
): void {
  app.get('/api/sandbox', async (request, reply) => {
    const parsed = SandboxQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      return sendBadRequest(
        reply,
        'Expecting agent, framework and executor (and optionally task) in the query',
      );
    }
    const { agent: agentId, framework: frameworkId, executor: executorId, task: taskId } = parsed.data;
    const agent = poller.snapshot?.agentsById.get(agentId);
    if (!agent) return sendError(reply, 404, `No agent found with ID: ${agentId}`);
    try {
      const state = await agents.state(agent);
      const executor = findExecutor(state, frameworkId, executorId);
      if (!executor) {
        return sendError(
          reply,
          404,
          `Executor ${executorId} of framework ${frameworkId} is not on agent ${agentId}`,
        );
      }
      const body: SandboxView = {
        agentId,
        agentHostname: agent.hostname,
        frameworkId,
        executorId,
        taskId: taskId ?? null,
        directory: taskId ? taskSandboxDirectory(executor, taskId) : executor.directory,
      };
      return reply.header('cache-control', 'no-store').send(body);
    } catch (error) {
      if (error instanceof MesosParseError)
        return sendError(reply, 502, `Agent ${agentId} sent a state mesoscope cannot read`);
      const upstream = toUpstreamError(error, `agent ${agentId}`);
      return sendError(reply, statusForUpstream(upstream), upstream.message);
    }
  });
}
