import { QueryClient } from '@tanstack/react-query';
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { LoaderFunction } from 'react-router';
import { afterEach } from 'vitest';
import { AppProvider } from '../app/provider';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => cleanup());

/** A fresh QueryClient per test: no shared cache, no retries. */
export function createTestQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
}

interface RouteOptions {
  url?: string;
  path?: string;
  /** The route's loader, as the app's routes have. */
  loader?: LoaderFunction;
  /** The client the loader shares with the page; a fresh test client when not given. */
  queryClient?: QueryClient;
}

/** Renders `element` at `url` inside the app's providers and a memory router. */
export function renderWithRouter(
  element: ReactElement,
  { url = '/', path = '*', loader, queryClient = createTestQueryClient() }: RouteOptions = {},
): RenderResult {
  const router = createMemoryRouter([{ path, element, ...(loader ? { loader } : {}) }], {
    initialEntries: [url],
  });
  return render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
}
