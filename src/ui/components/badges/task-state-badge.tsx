import { shortState, stateTone } from '../../../mesos/task-state';

export function TaskStateBadge({ state }: { state: string }) {
  return <span className={`badge tone-${stateTone(state)}`}>{shortState(state)}</span>;
}

export function TaskHealth({ healthy }: { healthy: boolean | null }) {
  if (healthy === null) return <span className="muted">-</span>;
  return healthy ? <span className="health-ok">healthy</span> : <span className="health-bad">unhealthy</span>;
}
