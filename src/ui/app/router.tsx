import type { ComponentType } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, type DataRouter } from 'react-router';
import { AppShell } from '../components/layout/app-shell';
import { paths } from '../config/paths';
import {
  agentsPageRequests,
  frameworksPageRequests,
  overviewRequests,
  shellRequests,
  tabPrefetcher,
  tasksPageRequests,
} from './first-requests';
import { NotFoundRoute, RouteErrorBoundary } from './routes/not-found';
import { OverviewRoute } from './routes/overview';

/**
 * A route whose page is loaded when first visited: the Overview (and the shell) come in the first bundle, the
 * rest (the log viewer, the wall, metrics…) in their own chunks, so the first page parses less JavaScript.
 */
function page<K extends string, M extends Record<K, ComponentType>>(load: () => Promise<M>, name: K) {
  return async () => ({ Component: (await load())[name] });
}

/**
 * The loaders start a page's first requests; once on the page, its queries poll and follow its URL on their own
 * (a new sort or filter is asked for by the table itself), so the loaders run only when the page is entered.
 */
const onEntryOnly = () => false;

function NoFallback() {
  return null;
}

/** The app's routes; creating the router starts the first page's requests (its loaders). */
export function createAppRouter(client: QueryClient): DataRouter {
  return createBrowserRouter([
    // The wall display has no navigation chrome at all, so it sits outside the shell.
    {
      path: paths.wall.pattern,
      lazy: page(() => import('./routes/wall'), 'WallRoute'),
      errorElement: <RouteErrorBoundary />,
    },
    {
      element: <AppShell onTabIntent={tabPrefetcher(client)} />,
      loader: shellRequests(client),
      shouldRevalidate: onEntryOnly,
      // The loaders only start requests and return at once: nothing to show meanwhile.
      HydrateFallback: NoFallback,
      errorElement: <RouteErrorBoundary />,
      children: [
        {
          errorElement: <RouteErrorBoundary />,
          children: [
            {
              path: paths.overview.pattern,
              element: <OverviewRoute />,
              loader: overviewRequests(client),
              shouldRevalidate: onEntryOnly,
            },
            {
              path: paths.frameworks.pattern,
              loader: frameworksPageRequests(client),
              shouldRevalidate: onEntryOnly,
              lazy: page(() => import('./routes/frameworks'), 'FrameworksRoute'),
            },
            {
              path: paths.framework.pattern,
              lazy: page(() => import('./routes/framework'), 'FrameworkRoute'),
            },
            {
              path: paths.agents.pattern,
              loader: agentsPageRequests(client),
              shouldRevalidate: onEntryOnly,
              lazy: page(() => import('./routes/agents'), 'AgentsRoute'),
            },
            {
              path: paths.agent.pattern,
              lazy: page(() => import('./routes/agent'), 'AgentRoute'),
            },
            {
              path: paths.agentFramework.pattern,
              lazy: page(() => import('./routes/agent'), 'AgentFrameworkRoute'),
            },
            {
              path: paths.executor.pattern,
              lazy: page(() => import('./routes/agent'), 'ExecutorRoute'),
            },
            {
              path: paths.roles.pattern,
              lazy: page(() => import('./routes/roles'), 'RolesRoute'),
            },
            {
              path: paths.offers.pattern,
              lazy: page(() => import('./routes/offers'), 'OffersRoute'),
            },
            {
              path: paths.maintenance.pattern,
              lazy: page(() => import('./routes/maintenance'), 'MaintenanceRoute'),
            },
            {
              path: paths.taskHistory.pattern,
              lazy: page(() => import('./routes/task-history'), 'TaskHistoryRoute'),
            },
            {
              path: paths.failures.pattern,
              lazy: page(() => import('./routes/failures'), 'FailuresRoute'),
            },
            {
              path: paths.audit.pattern,
              lazy: page(() => import('./routes/audit'), 'AuditRoute'),
            },
            {
              path: paths.legacySlaves.pattern,
              lazy: page(() => import('./routes/agent'), 'LegacySlavesRoute'),
            },
            {
              path: paths.executorSandbox.pattern,
              lazy: page(() => import('./routes/sandbox'), 'SandboxRoute'),
            },
            {
              path: paths.taskSandbox.pattern,
              lazy: page(() => import('./routes/sandbox'), 'SandboxRoute'),
            },
            {
              path: paths.browse.pattern,
              lazy: page(() => import('./routes/browse'), 'BrowseRoute'),
            },
            {
              path: paths.fileView.pattern,
              lazy: page(() => import('./routes/file-view'), 'FileViewRoute'),
            },
            {
              path: paths.masterLog.pattern,
              lazy: page(() => import('./routes/file-view'), 'MasterLogRoute'),
            },
            {
              path: paths.agentLog.pattern,
              lazy: page(() => import('./routes/file-view'), 'AgentLogRoute'),
            },
            {
              path: paths.appLogs.pattern,
              lazy: page(() => import('./routes/file-view'), 'AppLogsRoute'),
            },
            {
              path: paths.tasks.pattern,
              loader: tasksPageRequests(client),
              shouldRevalidate: onEntryOnly,
              lazy: page(() => import('./routes/tasks'), 'TasksRoute'),
            },
            {
              path: paths.task.pattern,
              lazy: page(() => import('./routes/task'), 'TaskRoute'),
            },
            {
              path: paths.marathonApps.pattern,
              lazy: page(() => import('./routes/marathon'), 'MarathonAppsRoute'),
            },
            {
              path: paths.marathonApp.pattern,
              lazy: page(() => import('./routes/marathon'), 'MarathonAppRoute'),
            },
            {
              path: paths.marathonDeployments.pattern,
              lazy: page(() => import('./routes/marathon'), 'MarathonDeploymentsRoute'),
            },
            {
              path: paths.metrics.pattern,
              lazy: page(() => import('./routes/metrics'), 'MetricsRoute'),
            },
            {
              path: paths.flags.pattern,
              lazy: page(() => import('./routes/flags'), 'FlagsRoute'),
            },
            { path: '*', element: <NotFoundRoute /> },
          ],
        },
      ],
    },
  ]);
}
