import { useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppShell } from '../components/layout/app-shell';
import { paths } from '../config/paths';
import { AgentRoute, AgentFrameworkRoute, ExecutorRoute, LegacySlavesRoute } from './routes/agent';
import { AgentsRoute } from './routes/agents';
import { MaintenanceRoute } from './routes/maintenance';
import { OffersRoute } from './routes/offers';
import { RolesRoute } from './routes/roles';
import { BrowseRoute } from './routes/browse';
import { AgentLogRoute, AppLogsRoute, FileViewRoute, MasterLogRoute } from './routes/file-view';
import { FrameworkRoute } from './routes/framework';
import { FrameworksRoute } from './routes/frameworks';
import { NotFoundRoute, RouteErrorBoundary } from './routes/not-found';
import { OverviewRoute } from './routes/overview';
import { SandboxRoute } from './routes/sandbox';
import { FlagsRoute } from './routes/flags';
import { MetricsRoute } from './routes/metrics';
import { TaskRoute } from './routes/task';
import { TasksRoute } from './routes/tasks';
import { WallRoute } from './routes/wall';

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
            { path: paths.agent.pattern, element: <AgentRoute /> },
            { path: paths.agentFramework.pattern, element: <AgentFrameworkRoute /> },
            { path: paths.executor.pattern, element: <ExecutorRoute /> },
            { path: paths.roles.pattern, element: <RolesRoute /> },
            { path: paths.offers.pattern, element: <OffersRoute /> },
            { path: paths.maintenance.pattern, element: <MaintenanceRoute /> },
            { path: paths.legacySlaves.pattern, element: <LegacySlavesRoute /> },
            { path: paths.executorSandbox.pattern, element: <SandboxRoute /> },
            { path: paths.taskSandbox.pattern, element: <SandboxRoute /> },
            { path: paths.browse.pattern, element: <BrowseRoute /> },
            { path: paths.fileView.pattern, element: <FileViewRoute /> },
            { path: paths.masterLog.pattern, element: <MasterLogRoute /> },
            { path: paths.agentLog.pattern, element: <AgentLogRoute /> },
            { path: paths.appLogs.pattern, element: <AppLogsRoute /> },
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
