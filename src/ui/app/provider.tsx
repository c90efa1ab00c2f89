import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { TimeProvider } from '../components/time/time-context';
import { createQueryClient } from '../lib/query-client';

/** Everything the pages need around them: the query cache and the shared clock. */
export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <TimeProvider>{children}</TimeProvider>
    </QueryClientProvider>
  );
}
