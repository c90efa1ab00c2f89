import type { TaskRecord } from '../master/model';
import type { StatusReporter, TaskRunner } from './task-runner';

/**
 * Runs tasks without processes, for the scale scenarios: the states a command executor would report, through
 * the same master model. {@link start} and {@link kill} act at once; {@link stage} and {@link requestKill} act
 * over the next {@link step}s, as tasks do on a busy cluster (STAGING, then STARTING, then RUNNING; KILLING,
 * then KILLED).
 */
export class SimulatedRunner<Task extends TaskRecord = TaskRecord> implements TaskRunner<Task> {
  /** Tasks staged since the last step (STARTING at the next one) and started at the last one (RUNNING next). */
  private staging: Task[] = [];
  private starting: Task[] = [];
  private killing: Task[] = [];

  constructor(private readonly report: StatusReporter<Task>) {}

  /** A simulated task runs as long as it is live. */
  running(): boolean {
    return true;
  }

  async start(task: Task): Promise<void> {
    this.report(task, 'TASK_STARTING', {});
    this.report(task, 'TASK_RUNNING', {});
  }

  async kill(task: Task): Promise<void> {
    this.report(task, 'TASK_KILLED', { message: 'Command terminated with signal Terminated' });
  }

  /** Starts the task over the next two steps. */
  stage(task: Task): void {
    this.staging.push(task);
  }

  /** TASK_KILLING now, TASK_KILLED at the next step. */
  requestKill(task: Task): void {
    this.report(task, 'TASK_KILLING', { source: 'SOURCE_EXECUTOR' });
    this.killing.push(task);
  }

  /** Moves every staged, starting and killing task one state on (tasks that ended meanwhile stay as they are). */
  step(): void {
    for (const task of this.killing) {
      this.report(task, 'TASK_KILLED', { message: 'Command terminated with signal Terminated' });
    }
    this.killing = [];
    const nowStarting = this.staging.filter((task) => task.state === 'TASK_STAGING');
    const nowRunning = this.starting.filter((task) => task.state === 'TASK_STARTING');
    for (const task of nowRunning) this.report(task, 'TASK_RUNNING', {});
    for (const task of nowStarting) this.report(task, 'TASK_STARTING', {});
    this.starting = nowStarting;
    this.staging = [];
  }

  async shutdown(): Promise<void> {
    this.staging = [];
    this.starting = [];
    this.killing = [];
  }

  killAllNow(): void {}
}
