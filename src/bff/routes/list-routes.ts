import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendInvalidQuery } from '../http-errors';
import { agentsPageView, agentsView } from '../views/agents-view';
import { frameworksPageView, frameworksView } from '../views/frameworks-view';
import type { ServeView } from './view-routes';

const MAX_PAGE = 500;

const ListQuerySchema = z.object({
  q: z.string().max(1_000).optional(),
  sort: z
    .string()
    .regex(/^[A-Za-z]{1,40}$/)
    .optional(),
  order: z.enum(['asc', 'desc']).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
});

const AgentsQuerySchema = ListQuerySchema.extend({
  state: z.string().max(200).optional(),
});

const FrameworksQuerySchema = ListQuerySchema.extend({
  group: z.enum(['active', 'inactive', 'completed']).default('active'),
});

const PAGING = ['q', 'sort', 'order', 'offset', 'limit', 'group', 'state'];

/**
 * `/api/agents` and `/api/frameworks`: with paging parameters, one page filtered and sorted on the server (what
 * the Agents and Frameworks pages poll, so a 10,000-agent cluster costs a browser one page); without, the
 * whole list, as small pickers and older callers expect.
 */
export function registerListRoutes(app: FastifyInstance, serve: ServeView): void {
  app.get('/api/agents', (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    if (!PAGING.some((name) => name in raw)) return serve(request, reply, 'agents', agentsView);
    const parsed = AgentsQuerySchema.safeParse(raw);
    if (!parsed.success) return sendInvalidQuery(reply, parsed.error);
    const query = parsed.data;
    return serve(request, reply, `agents?${JSON.stringify(query)}`, (snapshot) =>
      agentsPageView(snapshot, query),
    );
  });

  app.get('/api/frameworks', (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    if (!PAGING.some((name) => name in raw)) return serve(request, reply, 'frameworks', frameworksView);
    const parsed = FrameworksQuerySchema.safeParse(raw);
    if (!parsed.success) return sendInvalidQuery(reply, parsed.error);
    const { group, ...query } = parsed.data;
    return serve(request, reply, `frameworks?${group}&${JSON.stringify(query)}`, (snapshot) =>
      frameworksPageView(snapshot, group, query),
    );
  });
}
