import { createColumnHelper } from '@tanstack/react-table';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Link } from 'react-router';
import type { AgentFrameworkView, ExecutorRow } from '../../../../bff/schemas/detail-views';
import { truncateMesosId } from '../../../../mesos/ids';
import { CopyButton } from '../../../components/copy-button';
import type { DataColumn } from '../../../components/data-table/data-table';
import { QueryFallback } from '../../../components/query-fallback';
import { paths } from '../../../config/paths';
import { FrameworkRoles } from '../../../components/roles/framework-roles';
import { useAgentFramework } from '../api/get-agent-framework';
import { ActiveAndCompletedTables } from './active-and-completed-tables';
import { AgentBreadcrumb, agentCrumb } from '../../../components/breadcrumb/agent-breadcrumb';
import { DetailSideColumn } from './detail-side-column';
import {
  countColumn,
  freeTextIdColumn,
  sandboxColumn,
  textColumn,
  usedOfAllocatedColumns,
} from './shared-columns';
import { Dash } from '../../../components/detail/detail-parts';
import { OptionalText } from './summary-values';

function executorColumns(
  agentId: string,
  frameworkId: string,
  completed: boolean,
): DataColumn<ExecutorRow>[] {
  const column = createColumnHelper<ExecutorRow>();
  const lead: DataColumn<ExecutorRow>[] = [
    freeTextIdColumn<ExecutorRow>((id) => paths.executor.build(agentId, frameworkId, id)),
    textColumn<ExecutorRow>('name', 'Name', (row) => row.name),
    textColumn<ExecutorRow>('source', 'Source', (row) => row.source),
    column.accessor((row) => row.role ?? '', { id: 'role', header: 'Role' }),
  ];
  const sandbox = sandboxColumn<ExecutorRow>(agentId, (row) => row.directory);
  if (completed) return [...lead, sandbox];
  return [
    ...lead,
    countColumn<ExecutorRow>('activeTasks', 'Active Tasks', (row) => row.activeTasks),
    countColumn<ExecutorRow>('queuedTasks', 'Queued Tasks', (row) => row.queuedTasks),
    ...usedOfAllocatedColumns<ExecutorRow>(),
    sandbox,
  ];
}

function Summary({ view }: { view: AgentFrameworkView }) {
  const { framework } = view;
  return (
    <section className="panel" aria-label="Framework on this agent" data-testid="agent-framework-summary">
      <dl className="info-list">
        <dt>Name</dt>
        <dd className="break">
          <ClusterText text={framework.name} />
        </dd>
        <dt>ID</dt>
        <dd className="mono break">
          <Link to={paths.framework.build(framework.id)}>{framework.id}</Link>{' '}
          <CopyButton value={framework.id} />
        </dd>
        <dt>Agent</dt>
        <dd className="break">
          <Link to={paths.agent.build(view.agentId)}>{view.agentHostname}</Link>
        </dd>
        <dt>Master</dt>
        <dd className="break">{view.masterHostname ?? <Dash />}</dd>
        <dt>User</dt>
        <dd className="break">
          <OptionalText text={framework.user} />
        </dd>
        <dt>Roles</dt>
        <dd>
          <FrameworkRoles roles={framework.roles} frameworkId={framework.id} />
        </dd>
        <dt>Active tasks</dt>
        <dd>{framework.activeTasks}</dd>
      </dl>
    </section>
  );
}

/** One framework on one agent: its executors, active and completed (the Mesos agent → framework page). */
export function AgentFrameworkDetail({ agentId, frameworkId }: { agentId: string; frameworkId: string }) {
  const query = useAgentFramework(agentId, frameworkId);
  const view = query.data;
  if (!view) {
    return (
      <>
        <AgentBreadcrumb
          crumbs={[agentCrumb(agentId), { label: truncateMesosId(frameworkId), title: frameworkId }]}
        />
        <QueryFallback
          error={query.error}
          loadingLabel="Reading the agent…"
          notFound={{
            title: query.error?.message ?? `No framework found with ID: ${frameworkId}`,
            backTo: paths.agent.build(agentId),
            backLabel: 'Back to the agent',
          }}
          onRetry={() => void query.refetch()}
        />
      </>
    );
  }
  return (
    <>
      <AgentBreadcrumb
        crumbs={[
          agentCrumb(agentId, view.agentHostname),
          { label: view.framework.name || truncateMesosId(frameworkId), title: frameworkId },
        ]}
      />
      <h1 className="page-title clamp">
        Framework{' '}
        <span className="break">
          <ClusterText text={view.framework.name} max={80} />
        </span>{' '}
        on {view.agentHostname}
      </h1>
      <div className="two-column">
        <DetailSideColumn
          label="Framework summary"
          view={view}
          endedNotice={view.framework.completed ? 'This framework has terminated on this agent.' : null}
          resourcesTestId="agent-framework-resources"
        >
          <Summary view={view} />
        </DetailSideColumn>
        <div className="main-column">
          <ActiveAndCompletedTables
            prefix="executors"
            title="Executors"
            columns={(completed) => executorColumns(agentId, frameworkId, completed)}
            rows={view.executors}
            completedRows={view.completedExecutors}
            emptyMessage="No executors."
            defaults={{ sort: 'id', order: 'asc' }}
          />
        </div>
      </div>
    </>
  );
}
