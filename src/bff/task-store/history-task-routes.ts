import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { sendError } from '../http-errors';
import type { TaskHistory } from './task-history';
import type { FailureCount, FailureGroupBy, StoredStatus, StoredTask } from './types';

const DAY = 86_400_000;
/** The widest range a query may ask for; retention keeps less than this anyway. */
const MAX_RANGE = 400 * DAY;
const MAX_Q = 200;
const MAX_FILTER = 500;

/** A time as ms since the epoch or an ISO 8601 date. */
const time = z.string().transform((text, context) => {
  const value = /^\d{1,15}$/.test(text)
    ? Number(text)
    : /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)
      ? Date.parse(text)
      : NaN;
  if (!Number.isFinite(value)) {
    context.addIssue({
      code: 'custom',
      message: `must be a time in ms since the epoch or ISO 8601, got '${text.slice(0, 40)}'`,
    });
    return z.NEVER;
  }
  return value;
});

const filter = (what: string) =>
  z.string().max(MAX_FILTER, `must be at most ${MAX_FILTER} characters (${what})`).optional();

const RangeSchema = z.object({ from: time.optional(), to: time.optional() });

const TaskListSchema = RangeSchema.extend({
  state: z
    .string()
    .regex(/^(TASK_)?[A-Z_]{1,40}$/, 'must be a task state such as TASK_FAILED')
    .transform((state) => (state.startsWith('TASK_') ? state : `TASK_${state}`))
    .optional(),
  framework: filter('a framework id or name'),
  agent: filter('an agent id or host name'),
  app: filter('an app'),
  reason: filter('a reason such as REASON_COMMAND_EXECUTOR_FAILED'),
  q: z.string().max(MAX_Q, `must be at most ${MAX_Q} characters`).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the `next` of the previous page')
    .transform(Number)
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number from 1 to 500')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, 'must be a whole number from 1 to 500')
    .optional(),
});

const FailuresSchema = RangeSchema.extend({
  groupBy: z
    .string()
    .regex(
      /^(app|framework|reason|message|agent|attribute:[A-Za-z0-9_.-]{1,64})$/,
      'must be app, framework, reason, message, agent or attribute:<name> (e.g. attribute:rack)',
    )
    .optional(),
});

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parse<T>(schema: z.ZodType<T>, query: unknown): Parsed<T> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const name = issue.path.length > 0 ? String(issue.path[0]) : 'query';
  return { ok: false, message: `Invalid query parameter '${name}': ${issue.message}` };
}

/** from/to with their defaults (the last `defaultSpan` up to now) and bounds. */
function rangeOf(
  value: { from?: number; to?: number },
  now: number,
  defaultSpan: number,
): { ok: true; from: number; to: number } | { ok: false; message: string } {
  const to = value.to ?? now;
  const from = value.from ?? to - defaultSpan;
  if (to > now + DAY) return { ok: false, message: `Invalid range: 'to' is more than a day in the future` };
  if (from < 0) return { ok: false, message: `Invalid range: 'from' is before 1970` };
  if (from > to) return { ok: false, message: `Invalid range: 'from' is after 'to'` };
  if (to - from > MAX_RANGE) return { ok: false, message: `Invalid range: at most 400 days at once` };
  return { ok: true, from, to };
}

/** A failure group, said for people: whether it is new since yesterday or getting worse, and its tasks' filter. */
export interface FailureGroupView extends FailureCount {
  label: string;
  newSinceYesterday: boolean;
  gettingWorse: boolean;
  /** The task list's query parameters that list this group's tasks. */
  filter: Record<string, string>;
}

/**
 * The task history's API: tasks in a time range (server-paged), one task with every status, failures
 * grouped, agents' recent failures and timelines, and an NDJSON export. Everything comes from the store,
 * so it answers for tasks the master forgot long ago.
 */
