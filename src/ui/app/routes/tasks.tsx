import { TimeRange } from '../../components/filters/time-range';
import { paths } from '../../config/paths';
import { TasksPage } from '../../features/tasks/components/tasks-page';
import { useDocumentTitle } from './use-document-title';

export function TasksRoute() {
  useDocumentTitle('Tasks');
  return (
    <>
      <div className="page-heading">
        <h1 className="page-title">Tasks</h1>
        <TimeRange nowHref={paths.tasks.build()} historyHref="" />
      </div>
      <TasksPage />
    </>
  );
}
