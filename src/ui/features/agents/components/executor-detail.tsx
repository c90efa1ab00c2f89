import { createColumnHelper } from '@tanstack/react-table';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Link } from 'react-router';
import type { AllocatedAndLimit, ExecutorTaskRow, ExecutorView } from '../../../../bff/schemas/detail-views';
import { truncateMesosId } from '../../../../mesos/ids';
import type { ResourceKind } from '../../../../mesos/resources';
import { CopyButton } from '../../../components/copy-button';
import type { DataColumn } from '../../../components/data-table/data-table';
import type { SortOrder } from '../../../components/data-table/table-state';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { QueryFallback } from '../../../components/query-fallback';
import { formatResource } from '../../../components/resources/format';
import { paths } from '../../../config/paths';
import { TaskHealth, TaskStateBadge } from '../../../components/badges/task-state-badge';
import { useExecutor } from '../api/get-executor';
import { AgentBreadcrumb, agentCrumb } from '../../../components/breadcrumb/agent-breadcrumb';
import { DetailSideColumn } from './detail-side-column';
import { freeTextIdColumn, relativeTimeColumn, sandboxColumn, textColumn } from './shared-columns';
import { Dash } from '../../../components/detail/detail-parts';
import { OptionalText } from './summary-values';

type TaskTable = 'queued' | 'active' | 'completed';

/** The task tables in page order; `prefix` keys each one's state in the URL. */
const TASK_TABLES: { table: TaskTable; prefix: string; title: string; sort: string; order: SortOrder }[] = [
  { table: 'queued', prefix: 'queued', title: 'Queued Tasks', sort: 'id', order: 'asc' },
  { table: 'active', prefix: 'tasks', title: 'Tasks', sort: 'startTime', order: 'desc' },
  { table: 'completed', prefix: 'completed', title: 'Completed Tasks', sort: 'finishTime', order: 'desc' },
];

function limitText(kind: ResourceKind, value: AllocatedAndLimit['limit']) {
  if (value === null) return <Dash />;
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
  const id = freeTextIdColumn<ExecutorTaskRow>((taskId) =>
    table === 'queued' ? undefined : paths.task.build(view.frameworkId, taskId),
  );
  const name = textColumn<ExecutorTaskRow>('name', 'Name', (row) => row.name);
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
  const started = relativeTimeColumn<ExecutorTaskRow>('startTime', 'Started', (row) => row.startTime);
  const stopped = relativeTimeColumn<ExecutorTaskRow>('finishTime', 'Stopped', (row) => row.finishTime);
  const amount = (kind: 'gpus' | 'disk', label: string) =>
    column.accessor(kind, {
      id: kind,
      header: label,
      meta: { numeric: true, firstOrder: 'desc' },
      cell: (info) => formatResource(kind, info.getValue()),
    });
  const sandbox = sandboxColumn<ExecutorTaskRow>(view.agentId, (row) => row.sandbox);
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
      return [id, name, state, health, started, ...resources, sandbox];
    case 'completed':
      return [id, name, state, started, stopped, ...resources, sandbox];
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
          <OptionalText text={executor.name} />
        </dd>
        <dt>Source</dt>
        <dd className="break">
          <OptionalText text={executor.source} />
        </dd>
        <dt>Role</dt>
        <dd className="break">
          <OptionalText text={executor.role} />
        </dd>
        <dt>Type</dt>
        <dd>{executor.type ?? <Dash />}</dd>
        <dt>Container</dt>
        <dd className="mono break small">{executor.container ?? <Dash />}</dd>
        <dt>Cluster</dt>
        <dd className="break">{view.cluster ?? <Dash />}</dd>
        <dt>Master</dt>
        <dd className="break">{view.masterHostname ?? <Dash />}</dd>
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
            <Dash />
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
  const frameworkCrumb = {
    label: truncateMesosId(frameworkId),
    title: frameworkId,
    to: paths.agentFramework.build(agentId, frameworkId),
  };
  if (!view) {
    return (
      <>
        <AgentBreadcrumb crumbs={[agentCrumb(agentId), frameworkCrumb, { label: executorId }]} />
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
  const taskRows = { queued: view.queuedTasks, active: view.tasks, completed: view.completedTasks };
  return (
    <>
      <AgentBreadcrumb
        crumbs={[
          agentCrumb(agentId, view.agentHostname),
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
        <DetailSideColumn
          label="Executor summary"
          view={view}
          endedNotice={view.executor.completed ? 'This executor has terminated.' : null}
          resourcesTestId="executor-resources"
        >
          <Summary view={view} />
        </DetailSideColumn>
        <div className="main-column">
          {TASK_TABLES.map(({ table, prefix, title, sort, order }) => (
            <UrlDataTable
              key={table}
              prefix={prefix}
              title={title}
              columns={taskColumns(view, table)}
              rows={taskRows[table]}
              getRowId={(row) => row.id}
              emptyMessage={`No ${table} tasks.`}
              defaults={{ sort, order }}
            />
          ))}
        </div>
      </div>
    </>
  );
}
