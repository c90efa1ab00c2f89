import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendError, sendBadRequest, sendInvalidQuery } from '../http-errors';
import type { ClusterPoller } from '../reading/cluster-poller';
import { taskIndex } from '../model/task-index';
import type { ServeView } from './view-routes';
import { searchView } from '../views/search-view';
import { taskDetailView } from '../views/task-detail-view';
import { TASK_SORT_KEYS } from '../schemas/sort-keys';
import { taskFacetsView, taskPageView } from '../views/task-page-view';

const MAX_PAGE = 500;
const MAX_ID = 500;

const TaskQuerySchema = z.object({
  group: z.enum(['all', 'active', 'unreachable', 'completed']).default('active'),
  q: z.string().max(1_000).optional(),
  /** One state or a comma-separated list. */
  state: z
    .string()
    .max(1_000)
    .regex(/^[A-Za-z_,\s]*$/, 'expected task states such as TASK_RUNNING,TASK_FAILED')
    .optional(),
  framework: z.string().max(MAX_ID).optional(),
  agent: z.string().max(MAX_ID).optional(),
  role: z.string().max(MAX_ID).optional(),
  sort: z.enum(TASK_SORT_KEYS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
});

const SearchQuerySchema = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(200),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

const TaskParamsSchema = z.object({
  frameworkId: z.string().min(1).max(MAX_ID),
  taskId: z.string().min(1).max(MAX_ID),
});

/** The Tasks page, the task page and the header search, all answered from the indexed snapshot. */
export function registerTaskRoutes(app: FastifyInstance, poller: ClusterPoller, serve: ServeView): void {
  app.get('/api/tasks', (request, reply) => {
    const parsed = TaskQuerySchema.safeParse(request.query);
    if (!parsed.success) return sendInvalidQuery(reply, parsed.error);
    const { state, sort, ...query } = parsed.data;
    const states = state
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const key = `tasks?${JSON.stringify(parsed.data)}`;
    return serve(request, reply, key, (snapshot) => taskPageView(snapshot, { ...query, states, sort }));
  });

  app.get('/api/tasks/facets', (request, reply) => serve(request, reply, 'tasks/facets', taskFacetsView));

  app.get('/api/tasks/:frameworkId/:taskId', (request, reply) => {
    const parsed = TaskParamsSchema.safeParse(request.params);
    if (!parsed.success) return sendBadRequest(reply, 'Invalid framework or task ID');
    const { frameworkId, taskId } = parsed.data;
    // No await between this check and `serve`, so both see the same snapshot.
    const snapshot = poller.snapshot;
    if (snapshot && !taskIndex(snapshot).find(frameworkId, taskId)) {
      return sendError(reply, 404, `No task '${taskId}' in framework '${frameworkId}'`);
    }
    return serve(request, reply, `task?${JSON.stringify([frameworkId, taskId])}`, (current) =>
      taskDetailView(current, frameworkId, taskId),
    );
  });

  app.get('/api/search', (request, reply) => {
    const parsed = SearchQuerySchema.safeParse(request.query);
    if (!parsed.success) return sendInvalidQuery(reply, parsed.error);
    const { q, limit } = parsed.data;
    return serve(request, reply, `search?${JSON.stringify([q.toLowerCase(), limit])}`, (snapshot) =>
      searchView(snapshot, q, limit),
    );
  });
}
