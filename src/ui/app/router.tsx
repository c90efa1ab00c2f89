import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppShell } from '../components/layout/app-shell';
import { paths } from '../config/paths';
import { AgentsRoute } from './routes/agents';
import { BrowseRoute } from './routes/browse';
import { FileViewRoute, MasterLogRoute } from './routes/file-view';
import { FrameworkRoute } from './routes/framework';
import { FrameworksRoute } from './routes/frameworks';
import { NotFoundRoute, RouteErrorBoundary } from './routes/not-found';
import { OverviewRoute } from './routes/overview';
import { SandboxRoute } from './routes/sandbox';
import { WallRoute } from './routes/wall';
import { FlagsRoute } from './routes/flags';
import { MetricsRoute } from './routes/metrics';
import { TaskRoute } from './routes/task';
import { TasksRoute } from './routes/tasks';

export function createAppRouter() {
  return createBrowserRouter([
    // The wall display has no navigation chrome at all, so it sits outside the shell.
    { path: paths.wall.pattern, element: <WallRoute />, errorElement: <RouteErrorBoundary /> },
    {
      element: <AppShell />,
      errorElement: <RouteErrorBoundary />,
      children: [
        {
          errorElement: <RouteErrorBoundary />,
          children: [
            { path: paths.overview.pattern, element: <OverviewRoute /> },
            { path: paths.frameworks.pattern, element: <FrameworksRoute /> },
            { path: paths.framework.pattern, element: <FrameworkRoute /> },
            { path: paths.agents.pattern, element: <AgentsRoute /> },
            { path: paths.executorSandbox.pattern, element: <SandboxRoute /> },
            { path: paths.taskSandbox.pattern, element: <SandboxRoute /> },
            { path: paths.browse.pattern, element: <BrowseRoute /> },
            { path: paths.fileView.pattern, element: <FileViewRoute /> },
            { path: paths.masterLog.pattern, element: <MasterLogRoute /> },
            { path: paths.tasks.pattern, element: <TasksRoute /> },
            { path: paths.task.pattern, element: <TaskRoute /> },
            { path: paths.metrics.pattern, element: <MetricsRoute /> },
            { path: paths.flags.pattern, element: <FlagsRoute /> },
            { path: '*', element: <NotFoundRoute /> },
          ],
        },
      ],
    },
  ]);
}

export function AppRouter() {
  const [router] = useState(createAppRouter);
  return <RouterProvider router={router} />;
}
