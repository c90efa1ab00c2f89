import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-client';
import { joinPollRounds } from './polling';

const MAX_RETRIES = 2;

/**
 * Retry transient failures a couple of times, never client errors (4xx: an unknown agent stays unknown).
 * Polling queries try again on their next tick anyway, so retries stay few and short.
 */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

export function createQueryClient(): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4_000),
        // Polled views are fresh until the next poll; avoid a burst of refetches on every mount and focus.
        staleTime: 1_000,
        refetchOnWindowFocus: true,
      },
    },
  });
  joinPollRounds(client);
  return client;
}
