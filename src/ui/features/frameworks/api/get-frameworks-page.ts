import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { FrameworkGroup, FrameworksPage } from '../../../../bff/schemas/views';
import { PAGE_SIZE } from '../../../components/data-table/data-table';
import { readTableState } from '../../../components/data-table/table-state';
import type { TableDefaults, TableState } from '../../../components/data-table/table-state';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, VIEW_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';

/** One page of one frameworks table, filtered and sorted by the server. */
export interface FrameworksQuery {
  group: FrameworkGroup;
  q: string;
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** The page's three tables, each with its state in the URL under its group's name (`active.q`, ...). */
export const FRAMEWORK_GROUPS: readonly FrameworkGroup[] = ['active', 'inactive', 'completed'];
export const FRAMEWORKS_TABLE_DEFAULTS: TableDefaults = { sort: 'registeredTime', order: 'desc' };

/** What one frameworks table asks the server for its state. */
export function frameworksPageQuery(group: FrameworkGroup, table: TableState): FrameworksQuery {
  return {
    group,
    q: table.q.trim(),
    sort: table.sort ?? 'registeredTime',
    order: table.order,
    offset: table.page * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

/** The query a group's table will make at `params`: asked for before the page (and its code) has loaded. */
export function frameworksPageQueryAt(group: FrameworkGroup, params: URLSearchParams): FrameworksQuery {
  return frameworksPageQuery(group, readTableState(params, group, FRAMEWORKS_TABLE_DEFAULTS));
}

export function getFrameworksPage(
  query: FrameworksQuery,
  { signal }: { signal?: AbortSignal } = {},
): Promise<FrameworksPage> {
  return apiGet<FrameworksPage>(buildUrl('/api/frameworks', { ...query }), { signal });
}

export function getFrameworksPageQueryOptions(query: FrameworksQuery) {
  return queryOptions({
    queryKey: queryKeys.frameworkList({ ...query }),
    queryFn: ({ signal }) => getFrameworksPage(query, { signal }),
    refetchInterval: VIEW_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    placeholderData: keepPreviousData,
  });
}

export function useFrameworksPage(query: FrameworksQuery) {
  return useQuery(getFrameworksPageQueryOptions(query));
}
