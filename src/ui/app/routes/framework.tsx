import { useParams } from 'react-router';
import { useFramework } from '../../features/frameworks/api/get-framework';
import { FrameworkDetail } from '../../features/frameworks/components/framework-detail';
import { FrameworkOperations } from '../../features/operations/components/framework-operations';
import { TasksTable } from '../../features/tasks/components/tasks-table';
import { truncateMesosId } from '../../../mesos/ids';
import { useDocumentTitle } from './use-document-title';

export function FrameworkRoute() {
  const { frameworkId = '' } = useParams();
  const framework = useFramework(frameworkId);
  useDocumentTitle(`Framework ${framework.data?.framework.name || truncateMesosId(frameworkId)}`);
  const view = framework.data;
  return (
    <FrameworkDetail
      key={frameworkId}
      frameworkId={frameworkId}
      actions={
        view && (
          <FrameworkOperations
            frameworkId={frameworkId}
            name={view.framework.name}
            activeTasks={view.framework.activeTasks}
            terminated={view.terminated}
          />
        )
      }
      tasks={
        <>
          <TasksTable group="active" frameworkId={frameworkId} />
          <TasksTable group="unreachable" frameworkId={frameworkId} />
          <TasksTable group="completed" frameworkId={frameworkId} />
        </>
      }
    />
  );
}
