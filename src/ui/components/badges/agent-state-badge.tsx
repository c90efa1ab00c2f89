import type { AgentStateLabel, DepartedAgentState } from '../../../bff/schemas/views';

const STATE_TONE: Record<AgentStateLabel | DepartedAgentState, string> = {
  Active: 'ok',
  Draining: 'warn',
  Drained: 'warn',
  Deactivated: 'neutral',
  Unreachable: 'bad',
  Gone: 'neutral',
  Removed: 'neutral',
};

/**
 * Active, Draining, Drained or Deactivated (the Agents page's State column), or, for an agent the master no
 * longer lists, Unreachable, Gone or Removed.
 */
export function AgentStateBadge({ state }: { state: AgentStateLabel | DepartedAgentState }) {
  return <span className={`badge tone-${STATE_TONE[state]}`}>{state}</span>;
}
