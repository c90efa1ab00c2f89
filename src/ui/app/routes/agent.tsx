import { Navigate, useLocation, useParams } from 'react-router';
import { AgentTimeline } from '../../features/history/components/agent-timeline';
import { useAgent } from '../../features/agents/api/get-agent';
import { AgentDetail } from '../../features/agents/components/agent-detail';
import { AgentFrameworkDetail } from '../../features/agents/components/agent-framework-detail';
import { ExecutorDetail } from '../../features/agents/components/executor-detail';
import { AgentOperations } from '../../features/operations/components/agent-operations';
import { allTaskColumns } from '../../features/tasks/components/task-columns';
import { TasksTable } from '../../features/tasks/components/tasks-table';
import { truncateMesosId } from '../../../mesos/ids';
import { useDocumentTitle } from './use-document-title';

export function AgentRoute() {
  const { agentId = '' } = useParams();
  // The hostname once the page has read it (the same query the page polls, so no extra request).
  const agent = useAgent(agentId);
  useDocumentTitle(`Agent ${agent.data?.hostname ?? truncateMesosId(agentId)}`);
  const view = agent.data && !('departed' in agent.data) ? agent.data : null;
  return (
    <AgentDetail
      key={agentId}
      agentId={agentId}
      departedTaskColumns={allTaskColumns}
      actions={
        view && (
          <AgentOperations
            agentId={agentId}
            hostname={view.hostname}
            state={view.state}
            activeTasks={view.frameworks.reduce((sum, framework) => sum + framework.activeTasks, 0)}
          />
        )
      }
      tasks={
        <>
          <TasksTable group="active" agentId={agentId} />
          <TasksTable group="completed" agentId={agentId} />
          <AgentTimeline agentId={agentId} />
        </>
      }
    />
  );
}

export function AgentFrameworkRoute() {
  const { agentId = '', frameworkId = '' } = useParams();
  useDocumentTitle(`Framework ${truncateMesosId(frameworkId)} on agent ${truncateMesosId(agentId)}`);
  return (
    <AgentFrameworkDetail key={`${agentId}/${frameworkId}`} agentId={agentId} frameworkId={frameworkId} />
  );
}

export function ExecutorRoute() {
  const { agentId = '', frameworkId = '', executorId = '' } = useParams();
  useDocumentTitle(`Executor ${executorId}`);
  return (
    <ExecutorDetail
      key={`${agentId}/${frameworkId}/${executorId}`}
      agentId={agentId}
      frameworkId={frameworkId}
      executorId={executorId}
    />
  );
}

/** `/slaves/...` (Mesos before 1.0) → the same page under `/agents/...`. */
export function LegacySlavesRoute() {
  const location = useLocation();
  const to = `${location.pathname.replace(/^\/slaves/, '/agents')}${location.search}`;
  return <Navigate to={to} replace />;
}
