import { useParams } from 'react-router';
import { SandboxRedirect } from '../../features/sandbox/components/sandbox-redirect';

/** `/agents/:agentId/frameworks/:frameworkId/executors/:executorId[/tasks/:taskId]/browse` */
export function SandboxRoute() {
  const { agentId = '', frameworkId = '', executorId = '', taskId = null } = useParams();
  return (
    <SandboxRedirect agentId={agentId} frameworkId={frameworkId} executorId={executorId} taskId={taskId} />
  );
}
