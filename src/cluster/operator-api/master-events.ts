import type { FrameworkRecord, TaskRecord, TaskStatusJson } from '../master/model';
import type { OperatorAgent } from './operator-master';

/** What a master tells its operator API subscribers (include/mesos/v1/master/master.proto `Event`). */
export type MasterEvent =
  | { type: 'TASK_ADDED'; task: TaskRecord }
  | { type: 'TASK_UPDATED'; task: TaskRecord; status: TaskStatusJson }
  | { type: 'AGENT_ADDED'; agent: OperatorAgent }
  | { type: 'AGENT_REMOVED'; agentId: string }
  | { type: 'FRAMEWORK_ADDED' | 'FRAMEWORK_UPDATED'; framework: FrameworkRecord }
  | { type: 'FRAMEWORK_REMOVED'; framework: FrameworkRecord };

export type MasterEventListener = (event: MasterEvent) => void;

/**
 * Synchronous fan-out of master events: listeners run inside `emit`, so a listener that registers right after
 * writing a snapshot sees every later change exactly once.
 */
export class MasterEventBus {
  private readonly listeners = new Set<MasterEventListener>();

  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: MasterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: MasterEvent): void {
    if (this.listeners.size === 0) return;
    for (const listener of this.listeners) listener(event);
  }
}
