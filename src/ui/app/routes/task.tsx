import { useParams } from 'react-router';
import { ClusterText } from '../../components/cluster-text/cluster-text';
import { StoredTaskDetail } from '../../features/history/components/stored-task-detail';
import { useTask } from '../../features/tasks/api/get-task';
import { TaskDetail } from '../../features/tasks/components/task-detail';
import { useDocumentTitle } from './use-document-title';

export function TaskRoute() {
  const { frameworkId = '', taskId = '' } = useParams();
  const task = useTask(frameworkId, taskId);
  useDocumentTitle(`Task ${task.data?.row.name || taskId}`);
  return (
    <>
      <h1 className="page-title">
        Task{' '}
        <span className="mono break">
          <ClusterText text={taskId} max={120} />
        </span>
      </h1>
      <TaskDetail
        key={`${frameworkId}/${taskId}`}
        frameworkId={frameworkId}
        taskId={taskId}
        whenForgotten={<StoredTaskDetail frameworkId={frameworkId} taskId={taskId} />}
      />
    </>
  );
}
