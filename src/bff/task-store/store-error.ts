/** The task store cannot be used as configured: its message names the file or server and what is wrong. */
export class TaskStoreError extends Error {
  override name = 'TaskStoreError';
}
