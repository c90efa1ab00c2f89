import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendBadRequest, sendError } from '../http-errors';
import { taskIndex } from '../model/task-index';
import type { ClusterPoller } from '../reading/cluster-poller';
import type { TaskJsonView } from '../schemas/views';
import type { TaskHistory } from '../task-store';
import type { LeaderDiscovery } from '../upstream/leader-discovery';
import { answerOrRedirect, leaderRequest } from '../upstream/leader-request';
import type { MesosClient } from '../upstream/mesos-client';
import { SharedReads } from '../upstream/shared-reads';
import { toUpstreamError } from '../upstream/upstream-error';

interface TaskJsonDeps {
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  client: MesosClient;
  taskHistory: TaskHistory;
}

const MAX_ID = 500;
const MIN_READ_MS = 1_000;
/** Tasks whose master answer is kept for the other viewers opening the same task meanwhile. */
const MAX_KEPT = 1_000;

const TaskParamsSchema = z.object({
  frameworkId: z.string().min(1).max(MAX_ID),
  taskId: z.string().min(1).max(MAX_ID),
});

/** What the master said: the task's JSON, or why it has none to give. */
type MasterAnswer = { task: Record<string, unknown> } | { missing: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The task of `/master/tasks`'s answer that is this one; a master that ignored the filters may list others. */
function taskOf(json: unknown, frameworkId: string, taskId: string): Record<string, unknown> | null {
  const tasks = isRecord(json) ? json['tasks'] : undefined;
  if (!Array.isArray(tasks)) return null;
  const found = tasks.find(
    (task): task is Record<string, unknown> =>
      isRecord(task) && task['id'] === taskId && task['framework_id'] === frameworkId,
  );
  return found ?? null;
}

/**
 * One task's full JSON, asked for when the task page's raw section is opened: mesoscope keeps every task in
 * a compact form (what the views need), so the rest is read from the leading master's `/master/tasks`
 * filtered to the task (`framework_id` and `task_id`, which Mesos 1.x masters understand). Only tasks of the
 * current snapshot are asked for, with the ids sent encoded, and the answer is used only if it holds that
 * task: a master that ignores the filters answers other tasks, and one that has forgotten the task answers
 * none. Then the task history's record of it answers, else the compact task, each saying where it came from.
 */
export function registerTaskJsonRoute(app: FastifyInstance, deps: TaskJsonDeps): void {
  const { poller, discovery, client, taskHistory } = deps;
  const reads = new SharedReads<MasterAnswer>(() => Math.max(MIN_READ_MS, poller.intervalMs), MAX_KEPT);

  const fromMaster = async (frameworkId: string, taskId: string): Promise<MasterAnswer> => {
    const path =
      `/master/tasks?framework_id=${encodeURIComponent(frameworkId)}` +
      `&task_id=${encodeURIComponent(taskId)}`;
    const { base, answer } = await leaderRequest(discovery, await discovery.find(), async (target) => {
      const read = await client.getText(target, path);
      return answerOrRedirect(read.status, read.location, read);
    });
    if (answer.status === 404) return { missing: 'the leading master has no /master/tasks endpoint' };
    const task = taskOf(client.jsonOf(base, '/master/tasks', answer), frameworkId, taskId);
    return task
      ? { task }
      : {
          missing:
            'the leading master did not list this task (it may have forgotten it, or be too old to filter by task)',
        };
  };

  const fromHistory = async (
    frameworkId: string,
    taskId: string,
  ): Promise<Record<string, unknown> | null> => {
    const { store, clusterKey } = taskHistory;
    if (!store || !clusterKey) return null;
    try {
      const stored = await store.getTask(clusterKey, frameworkId, taskId);
      if (!stored) return null;
      const { key: _key, ...task } = stored as typeof stored & { key?: number };
      return task;
    } catch {
      return null;
    }
  };

  app.get('/api/tasks/:frameworkId/:taskId/json', async (request, reply) => {
    const parsed = TaskParamsSchema.safeParse(request.params);
    if (!parsed.success) return sendBadRequest(reply, 'Invalid framework or task ID');
    const { frameworkId, taskId } = parsed.data;
    const snapshot = poller.snapshot;
    if (!snapshot) {
      const why = poller.status.lastError ?? 'the first poll is still running';
      return sendError(reply, 503, `No data from the cluster yet: ${why}`);
    }
    const entry = taskIndex(snapshot).find(frameworkId, taskId);
    if (!entry) return sendError(reply, 404, `No task '${taskId}' in framework '${frameworkId}'`);
    const compact = entry.task as unknown as Record<string, unknown>;

    const read = await reads.read(JSON.stringify([frameworkId, taskId]), () =>
      fromMaster(frameworkId, taskId),
    );
    const answer = read.error === undefined ? read.value : undefined;
    let view: TaskJsonView;
    if (answer && 'task' in answer) {
      view = { source: 'master', task: answer.task, problem: null };
    } else {
      const problem = answer
        ? answer.missing
        : `the leading master could not say: ${toUpstreamError(read.error, 'the leading master').message}`;
      const stored = await fromHistory(frameworkId, taskId);
      view = stored
        ? { source: 'history', task: stored, problem }
        : { source: 'mesoscope', task: compact, problem };
    }
    return reply.header('cache-control', 'no-store').send(view);
  });
}
