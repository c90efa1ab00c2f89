import { screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, type LoaderFunctionArgs } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstViewsOf, PAGE_MODULES } from '../../bff/schemas/first-views';
import type { TaskPage } from '../../bff/schemas/views';
import { TasksTable } from '../features/tasks/components/tasks-table';
import { fakeServer } from '../features/wall/testing-data';
import { createQueryClient } from '../lib/query-client';
import { renderWithRouter } from '../testing/test-utils';
import {
  agentsPageRequests,
  firstRequestsAnswered,
  frameworksPageRequests,
  overviewRequests,
  shellRequests,
  tabPrefetcher,
  tasksPageRequests,
} from './first-requests';

const emptyPage = (): TaskPage => ({
  snapshotAt: 0,
  group: 'active',
  total: 0,
  offset: 0,
  limit: 50,
  rows: [],
});

/** The route files, named as the build's manifest names them (the glob loads none of them). */
const ROUTE_SOURCES = Object.keys(import.meta.glob('./routes/*.tsx')).map((file) =>
  file.replace('./', 'src/ui/app/'),
);

/** Every page with a route loader of its own (router.tsx), and that loader. */
const PAGES_WITH_LOADERS = [
  ['/', overviewRequests],
  ['/tasks', tasksPageRequests],
  ['/frameworks', frameworksPageRequests],
  ['/agents', agentsPageRequests],
] as const;

/** Answers fetch from a fake server with these bodies, and returns every URL asked. */
function recordFetches(bodies: Parameters<typeof fakeServer>[0]): string[] {
  const server = fakeServer(bodies);
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL) => {
      urls.push(String(input));
      return server.fetchImpl(input);
    }),
  );
  return urls;
}

describe('the first requests of a page', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('start from the route loader with the same queries the tables make, so each is asked once', async () => {
    const urls = recordFetches({ '/api/tasks': emptyPage });
    // The app's own client: its staleTime is what keeps a table that mounts after the answer from asking again.
    const client = createQueryClient();
    renderWithRouter(
      <>
        <TasksTable group="active" />
        <TasksTable group="unreachable" />
        <TasksTable group="completed" />
      </>,
      {
        url: '/?active.sort=host&active.order=asc&completed.page=2&unreachable.q=web',
        path: '/',
        loader: overviewRequests(client),
        queryClient: client,
      },
    );
    await waitFor(() => expect(screen.getAllByText('0')).toHaveLength(3));
    expect(urls.sort()).toEqual([
      '/api/tasks?group=active&sort=host&order=asc&offset=0&limit=50',
      '/api/tasks?group=completed&sort=finish&order=desc&offset=50&limit=50',
      '/api/tasks?group=unreachable&q=web&sort=start&order=desc&offset=0&limit=50',
    ]);
  });

  it("start when the pointer rests on a page's tab, before the click", async () => {
    const urls = recordFetches({ '/api/tasks': emptyPage, '/api/tasks/facets': () => ({}) });
    const prefetch = tabPrefetcher(createQueryClient());
    prefetch('/tasks');
    await waitFor(() => expect(urls).toHaveLength(2));
    expect(urls.sort()).toEqual([
      '/api/tasks/facets',
      '/api/tasks?group=all&sort=start&order=desc&offset=0&limit=50',
    ]);
    // The page the browser is on already has its requests.
    urls.length = 0;
    prefetch(window.location.pathname);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(urls).toEqual([]);
  });

  it.each(PAGES_WITH_LOADERS)(
    'at %s are the views the server names in the HTML, so the browser uses what it preloaded',
    async (path, page) => {
      const urls: string[] = [];
      vi.stubGlobal(
        'fetch',
        vi.fn((input: RequestInfo | URL) => {
          urls.push(String(input));
          return Promise.resolve(new Response('{}', { headers: { 'content-type': 'application/json' } }));
        }),
      );
      const client = createQueryClient();
      const entering = {
        request: new Request(new URL(path, window.location.origin)),
        params: {},
      } as LoaderFunctionArgs;
      shellRequests(client)(entering);
      page(client)(entering);
      const named = firstViewsOf(path, '');
      await waitFor(() => expect(urls).toHaveLength(named.length));
      expect(urls.sort()).toEqual([...named].sort());
    },
  );

  it('of every page loaded on its own come with its chunk, named as the build names it', () => {
    // The Overview is in the main chunk.
    expect(Object.keys(PAGE_MODULES).sort()).toEqual(
      PAGES_WITH_LOADERS.map(([path]) => path)
        .filter((path) => path !== '/')
        .sort(),
    );
    for (const source of Object.values(PAGE_MODULES)) expect(ROUTE_SOURCES).toContain(source);
  });
});

describe('the first render', () => {
  /** A router whose one page's loader asks for one view, answered when the test says. */
  function pageAskingOnce() {
    const client = createQueryClient();
    let answer: (body: unknown) => void = () => undefined;
    const answered = new Promise<unknown>((resolve) => (answer = resolve));
    const router = createMemoryRouter([
      {
        path: '/',
        loader: () => {
          void client.prefetchQuery({ queryKey: ['view'], queryFn: () => answered });
          return null;
        },
      },
    ]);
    return { client, router, answer };
  }

  it('waits for the page to be entered and for every request it started to be answered', async () => {
    const { client, router, answer } = pageAskingOnce();
    let ready = false;
    const waiting = firstRequestsAnswered(client, router, 60_000).then(() => (ready = true));
    await waitFor(() => expect(router.state.initialized).toBe(true));
    expect(client.isFetching()).toBe(1);
    expect(ready).toBe(false);
    answer({ rows: [] });
    await waiting;
    expect(client.getQueryData(['view'])).toEqual({ rows: [] });
  });

  it('does not wait past its limit for an answer that does not come', async () => {
    const { client, router } = pageAskingOnce();
    await firstRequestsAnswered(client, router, 20);
    expect(client.isFetching()).toBe(1);
  });
});
