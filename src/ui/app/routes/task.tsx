import { useParams } from 'react-router';
import { TaskDetail } from '../../features/tasks/components/task-detail';
import { useDocumentTitle } from './use-document-title';

export function TaskRoute() {
  const { frameworkId = '', taskId = '' } = useParams();
  useDocumentTitle(`Task ${taskId}`);
  return (
    <>
      <h1 className="page-title">
        Task <span className="mono break">{taskId}</span>
      </h1>
      <TaskDetail key={`${frameworkId}/${taskId}`} frameworkId={frameworkId} taskId={taskId} />
    </>
  );
}
