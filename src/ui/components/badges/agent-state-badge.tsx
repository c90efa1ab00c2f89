import type { AgentStateLabel } from '../../../bff/schemas/views';

const STATE_TONE: Record<AgentStateLabel, string> = {
  Active: 'ok',
  Draining: 'warn',
  Drained: 'warn',
  Deactivated: 'neutral',
};

/** Active, Draining, Drained or Deactivated (the Agents page's State column). */
export function AgentStateBadge({ state }: { state: AgentStateLabel }) {
  return <span className={`badge tone-${STATE_TONE[state]}`}>{state}</span>;
}
