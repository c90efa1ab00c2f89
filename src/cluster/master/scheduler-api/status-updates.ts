/**
 * Reliable status updates, as Mesos's status update manager delivers them: per task, updates queue in order
 * and only the oldest unacknowledged one is outstanding; it is resent with exponential backoff (10 s doubling
 * up to 10 min) until the framework acknowledges its `uuid`, and then the next one goes out.
 */
import type { TaskRecord, TaskStatusJson } from '../model';
import { TERMINAL_STATES } from '../model';
import { eventFrame, updateEvent } from './events';

/** `STATUS_UPDATE_RETRY_INTERVAL_MIN` and `_MAX` (src/slave/constants.hpp). */
export const STATUS_UPDATE_RETRY_MIN_MS = 10_000;
export const STATUS_UPDATE_RETRY_MAX_MS = 600_000;

interface PendingUpdate {
  task: TaskRecord;
  status: TaskStatusJson;
  uuid: string;
  frame: Buffer;
}

interface TaskStream {
  frameworkId: string;
  updates: PendingUpdate[];
  timer?: NodeJS.Timeout;
  backoffMs: number;
}

export interface StatusUpdateOptions {
  retryMinMs?: number;
  retryMaxMs?: number;
}

export class StatusUpdateManager {
  private readonly streams = new Map<string, TaskStream>();
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  /** How many updates went out again for want of an acknowledgement. */
  retries = 0;

  constructor(
    /** Writes a frame to the framework's stream; false when it has none right now. */
    private readonly send: (frameworkId: string, frame: Buffer) => boolean,
    /** Called once a terminal update is acknowledged. */
    private readonly onTerminalAcknowledged: (task: TaskRecord) => void,
    options: StatusUpdateOptions = {},
  ) {
    this.retryMinMs = options.retryMinMs ?? STATUS_UPDATE_RETRY_MIN_MS;
    this.retryMaxMs = options.retryMaxMs ?? STATUS_UPDATE_RETRY_MAX_MS;
  }

  /** Queues a recorded status for the task's framework; sends it now when nothing is outstanding. */
  enqueue(task: TaskRecord, status: TaskStatusJson): void {
    const event = updateEvent(task, status);
    const uuid = String((event.update as { status: { uuid: string } }).status.uuid);
    let stream = this.streams.get(task.id);
    if (!stream) {
      stream = { frameworkId: task.frameworkId, updates: [], backoffMs: this.retryMinMs };
      this.streams.set(task.id, stream);
    }
    stream.updates.push({ task, status, uuid, frame: eventFrame(event) });
    if (stream.updates.length === 1) this.forward(task.id, stream);
  }

  /**
   * ACKNOWLEDGE: true when `uuid` is the task's outstanding update (which is then done), false when it
   * names nothing outstanding (a duplicate or stale acknowledgement, ignored as Mesos does).
   */
  acknowledge(frameworkId: string, taskId: string, uuid: string): boolean {
    const stream = this.streams.get(taskId);
    const head = stream?.updates[0];
    if (!stream || !head || stream.frameworkId !== frameworkId || head.uuid !== uuid) return false;
    stream.updates.shift();
    if (stream.timer) clearTimeout(stream.timer);
    stream.timer = undefined;
    stream.backoffMs = this.retryMinMs;
    if (TERMINAL_STATES.has(head.status.state)) this.onTerminalAcknowledged(head.task);
    if (stream.updates.length > 0) this.forward(taskId, stream);
    else this.streams.delete(taskId);
    return true;
  }

  /** A framework (re)subscribed: its outstanding updates go out now. */
  resend(frameworkId: string): void {
    for (const [taskId, stream] of this.streams) {
      if (stream.frameworkId !== frameworkId) continue;
      if (stream.timer) clearTimeout(stream.timer);
      stream.backoffMs = this.retryMinMs;
      this.forward(taskId, stream);
    }
  }

  /** The framework is gone: nothing more is delivered to it. */
  drop(frameworkId: string): void {
    for (const [taskId, stream] of this.streams) {
      if (stream.frameworkId !== frameworkId) continue;
      if (stream.timer) clearTimeout(stream.timer);
      this.streams.delete(taskId);
    }
  }

  /** Updates not yet acknowledged, by task. */
  pending(frameworkId?: string): number {
    let count = 0;
    for (const stream of this.streams.values())
      if (!frameworkId || stream.frameworkId === frameworkId) count += stream.updates.length;
    return count;
  }

  close(): void {
    for (const stream of this.streams.values()) if (stream.timer) clearTimeout(stream.timer);
    this.streams.clear();
  }

  private forward(taskId: string, stream: TaskStream): void {
    const head = stream.updates[0];
    if (!head) return;
    this.send(stream.frameworkId, head.frame);
    const delay = stream.backoffMs;
    stream.timer = setTimeout(() => {
      stream.timer = undefined;
      if (this.streams.get(taskId) !== stream || stream.updates[0] !== head) return;
      this.retries++;
      stream.backoffMs = Math.min(stream.backoffMs * 2, this.retryMaxMs);
      this.forward(taskId, stream);
    }, delay);
    stream.timer.unref();
  }
}
