import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentsPage } from '../../../../bff/schemas/views';
import { isAgentSortKey } from '../../../../bff/schemas/sort-keys';
import { readTableState } from '../../../components/data-table/table-state';
import type { TableDefaults, TableState } from '../../../components/data-table/table-state';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** One page of the agents, filtered and sorted by the server. */
export interface AgentsQuery {
  q: string;
  /** Agent states, any of which matches (`Active`, `Deactivated,Draining,Drained`); empty for all. */
  state?: string;
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** The table's own state in the URL (`agents.q`, `agents.sort`, `agents.order`, `agents.page`). */
export const AGENTS_TABLE = 'agents';
export const AGENTS_TABLE_DEFAULTS: TableDefaults = { sort: 'host', order: 'asc' };
/** Agents per page: a long page that scrolls (rendered a screenful at a time) rather than 200 pages of 50. */
export const AGENTS_PER_PAGE = 500;

/** What the agents page asks the server for its table state and its State filter (`?state=`). */
export function agentsPageQuery(table: TableState, state: string): AgentsQuery {
  return {
    q: table.q.trim(),
    state,
    sort: isAgentSortKey(table.sort) ? table.sort : 'host',
    order: table.order,
    offset: table.page * AGENTS_PER_PAGE,
    limit: AGENTS_PER_PAGE,
  };
}

/** The query the agents page will make at `params`: asked for before the page (and its code) has loaded. */
export function agentsPageQueryAt(params: URLSearchParams): AgentsQuery {
  return agentsPageQuery(
    readTableState(params, AGENTS_TABLE, AGENTS_TABLE_DEFAULTS),
    params.get('state') ?? '',
  );
}

export function getAgentsPage(
  query: AgentsQuery,
  { signal }: { signal?: AbortSignal } = {},
): Promise<AgentsPage> {
  return apiGet<AgentsPage>(buildUrl('/api/agents', { ...query }), { signal });
}

export function getAgentsPageQueryOptions(query: AgentsQuery) {
  return queryOptions({
    queryKey: queryKeys.agentList({ ...query }),
    queryFn: ({ signal }) => getAgentsPage(query, { signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    placeholderData: keepPreviousData,
  });
}

export function useAgentsPage(query: AgentsQuery) {
  return useQuery(getAgentsPageQueryOptions(query));
}
