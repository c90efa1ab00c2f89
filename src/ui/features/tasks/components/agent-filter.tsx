import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FacetValue } from '../../../../bff/schemas/views';
import { truncateMesosId } from '../../../../mesos/ids';
import { FacetSelect } from '../../../components/filters/facet-select';
import { getAgentsPageQueryOptions } from '../../agents/api/get-agents-page';

/** Agents a typed name lists at once. */
const FOUND = 100;

const withId = (option: FacetValue) =>
  option.label === option.value ? option.value : `${option.label} (${truncateMesosId(option.value)})`;

/**
 * The Tasks page's Agent filter: the agents with the most tasks, each by hostname and id, and a box that finds
 * any other agent of the cluster by hostname or id (the server searches all of them).
 */
export function AgentFilter({
  value,
  onChange,
  busiest,
  omitted,
}: {
  value: string;
  onChange: (agentId: string) => void;
  /** The agents with the most tasks, with their counts. */
  busiest: FacetValue[] | undefined;
  omitted: number | undefined;
}) {
  const findId = useId();
  const [find, setFind] = useState('');
  // The agent picked from a search, so that it keeps its name once the search is cleared.
  const [picked, setPicked] = useState<FacetValue | null>(null);
  const needle = find.trim();
  const finding = needle !== '';
  const found = useQuery({
    ...getAgentsPageQueryOptions({ q: needle, sort: 'host', order: 'asc', offset: 0, limit: FOUND }),
    enabled: finding,
  });
  const listed: FacetValue[] | undefined = finding
    ? found.data?.rows.map((agent) => ({ value: agent.id, label: agent.hostname, count: 0 }))
    : busiest;
  const matches =
    picked && picked.value === value && listed && !listed.some((option) => option.value === value)
      ? [picked, ...listed]
      : listed;
  const more = finding ? Math.max(0, (found.data?.total ?? 0) - FOUND) : (omitted ?? 0);
  return (
    <FacetSelect
      label="Agent"
      value={value}
      options={matches}
      omitted={more}
      omittedHint={'type in "Find agent" to narrow'}
      counts={!finding}
      format={withId}
      onChange={(agentId) => {
        setPicked(matches?.find((option) => option.value === agentId) ?? null);
        onChange(agentId);
      }}
    >
      <label htmlFor={findId} className="visually-hidden">
        Find agent
      </label>
      <input
        id={findId}
        type="search"
        className="facet-find"
        placeholder="Find agent…"
        autoComplete="off"
        spellCheck={false}
        value={find}
        onChange={(event) => setFind(event.target.value)}
      />
    </FacetSelect>
  );
}
