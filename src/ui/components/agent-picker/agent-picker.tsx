import { useId } from 'react';
import { useAgents } from '../../features/agents/api/get-agents';

/** Picks the leading master (value null) or one agent, by hostname. */
export function AgentPicker({
  value,
  onChange,
  label = 'Source',
}: {
  value: string | null;
  onChange: (agentId: string | null) => void;
  label?: string;
}) {
  const id = useId();
  const agents = useAgents();
  const list = [...(agents.data?.agents ?? [])].sort(
    (a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id),
  );
  const known = value === null || list.some((agent) => agent.id === value);
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">Leading master</option>
        {!known && value !== null && <option value={value}>Agent {value}</option>}
        {list.map((agent) => (
          <option key={agent.id} value={agent.id}>
            Agent {agent.hostname} ({agent.id})
          </option>
        ))}
      </select>
    </div>
  );
}
