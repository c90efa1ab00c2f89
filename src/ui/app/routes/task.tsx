import { useParams } from 'react-router';
import { ClusterText } from '../../components/cluster-text/cluster-text';
import { TaskDetail } from '../../features/tasks/components/task-detail';
import { useDocumentTitle } from './use-document-title';

export function TaskRoute() {
  const { frameworkId = '', taskId = '' } = useParams();
  useDocumentTitle(`Task ${taskId}`);
  return (
    <>
      <h1 className="page-title">
        Task{' '}
        <span className="mono break">
          <ClusterText text={taskId} max={120} />
        </span>
      </h1>
      <TaskDetail key={`${frameworkId}/${taskId}`} frameworkId={frameworkId} taskId={taskId} />
    </>
  );
}
