import { useId, useState } from 'react';
import { useAgentsPage } from '../../features/agents/api/get-agents-page';
import { formatCount } from '../counts/format-count';

const DEPARTED: ReadonlySet<string> = new Set(['Unreachable', 'Gone', 'Removed']);

/** Agents listed at once; a bigger cluster narrows the list by typing (the server filters all of them). */
const LISTED = 200;

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
  const findId = useId();
  const [find, setFind] = useState('');
  const agents = useAgentsPage({ q: find.trim(), sort: 'host', order: 'asc', offset: 0, limit: LISTED });
  // An agent the master no longer lists cannot be asked for its metrics or flags.
  const list = (agents.data?.rows ?? []).filter((agent) => !DEPARTED.has(agent.state));
  const total = agents.data?.total ?? 0;
  const unfiltered = agents.data?.unfiltered ?? 0;
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
        {total > list.length && (
          <option disabled value="…">
            {formatCount(total - list.length)} more: type in "Find agent" to narrow
          </option>
        )}
      </select>
      {unfiltered > LISTED && (
        <>
          <label htmlFor={findId} className="visually-hidden">
            Find agent
          </label>
          <input
            id={findId}
            type="search"
            placeholder="Find agent…"
            value={find}
            onChange={(event) => setFind(event.target.value)}
          />
        </>
      )}
    </div>
  );
}
