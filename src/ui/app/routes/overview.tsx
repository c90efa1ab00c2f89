import { lazy, Suspense } from 'react';
import { LoadingState } from '../../components/states';
import { OverviewMarathon } from '../../features/marathon/components/overview-marathon';
import { OverviewSummary } from '../../features/overview/components/overview-summary';
import { TasksTable } from '../../features/tasks/components/tasks-table';
import { useDocumentTitle } from './use-document-title';

// The charts (Recharts) load after the tables: the tasks are what an operator opens the Overview for.
const OverviewCharts = lazy(() =>
  import('../../features/wall/components/overview-charts').then((m) => ({ default: m.OverviewCharts })),
);

export function OverviewRoute() {
  useDocumentTitle('Overview');
  return (
    <div className="two-column">
      <aside className="side-column" aria-label="Cluster summary">
        <OverviewSummary />
        <OverviewMarathon />
      </aside>
      <div className="main-column">
        <Suspense
          fallback={
            <section className="panel overview-charts-placeholder">
              <LoadingState label="Loading history…" />
            </section>
          }
        >
          <OverviewCharts />
        </Suspense>
        <TasksTable group="active" />
        <TasksTable group="unreachable" />
        <TasksTable group="completed" />
      </div>
    </div>
  );
}
