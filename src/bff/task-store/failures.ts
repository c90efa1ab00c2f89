import { isTerminalState } from '../../mesos';

/** Reasons that say a task was killed by something other than its framework asking. */
const UNASKED_KILL =
  /^REASON_(CONTAINER_|AGENT_|SLAVE_|EXECUTOR_|MASTER_|RESOURCES_|GC_|INVALID_|IO_SWITCHBOARD|TASK_CHECK|TASK_HEALTH_CHECK|TASK_UNAUTHORIZED|TASK_INVALID)/;

/**
 * Whether a task that ended in this state ended badly: FAILED, LOST, ERROR, DROPPED and GONE always; KILLED
 * only when its reason says the kill was not the framework's request (a container limit, a preemption, an
 * agent going away); a plain kill is what the framework (or a person) asked for.
 */
export function isFailure(state: string, reason: string | null): boolean {
  switch (state) {
    case 'TASK_FAILED':
    case 'TASK_LOST':
    case 'TASK_ERROR':
    case 'TASK_DROPPED':
    case 'TASK_GONE':
      return true;
    case 'TASK_KILLED':
      return reason !== null && UNASKED_KILL.test(reason);
    default:
      return false;
  }
}

export function isEnded(state: string): boolean {
  return isTerminalState(state);
}

/**
 * A message as it is grouped: ids (UUIDs, hex, Mesos ids), paths' changing parts and numbers become
 * placeholders, so "Command exited with status 1" and "... status 137" on two hosts are one group.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-[SO]?\d+)?/gi, '<id>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<id>')
    .replace(/\b(\d+\.)+\d+\b/g, '<n>')
    .replace(/\d+/g, '<n>')
    .slice(0, 300);
}
