import type { MarathonStatusView } from '../../../bff/schemas/marathon';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/**
 * Marathon's task ids: the app id with `/` as `_` (`prod_web`), a dot, then a UUID (`prod_web.<uuid>`, before
 * 1.4) or an instance id and incarnation (`prod_web.instance-<uuid>._app.1`). App id segments never hold `_`.
 */
const TASK_ID = new RegExp(`^([a-z0-9][a-z0-9._-]*?)\\.(?:instance-)?${UUID}(?:\\._app\\.\\d+)?$`, 'i');

/** The app id a Marathon task id names (`prod_web.<uuid>` → `/prod/web`), or null when it is not one. */
export function appIdOfTaskId(taskId: string): string | null {
  const match = TASK_ID.exec(taskId);
  return match ? `/${match[1]!.replaceAll('_', '/')}` : null;
}

/** The Marathon app a Mesos task belongs to: the task is of a known Marathon's framework, and its id says which app. */
export function marathonAppOfTask(
  task: { id: string; frameworkId: string },
  marathons: readonly Pick<MarathonStatusView, 'key' | 'frameworkId'>[] | undefined,
): { marathon: string; appId: string } | null {
  const marathon = marathons?.find((candidate) => candidate.frameworkId === task.frameworkId);
  if (!marathon) return null;
  const appId = appIdOfTaskId(task.id);
  return appId ? { marathon: marathon.key, appId } : null;
}
