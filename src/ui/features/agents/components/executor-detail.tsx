import { createColumnHelper } from '@tanstack/react-table';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { CellText } from '../../../components/cluster-text/cell-text';
import { Link } from 'react-router';
import type { AllocatedAndLimit, ExecutorTaskRow, ExecutorView } from '../../../../bff/schemas/detail-views';
import { truncateMesosId } from '../../../../mesos/ids';
import type { ResourceKind } from '../../../../mesos/resources';
import { CopyButton } from '../../../components/copy-button';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { FreshnessNotice } from '../../../components/freshness-notice';
import { QueryFallback } from '../../../components/query-fallback';
import { formatResource } from '../../../components/resources/format';
import { ResourceMatrix } from '../../../components/resources/resource-matrix';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { TaskHealth, TaskStateBadge } from '../../tasks/components/task-state-badge';
import { useExecutor } from '../api/get-executor';
import { AgentBreadcrumb } from './agent-breadcrumb';

type TaskTable = 'queued' | 'active' | 'completed';

function limitText(kind: ResourceKind, value: AllocatedAndLimit['limit']) {
  if (value === null) return <span className="muted">-</span>;
  if (value === 'unlimited') return 'unlimited';
  return formatResource(kind, value);
}

function taskColumns(view: ExecutorView, table: TaskTable): DataColumn<ExecutorTaskRow>[] {
  const column = createColumnHelper<ExecutorTaskRow>();
  const allocatedAndLimit = (kind: 'cpus' | 'mem', label: string) =>
    column.group({
      id: `${kind}-group`,
      header: label,
      columns: [
        column.accessor((row) => row[kind].allocated, {
          id: kind,
          header: 'Allocated',
          meta: { numeric: true, firstOrder: 'desc' },
          cell: (info) => formatResource(kind, info.getValue()),
        }),
        column.accessor((row) => (typeof row[kind].limit === 'number' ? row[kind].limit : undefined), {
          id: `${kind}Limit`,
          header: 'Limit',
          sortUndefined: 'last',
          meta: { numeric: true, firstOrder: 'desc' },
          cell: ({ row }) => limitText(kind, row.original[kind].limit),
        }),
      ],
    });
  const id = column.accessor('id', {
    id: 'id',
    header: 'ID',
    meta: { className: 'cell-truncate' },
    cell: (info) => (
      <span className="mesos-id">
        {table === 'queued' ? (
          <span className="mono" title={info.getValue()}>
            <ClusterText text={info.getValue()} max={Number.POSITIVE_INFINITY} />
          </span>
        ) : (
          <Link
            className="mono"
            to={paths.task.build(view.frameworkId, info.getValue())}
            title={info.getValue()}
          >
            <ClusterText text={info.getValue()} max={Number.POSITIVE_INFINITY} />
          </Link>
        )}
        <CopyButton value={info.getValue()} />
      </span>
    ),
  });
  const name = column.accessor('name', {
    id: 'name',
    header: 'Name',
    meta: { className: 'cell-truncate' },
    cell: (info) => <CellText text={info.getValue()} />,
  });
  const state = column.accessor((row) => row.state ?? '', {
    id: 'state',
    header: 'State',
    cell: ({ row }) => (row.original.state ? <TaskStateBadge state={row.original.state} /> : null),
  });
  const health = column.accessor('healthy', {
    id: 'health',
    header: 'Health',
    enableSorting: false,
    cell: (info) => <TaskHealth healthy={info.getValue()} />,
  });
  const time = (key: 'startTime' | 'finishTime', label: string) =>
    column.accessor((row) => row[key] ?? undefined, {
      id: key,
      header: label,
      sortUndefined: 'last',
      meta: { firstOrder: 'desc' },
      cell: (info) => <RelativeTime ms={secondsToMs(info.getValue())} />,
    });
  const amount = (kind: 'gpus' | 'disk', label: string) =>
    column.accessor(kind, {
      id: kind,
      header: label,
      meta: { numeric: true, firstOrder: 'desc' },
      cell: (info) => formatResource(kind, info.getValue()),
    });
  const sandbox = column.display({
    id: 'sandbox',
    header: () => <span className="visually-hidden">Sandbox</span>,
    cell: ({ row }) =>
      row.original.sandbox ? (
        <Link to={paths.browse.build(view.agentId, row.original.sandbox)}>Sandbox</Link>
      ) : (
        <span className="muted">Sandbox</span>
      ),
  });
  const resources = [
    allocatedAndLimit('cpus', 'CPUs'),
    amount('gpus', 'GPUs (allocated)'),
    allocatedAndLimit('mem', 'Mem'),
    amount('disk', 'Disk (allocated)'),
  ];
  switch (table) {
    case 'queued':
      return [id, name, ...resources, sandbox];
    case 'active':
      return [id, name, state, health, time('startTime', 'Started'), ...resources, sandbox];
    case 'completed':
      return [
        id,
        name,
        state,
        time('startTime', 'Started'),
        time('finishTime', 'Stopped'),
        ...resources,
        sandbox,
      ];
  }
}

