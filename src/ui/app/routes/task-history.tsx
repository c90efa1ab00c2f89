import { HistoryTasksPage } from '../../features/history/components/history-tasks-page';
import { useDocumentTitle } from './use-document-title';

export function TaskHistoryRoute() {
  useDocumentTitle('Tasks');
  return (
    <>
      <h1 className="page-title">Tasks</h1>
      <HistoryTasksPage />
    </>
  );
}
