import { TimeRange } from '../../components/filters/time-range';
import { paths } from '../../config/paths';
import { HistoryTasksPage } from '../../features/history/components/history-tasks-page';
import { useDocumentTitle } from './use-document-title';

export function TaskHistoryRoute() {
  useDocumentTitle('Tasks');
  return (
    <>
      <div className="page-heading">
        <h1 className="page-title">Tasks</h1>
        <TimeRange nowHref={paths.tasks.build()} historyHref="/tasks/history" />
      </div>
      <HistoryTasksPage />
    </>
  );
}
