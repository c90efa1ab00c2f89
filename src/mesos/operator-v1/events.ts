/**
 * Events of the v1 operator API `SUBSCRIBE` stream (include/mesos/v1/master/master.proto `Event`), decoded
 * into v0-shaped payloads.
 *
 * TASK_UPDATED follows the protobuf and `createTaskUpdated` (src/common/protobuf_utils.cpp):
 * `{framework_id, status: TaskStatus, state}`; the example in docs/operator-http-api.md, with top-level
 * `task_id`/`agent_id`/`executor_id` and no `status`, is wrong, but is read too rather than dropped.
 */
import type { Agent, Framework, Task, TaskStatus } from '../master-state';
import { MesosParseError } from '../parse';
import { v1AgentToV0, v1FrameworkToV0, v1StatusToV0, v1TaskToV0 } from './entities';
import type { JsonObject } from './json';
import { idValue, isObject, num, obj, requireId, str } from './json';

export type OperatorEvent =
  | { type: 'SUBSCRIBED'; getState: JsonObject; heartbeatIntervalSeconds: number | null }
  | { type: 'HEARTBEAT' }
  | { type: 'TASK_ADDED'; task: Task }
  | {
      type: 'TASK_UPDATED';
      frameworkId: string;
      taskId: string;
      agentId: string | null;
      executorId: string | null;
      /** The task's latest state (may differ from `status.state` while updates are being acknowledged). */
      state: string;
      status: TaskStatus;
    }
  | { type: 'AGENT_ADDED'; agent: Agent }
  | { type: 'AGENT_REMOVED'; agentId: string }
  | { type: 'FRAMEWORK_ADDED' | 'FRAMEWORK_UPDATED'; framework: Framework }
  | { type: 'FRAMEWORK_REMOVED'; frameworkId: string }
  | { type: 'UNKNOWN'; name: string };

/** Decodes one parsed event record; throws `MesosParseError` for an event that misses what it must carry. */
export function parseOperatorEvent(value: unknown): OperatorEvent {
  const event = obj(value);
  const type = str(event['type']);
  if (!type) throw new MesosParseError('Invalid operator event: no type', 'type', []);
  switch (type) {
    case 'SUBSCRIBED': {
      const subscribed = obj(event['subscribed']);
      if (!isObject(subscribed['get_state'])) {
        throw new MesosParseError('Invalid SUBSCRIBED event: no get_state', 'subscribed.get_state', []);
      }
      return {
        type,
        getState: subscribed['get_state'],
        heartbeatIntervalSeconds: num(subscribed['heartbeat_interval_seconds']) ?? null,
      };
    }
    case 'HEARTBEAT':
      return { type };
    case 'TASK_ADDED':
      return { type, task: v1TaskToV0(obj(event['task_added'])['task'], 'task_added.task') };
    case 'TASK_UPDATED': {
      const updated = obj(event['task_updated']);
      const status = obj(updated['status']);
      const state = str(updated['state']) ?? str(status['state']);
      if (!state) throw new MesosParseError('Invalid TASK_UPDATED event: no state', 'task_updated.state', []);
      const converted = v1StatusToV0(isObject(updated['status']) ? status : { state });
      return {
        type,
        frameworkId: requireId(updated['framework_id'], 'task_updated.framework_id'),
        taskId: requireId(status['task_id'] ?? updated['task_id'], 'task_updated.status.task_id'),
        agentId: idValue(status['agent_id'] ?? updated['agent_id']) ?? null,
        executorId: idValue(status['executor_id'] ?? updated['executor_id']) ?? null,
        state,
        status: converted,
      };
    }
    case 'AGENT_ADDED':
      return { type, agent: v1AgentToV0(obj(event['agent_added'])['agent'], 'agent_added.agent') };
    case 'AGENT_REMOVED':
      return { type, agentId: requireId(obj(event['agent_removed'])['agent_id'], 'agent_removed.agent_id') };
    case 'FRAMEWORK_ADDED':
      return {
        type,
        framework: v1FrameworkToV0(obj(event['framework_added'])['framework'], 'framework_added.framework'),
      };
    case 'FRAMEWORK_UPDATED':
      return {
        type,
        framework: v1FrameworkToV0(
          obj(event['framework_updated'])['framework'],
          'framework_updated.framework',
        ),
      };
    case 'FRAMEWORK_REMOVED': {
      const info = obj(obj(event['framework_removed'])['framework_info']);
      return { type, frameworkId: requireId(info['id'], 'framework_removed.framework_info.id') };
    }
    default:
      return { type: 'UNKNOWN', name: type };
  }
}
