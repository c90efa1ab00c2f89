import { OverviewSummary } from '../../features/overview/components/overview-summary';
import { TasksTable } from '../../features/tasks/components/tasks-table';
import { OverviewCharts } from '../../features/wall/components/overview-charts';
import { useDocumentTitle } from './use-document-title';

export function OverviewRoute() {
  useDocumentTitle('Overview');
  return (
    <div className="two-column">
      <aside className="side-column" aria-label="Cluster summary">
        <OverviewSummary />
      </aside>
      <div className="main-column">
        <OverviewCharts />
        <TasksTable group="active" />
        <TasksTable group="unreachable" />
        <TasksTable group="completed" />
      </div>
    </div>
  );
}