export function registerHistoryTaskRoutes(
  app: FastifyInstance,
  history: TaskHistory,
  now: () => number = Date.now,
): void {
  const unavailable = (reply: FastifyReply) =>
    sendError(
      reply,
      503,
      history.enabled
        ? `The task history is not available: ${history.status.error ?? 'it is being opened'}`
        : 'The task history is off (--task-store off)',
    );

  app.get('/api/history/tasks', async (request, reply) => {
    const parsed = parse(TaskListSchema, request.query);
    if (!parsed.ok) return sendError(reply, 400, parsed.message);
    const range = rangeOf(parsed.value, now(), DAY);
    if (!range.ok) return sendError(reply, 400, range.message);
    const { store, clusterKey } = history;
    if (!store) return unavailable(reply);
    const { from: _from, to: _to, limit, ...filters } = parsed.value;
    const page = clusterKey
      ? await store.listTasks(clusterKey, { ...filters, from: range.from, to: range.to, limit: limit ?? 100 })
      : { tasks: [], next: null };
    return reply.header('cache-control', 'no-store').send({
      from: range.from,
      to: range.to,
      tasks: page.tasks.map(({ key: _key, ...task }) => task),
      next: page.next === null ? null : String(page.next),
    });
  });

  app.get<{ Params: { frameworkId: string; taskId: string } }>(
    '/api/history/tasks/:frameworkId/:taskId',
    async (request, reply) => {
      const { store, clusterKey } = history;
      if (!store) return unavailable(reply);
      const { frameworkId, taskId } = request.params;
      const task = clusterKey ? await store.getTask(clusterKey, frameworkId, taskId) : null;
      if (!task) {
        return sendError(reply, 404, `No task '${taskId}' of framework '${frameworkId}' in the task history`);
      }
      const { key: _key, ...rest } = task as typeof task & { key?: number };
      return reply.header('cache-control', 'no-store').send(rest);
    },
  );

  app.get('/api/history/failures', async (request, reply) => {
    const parsed = parse(FailuresSchema, request.query);
    if (!parsed.ok) return sendError(reply, 400, parsed.message);
    const range = rangeOf(parsed.value, now(), 7 * DAY);
    if (!range.ok) return sendError(reply, 400, range.message);
    const { store, clusterKey } = history;
    if (!store) return unavailable(reply);
    const groupBy = parsed.value.groupBy ?? 'app';
    const attribute = groupBy.startsWith('attribute:') ? groupBy.slice('attribute:'.length) : null;
    const storeGroup: FailureGroupBy = attribute ? 'agent' : (groupBy as FailureGroupBy);
    let counts = clusterKey ? await store.failures(clusterKey, { ...range, groupBy: storeGroup }) : [];
    let agents: Map<string, { host: string; attributes: Record<string, unknown> }> | null = null;
    if (attribute && clusterKey) {
      agents = await store.agentAttributes(clusterKey);
      counts = byAttribute(counts, agents, attribute);
    }
    const spansTwoDays = range.to - range.from > DAY;
    const groups: FailureGroupView[] = counts.map((group) => ({
      ...group,
      label:
        group.key === '' ? '(none)' : groupBy === 'framework' && group.example ? group.example : group.key,
      newSinceYesterday: spansTwoDays && group.count === group.last24h,
      gettingWorse: group.previous24h > 0 && group.last24h > group.previous24h,
      filter: filterOf(storeGroup, attribute, group),
    }));
    return reply
      .header('cache-control', 'no-store')
      .send({ from: range.from, to: range.to, groupBy, groups });
  });

  app.get('/api/history/agents/failures', async (_request, reply) => {
    const { store, clusterKey } = history;
    if (!store) return unavailable(reply);
    const to = now();
    const counts = clusterKey
      ? await store.failures(clusterKey, { from: to - DAY, to, groupBy: 'agent' })
      : [];
    return reply
      .header('cache-control', 'no-store')
      .send({ from: to - DAY, to, agents: Object.fromEntries(counts.map((c) => [c.key, c.count])) });
  });

  app.get<{ Params: { agentId: string } }>(
    '/api/history/agents/:agentId/timeline',
    async (request, reply) => {
      const parsed = parse(RangeSchema, request.query);
      if (!parsed.ok) return sendError(reply, 400, parsed.message);
      const range = rangeOf(parsed.value, now(), DAY);
      if (!range.ok) return sendError(reply, 400, range.message);
      const { store, clusterKey } = history;
      if (!store) return unavailable(reply);
      const limit = 1_000;
      const tasks = clusterKey
        ? await store.agentTimeline(clusterKey, request.params.agentId, { ...range, limit: limit + 1 })
        : [];
      return reply.header('cache-control', 'no-store').send({
        from: range.from,
        to: range.to,
        truncated: tasks.length > limit,
        tasks: tasks.slice(0, limit).map(({ key: _key, ...task }: StoredTask & { key?: number }) => task),
      });
    },
  );

  app.get('/api/history/export', async (request, reply) => {
    const parsed = parse(RangeSchema, request.query);
    if (!parsed.ok) return sendError(reply, 400, parsed.message);
    const range = rangeOf(parsed.value, now(), DAY);
    if (!range.ok) return sendError(reply, 400, range.message);
    const { store, clusterKey } = history;
    if (!store) return unavailable(reply);
    const { from, to } = range;
    async function* lines(): AsyncGenerator<string> {
      if (!clusterKey || !store) return;
      let after = 0;
      for (;;) {
        const page = await store.exportTasks(clusterKey, { from, to, after, limit: 1_000 });
        if (page.length === 0) return;
        let chunk = '';
        for (const { key: _key, ...task } of page) {
          chunk += `${JSON.stringify(task satisfies StoredTask & { statuses: StoredStatus[] })}\n`;
        }
        yield chunk;
        after = page.at(-1)!.key;
      }
    }
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="tasks-${range.from}-${range.to}.ndjson"`)
      .type('application/x-ndjson; charset=utf-8')
      .send(Readable.from(lines()));
  });
}

function byAttribute(
  counts: readonly FailureCount[],
  agents: ReadonlyMap<string, { host: string; attributes: Record<string, unknown> }>,
  attribute: string,
): FailureCount[] {
  const merged = new Map<string, FailureCount>();
  for (const group of counts) {
    const value = agents.get(group.key)?.attributes[attribute];
    const key = value === undefined || value === null ? '' : String(value);
    const into = merged.get(key);
    if (!into) {
      merged.set(key, { ...group, key, example: null });
      continue;
    }
    into.count += group.count;
    into.last24h += group.last24h;
    into.previous24h += group.previous24h;
    into.firstAt = Math.min(into.firstAt, group.firstAt);
    into.lastAt = Math.max(into.lastAt, group.lastAt);
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

/** The task list's filter for a group: a message group by its words before the first changing part. */
function filterOf(
  groupBy: FailureGroupBy,
  attribute: string | null,
  group: FailureCount,
): Record<string, string> {
  if (attribute) return {};
  switch (groupBy) {
    case 'app':
      return { app: group.key };
    case 'framework':
      return { framework: group.key };
    case 'reason':
      return { reason: group.key };
    case 'agent':
      return { agent: group.key };
    case 'message':
      return { q: group.key.split('<')[0]!.trim().slice(0, MAX_Q) };
  }
}
