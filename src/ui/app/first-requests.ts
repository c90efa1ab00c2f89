import type { QueryClient } from '@tanstack/react-query';
import type { LoaderFunctionArgs } from 'react-router';
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
