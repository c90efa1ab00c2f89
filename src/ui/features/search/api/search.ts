import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { SearchResults } from '../../../../bff/schemas/views';
import { apiGet, buildUrl } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

export const SEARCH_LIMIT = 5;

/** The best matching tasks, frameworks and agents for what was typed in the header search. */
export function search(query: string, limit: number, { signal }: { signal?: AbortSignal } = {}) {
  return apiGet<SearchResults>(buildUrl('/api/search', { q: query, limit }), { signal });
}

export function getSearchQueryOptions(query: string, limit = SEARCH_LIMIT) {
  return queryOptions({
    queryKey: queryKeys.search(query, limit),
    queryFn: ({ signal }) => search(query, limit, { signal }),
    enabled: query.trim() !== '',
    // Results of the previous keystroke stay while the next ones load.
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
}

export function useSearch(query: string, limit = SEARCH_LIMIT) {
  return useQuery(getSearchQueryOptions(query, limit));
}
