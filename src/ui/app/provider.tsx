import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { TimeProvider } from '../components/time/time-context';

/**
 * Everything the pages need around them: the query cache and the shared clock. The cache is made by the caller,
 * since the router's loaders start the first requests into it before anything renders.
 */
export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <TimeProvider>{children}</TimeProvider>
    </QueryClientProvider>
  );
}
