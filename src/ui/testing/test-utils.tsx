import { QueryClient } from '@tanstack/react-query';
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach } from 'vitest';
import { AppProvider } from '../app/provider';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => cleanup());

/** A fresh QueryClient per test: no shared cache, no retries. */
export function createTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
}

/** Renders `element` at `url` inside the app's providers and a memory router. */
export function renderWithRouter(element: ReactElement, { url = '/', path = '*' } = {}): RenderResult {
  const router = createMemoryRouter([{ path, element }], { initialEntries: [url] });
  return render(
    <AppProvider queryClient={createTestQueryClient()}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
}
