import { createColumnHelper } from '@tanstack/react-table';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { CellText } from '../../../components/cluster-text/cell-text';
import { Link } from 'react-router';
import type { AgentFrameworkView, ExecutorRow } from '../../../../bff/schemas/detail-views';
import { truncateMesosId } from '../../../../mesos/ids';
import { CopyButton } from '../../../components/copy-button';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { FreshnessNotice } from '../../../components/freshness-notice';
import { QueryFallback } from '../../../components/query-fallback';
import { RESOURCE_COLUMNS } from '../../../components/resources/format';
import { ResourceMatrix } from '../../../components/resources/resource-matrix';
import { formatUsedOf } from '../../../components/resources/used-of';
import { paths } from '../../../config/paths';
import { FrameworkRoles } from '../../frameworks/components/framework-roles';
import { useAgentFramework } from '../api/get-agent-framework';
import { AgentBreadcrumb } from './agent-breadcrumb';

/** An executor id (free text chosen by the framework): truncated in the cell, whole in the tooltip, copyable. */
export function ExecutorId({ id, to }: { id: string; to?: string }) {
  return (
    <span className="mesos-id">
      {to ? (
        <Link to={to} title={id} className="mono">
          <ClusterText text={id} max={Number.POSITIVE_INFINITY} />
        </Link>
      ) : (
        <span title={id} className="mono">
          <ClusterText text={id} max={Number.POSITIVE_INFINITY} />
        </span>
      )}
      <CopyButton value={id} />
    </span>
  );
}

function executorColumns(
  agentId: string,
  frameworkId: string,
  completed: boolean,
): DataColumn<ExecutorRow>[] {
  const column = createColumnHelper<ExecutorRow>();
  const lead: DataColumn<ExecutorRow>[] = [
    column.accessor('id', {
      id: 'id',
      header: 'ID',
      meta: { className: 'cell-truncate' },
      cell: (info) => (
        <ExecutorId id={info.getValue()} to={paths.executor.build(agentId, frameworkId, info.getValue())} />
      ),
    }),
    column.accessor('name', {
      id: 'name',
      header: 'Name',
      meta: { className: 'cell-truncate' },
      cell: (info) => <CellText text={info.getValue()} />,
    }),
    column.accessor('source', {
      id: 'source',
      header: 'Source',
      meta: { className: 'cell-truncate' },
      cell: (info) => <CellText text={info.getValue()} />,
    }),
    column.accessor((row) => row.role ?? '', { id: 'role', header: 'Role' }),
  ];
  const sandbox = column.display({
    id: 'sandbox',
    header: () => <span className="visually-hidden">Sandbox</span>,
    cell: ({ row }) =>
      row.original.directory ? (
        <Link to={paths.browse.build(agentId, row.original.directory)}>Sandbox</Link>
      ) : (
        <span className="muted">Sandbox</span>
      ),
  });
  if (completed) return [...lead, sandbox];
  return [
    ...lead,
    column.accessor('activeTasks', {
      id: 'activeTasks',
      header: 'Active Tasks',
      meta: { numeric: true, firstOrder: 'desc' },
    }),
    column.accessor('queuedTasks', {
      id: 'queuedTasks',
      header: 'Queued Tasks',
      meta: { numeric: true, firstOrder: 'desc' },
    }),
    ...RESOURCE_COLUMNS.map(({ kind, label }) =>
      column.accessor((row) => row.allocated[kind], {
        id: kind,
        header: `${label} (Used / Allocated)`,
        meta: { numeric: true, firstOrder: 'desc' },
        cell: ({ row }) =>
          formatUsedOf(kind, kind === 'gpus' ? null : row.original.used[kind], row.original.allocated[kind]),
      }),
    ),
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
        <dd className="break">{view.masterHostname ?? <span className="muted">-</span>}</dd>
        <dt>User</dt>
        <dd className="break">
          {framework.user ? <ClusterText text={framework.user} /> : <span className="muted">-</span>}
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
  const agentCrumb = { label: truncateMesosId(agentId), title: agentId, to: paths.agent.build(agentId) };
  if (!view) {
    return (
      <>
        <AgentBreadcrumb crumbs={[agentCrumb, { label: truncateMesosId(frameworkId), title: frameworkId }]} />
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
          { ...agentCrumb, label: `${view.agentHostname} (${truncateMesosId(agentId)})` },
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
        <aside className="side-column" aria-label="Framework summary">
          <FreshnessNotice freshness={view} source="the agent" />
          {view.framework.completed && (
            <p className="notice" role="status">
              This framework has terminated on this agent.
            </p>
          )}
          <Summary view={view} />
          <ResourceMatrix
            title="Resources"
            testId="agent-framework-resources"
            series={[
              { label: 'Used', values: { ...view.resources.used, gpus: null }, missingAs: { gpus: 'N/A' } },
              { label: 'Allocated', values: view.resources.allocated },
            ]}
          />
        </aside>
        <div className="main-column">
          <UrlDataTable
            prefix="executors"
            title="Executors"
            columns={executorColumns(agentId, frameworkId, false)}
            rows={view.executors}
            getRowId={(row) => row.id}
            emptyMessage="No executors."
            defaults={{ sort: 'id', order: 'asc' }}
          />
          <UrlDataTable
            prefix="completed"
            title="Completed Executors"
            columns={executorColumns(agentId, frameworkId, true)}
            rows={view.completedExecutors}
            getRowId={(row) => row.id}
            emptyMessage="No completed executors."
            defaults={{ sort: 'id', order: 'asc' }}
          />
        </div>
      </div>
    </>
  );
}
