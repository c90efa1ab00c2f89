import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendError, sendBadRequest } from '../http-errors';
import type { ClusterPoller } from '../reading/cluster-poller';
import { taskIndex } from '../model/task-index';
import type { TaskDnsView } from '../schemas/views';
import type { MesosDnsClient } from '../upstream/mesos-dns-client';
import { taskDetailView } from '../views/task-detail-view';

const ParamsSchema = z.object({
  frameworkId: z.string().min(1).max(500),
  taskId: z.string().min(1).max(500),
});

const withoutDot = (name: string) => name.replace(/\.$/, '');

/**
 * A task's Mesos-DNS names and whether each resolves now, asked of the configured Mesos-DNS only: the names
 * the naming rules give, and the canonical ones (`task-<hash>-<agent>`) the server lists for this task.
 */
export function registerMesosDnsRoutes(
  app: FastifyInstance,
  poller: ClusterPoller,
  client: MesosDnsClient | null,
): void {
  app.get('/api/tasks/:frameworkId/:taskId/dns', async (request, reply) => {
    const parsed = ParamsSchema.safeParse(request.params);
    if (!parsed.success) return sendBadRequest(reply, 'Invalid framework or task ID');
    const { frameworkId, taskId } = parsed.data;
    const snapshot = poller.snapshot;
    if (!snapshot) return sendError(reply, 503, 'The cluster has not been read yet');
    if (!taskIndex(snapshot).find(frameworkId, taskId))
      return sendError(reply, 404, `No task '${taskId}' in framework '${frameworkId}'`);
    if (!client) return { configured: false } satisfies TaskDnsView;
    const dns = taskDetailView(snapshot, frameworkId, taskId)?.dns;
    const expected: { name: string; type: 'A' | 'SRV' }[] = dns
      ? [
          { name: dns.a, type: 'A' },
          { name: dns.agentA, type: 'A' },
          ...[...new Set(dns.srv.map((record) => record.name))].map((name) => ({
            name,
            type: 'SRV' as const,
          })),
        ]
      : [];
    try {
      const enumeration = await client.enumerate();
      const published = (enumeration.frameworks ?? [])
        .flatMap((framework) => framework.tasks ?? [])
        .filter((task) => task.id === taskId)
        .flatMap((task) => task.records ?? []);
      const known = new Set(expected.map((entry) => entry.name));
      for (const record of published) {
        const name = withoutDot(record.name);
        if (known.has(name) || (record.rtype !== 'A' && record.rtype !== 'SRV')) continue;
        known.add(name);
        expected.push({ name, type: record.rtype });
      }
      const names = await Promise.all(
        expected.slice(0, 50).map(async (entry) => ({
          ...entry,
          answers: entry.type === 'A' ? await client.hosts(entry.name) : await client.services(entry.name),
        })),
      );
      return { configured: true, server: client.baseUrl, names, error: null } satisfies TaskDnsView;
    } catch (error) {
      return {
        configured: true,
        server: client.baseUrl,
        names: expected.map((entry) => ({ ...entry, answers: [] })),
        error: `Mesos-DNS at ${client.baseUrl} could not be asked: ${(error as Error).message}`,
      } satisfies TaskDnsView;
    }
  });
}
