import type { QueryClient } from '@tanstack/react-query';
import type { DataRouter, LoaderFunctionArgs } from 'react-router';
import type { TaskGroup } from '../../bff/schemas/views';
import { agentsPageQueryAt, getAgentsPageQueryOptions } from '../features/agents/api/get-agents-page';
import {
  FRAMEWORK_GROUPS,
  frameworksPageQueryAt,
  getFrameworksPageQueryOptions,
} from '../features/frameworks/api/get-frameworks-page';
import { getOverviewQueryOptions } from '../features/overview/api/get-overview';
import { getStatusQueryOptions } from '../features/status/api/get-status';
import { getTaskFacetsQueryOptions } from '../features/tasks/api/get-task-facets';
import { getTasksQueryOptions } from '../features/tasks/api/get-tasks';
import { tasksPageQueryAt } from '../features/tasks/api/tasks-page-query';
import { groupQueryAt } from '../features/tasks/components/tasks-table';
import { paths } from '../config/paths';

/**
 * Route loaders that only start a page's requests, all at once, as the navigation starts: in parallel with the
 * page's code, instead of one after the other once it has rendered. They return at once; the pages read the
 * answers from the query cache as usual (same query keys), and show what they have meanwhile.
 */
type Loader = (args: LoaderFunctionArgs) => null;

const searchOf = ({ request }: LoaderFunctionArgs) => new URL(request.url).searchParams;

export function shellRequests(client: QueryClient): Loader {
  return () => {
    void client.prefetchQuery(getStatusQueryOptions());
    void client.prefetchQuery(getOverviewQueryOptions());
    return null;
  };
}

const OVERVIEW_GROUPS: TaskGroup[] = ['active', 'unreachable', 'completed'];

export function overviewRequests(client: QueryClient): Loader {
  return (args) => {
    const params = searchOf(args);
    for (const group of OVERVIEW_GROUPS)
      void client.prefetchQuery(getTasksQueryOptions(groupQueryAt(group, params)));
    return null;
  };
}

export function tasksPageRequests(client: QueryClient): Loader {
  return (args) => {
    void client.prefetchQuery(
      getTasksQueryOptions(tasksPageQueryAt(searchOf(args)), { followsSnapshots: true }),
    );
    void client.prefetchQuery(getTaskFacetsQueryOptions());
    return null;
  };
}

export function frameworksPageRequests(client: QueryClient): Loader {
  return (args) => {
    const params = searchOf(args);
    for (const group of FRAMEWORK_GROUPS)
      void client.prefetchQuery(getFrameworksPageQueryOptions(frameworksPageQueryAt(group, params)));
    return null;
  };
}

export function agentsPageRequests(client: QueryClient): Loader {
  return (args) => {
    void client.prefetchQuery(getAgentsPageQueryOptions(agentsPageQueryAt(searchOf(args))));
    return null;
  };
}

/**
 * What a tab starts when the pointer rests on it (or it gets focus): the page's code and first requests, so that
 * the click finds them on their way or in.
 */
export function tabPrefetcher(client: QueryClient): (to: string) => void {
  const entering = (to: string) =>
    ({ request: new Request(new URL(to, window.location.origin)), params: {} }) as LoaderFunctionArgs;
  return (to) => {
    if (window.location.pathname === to) return;
    if (to === paths.overview.build()) overviewRequests(client)(entering(to));
    if (to === paths.tasks.build()) {
      void import('./routes/tasks');
      tasksPageRequests(client)(entering(to));
    }
  };
}

/**
 * Resolves once the router has entered the first page (a lazy page's code loaded) and every request that started
 * (the page's loaders and the frame's) has been answered, or after `maxWaitMs`. The app renders the first time
 * then: the frame and the page's rows come in one render and one commit. Rendered before the answers, the frame
 * and empty tables are committed first and rendered again with the rows, which put the rows off by the first
 * commit (about a third of the main thread's work before them); the time limit keeps a slow answer from holding
 * the frame back.
 */
export function firstRequestsAnswered(
  client: QueryClient,
  router: DataRouter,
  maxWaitMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    const cleanups: (() => void)[] = [];
    const done = () => {
      cleanups.forEach((cleanup) => cleanup());
      resolve();
    };
    const check = () => {
      if (router.state.initialized && client.isFetching() === 0) done();
    };
    const timer = setTimeout(done, maxWaitMs);
    cleanups.push(
      () => clearTimeout(timer),
      router.subscribe(check),
      client.getQueryCache().subscribe(check),
    );
    check();
  });
}
