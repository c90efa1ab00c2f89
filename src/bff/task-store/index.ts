import type { FastifyInstance } from 'fastify';
import { registerHistoryTaskRoutes } from './history-task-routes';
import { TaskHistory } from './task-history';
import type { TaskHistoryOptions } from './task-history';

export { TaskHistory } from './task-history';
export type { TaskHistoryStatus } from './task-history';
export { TaskStoreError } from './store-error';

/** Opens the task history (not waiting for a store that cannot be opened yet), serves its API, closes with the app. */
export async function registerTaskHistory(
  app: FastifyInstance,
  options: TaskHistoryOptions,
): Promise<TaskHistory> {
  const history = new TaskHistory(options);
  await history.start();
  app.addHook('onClose', () => history.close());
  registerHistoryTaskRoutes(app, history);
  return history;
}
