import type { TaskRecord } from './model';

/**
 * Terminal tasks whose terminal update their framework has not acknowledged yet, by framework and task id:
 * task ids are unique only within a framework, so one framework's leftovers never block another's launches.
 */
export class UnacknowledgedTasks {
  private readonly byFramework = new Map<string, Map<string, TaskRecord>>();

  add(task: TaskRecord): void {
    let tasks = this.byFramework.get(task.frameworkId);
    if (!tasks) this.byFramework.set(task.frameworkId, (tasks = new Map()));
    tasks.set(task.id, task);
  }

  remove(task: TaskRecord): void {
    const tasks = this.byFramework.get(task.frameworkId);
    tasks?.delete(task.id);
    if (tasks?.size === 0) this.byFramework.delete(task.frameworkId);
  }

  get(frameworkId: string, taskId: string): TaskRecord | undefined {
    return this.byFramework.get(frameworkId)?.get(taskId);
  }

  has(frameworkId: string, taskId: string): boolean {
    return this.get(frameworkId, taskId) !== undefined;
  }

  ofFramework(frameworkId: string): Iterable<TaskRecord> {
    return this.byFramework.get(frameworkId)?.values() ?? [];
  }

  /** A removed framework acknowledges nothing more. */
  dropFramework(frameworkId: string): void {
    this.byFramework.delete(frameworkId);
  }
}
