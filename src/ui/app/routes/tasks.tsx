import { TasksPage } from '../../features/tasks/components/tasks-page';
import { useDocumentTitle } from './use-document-title';

export function TasksRoute() {
  useDocumentTitle('Tasks');
  return (
    <>
      <h1 className="page-title">Tasks</h1>
      <TasksPage />
    </>
  );
}