function Summary({ view }: { view: ExecutorView }) {
  const { executor } = view;
  return (
    <section className="panel" aria-label="Executor" data-testid="executor-summary">
      <dl className="info-list">
        <dt>ID</dt>
        <dd className="mono break">
          <ClusterText text={executor.id} /> <CopyButton value={executor.id} />
        </dd>
        <dt>Name</dt>
        <dd className="break">
          {executor.name ? <ClusterText text={executor.name} /> : <span className="muted">-</span>}
        </dd>
        <dt>Source</dt>
        <dd className="break">
          {executor.source ? <ClusterText text={executor.source} /> : <span className="muted">-</span>}
        </dd>
        <dt>Role</dt>
        <dd className="break">
          {executor.role ? <ClusterText text={executor.role} /> : <span className="muted">-</span>}
        </dd>
        <dt>Type</dt>
        <dd>{executor.type ?? <span className="muted">-</span>}</dd>
        <dt>Container</dt>
        <dd className="mono break small">{executor.container ?? <span className="muted">-</span>}</dd>
        <dt>Cluster</dt>
        <dd className="break">{view.cluster ?? <span className="muted">-</span>}</dd>
        <dt>Master</dt>
        <dd className="break">{view.masterHostname ?? <span className="muted">-</span>}</dd>
        <dt>Agent</dt>
        <dd className="break">
          <Link to={paths.agent.build(view.agentId)}>{view.agentHostname}</Link>
        </dd>
        <dt>Framework</dt>
        <dd className="break clamp">
          <Link to={paths.agentFramework.build(view.agentId, view.frameworkId)}>
            <ClusterText text={view.frameworkName || view.frameworkId} />
          </Link>
        </dd>
        <dt>Active tasks</dt>
        <dd>{view.tasks.length}</dd>
        <dt>Sandbox</dt>
        <dd>
          {executor.directory ? (
            <Link to={paths.browse.build(view.agentId, executor.directory)}>Browse</Link>
          ) : (
            <span className="muted">-</span>
          )}
        </dd>
      </dl>
    </section>
  );
}

/** One executor on one agent: queued, active and completed tasks with allocation and limits. */
export function ExecutorDetail({
  agentId,
  frameworkId,
  executorId,
}: {
  agentId: string;
  frameworkId: string;
  executorId: string;
}) {
  const query = useExecutor(agentId, frameworkId, executorId);
  const view = query.data;
  const agentCrumb = { label: truncateMesosId(agentId), title: agentId, to: paths.agent.build(agentId) };
  const frameworkCrumb = {
    label: truncateMesosId(frameworkId),
    title: frameworkId,
    to: paths.agentFramework.build(agentId, frameworkId),
  };
  if (!view) {
    return (
      <>
        <AgentBreadcrumb crumbs={[agentCrumb, frameworkCrumb, { label: executorId }]} />
        <QueryFallback
          error={query.error}
          loadingLabel="Reading the agent…"
          notFound={{
            title: query.error?.message ?? `No executor found with ID: ${executorId}`,
            backTo: paths.agentFramework.build(agentId, frameworkId),
            backLabel: 'Back to the framework on this agent',
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
          { ...frameworkCrumb, label: view.frameworkName || frameworkCrumb.label },
          { label: executorId, title: executorId },
        ]}
      />
      <h1 className="page-title clamp">
        Executor{' '}
        <span className="mono break">
          <ClusterText text={executorId} max={80} />
        </span>
      </h1>
      <div className="two-column">
        <aside className="side-column" aria-label="Executor summary">
          <FreshnessNotice freshness={view} source="the agent" />
          {view.executor.completed && (
            <p className="notice" role="status">
              This executor has terminated.
            </p>
          )}
          <Summary view={view} />
          <ResourceMatrix
            title="Resources"
            testId="executor-resources"
            series={[
              { label: 'Used', values: { ...view.resources.used, gpus: null }, missingAs: { gpus: 'N/A' } },
              { label: 'Allocated', values: view.resources.allocated },
            ]}
          />
        </aside>
        <div className="main-column">
          <UrlDataTable
            prefix="queued"
            title="Queued Tasks"
            columns={taskColumns(view, 'queued')}
            rows={view.queuedTasks}
            getRowId={(row) => row.id}
            emptyMessage="No queued tasks."
            defaults={{ sort: 'id', order: 'asc' }}
          />
          <UrlDataTable
            prefix="tasks"
            title="Tasks"
            columns={taskColumns(view, 'active')}
            rows={view.tasks}
            getRowId={(row) => row.id}
            emptyMessage="No active tasks."
            defaults={{ sort: 'startTime', order: 'desc' }}
          />
          <UrlDataTable
            prefix="completed"
            title="Completed Tasks"
            columns={taskColumns(view, 'completed')}
            rows={view.completedTasks}
            getRowId={(row) => row.id}
            emptyMessage="No completed tasks."
            defaults={{ sort: 'finishTime', order: 'desc' }}
          />
        </div>
      </div>
    </>
  );
}
