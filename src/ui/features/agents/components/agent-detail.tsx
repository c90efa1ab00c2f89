import type { ReactNode } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { CellText } from '../../../components/cluster-text/cell-text';
import { Link } from 'react-router';
import type {
  AgentDetailView,
  AgentFrameworkRow,
  ReservationRow,
  ResourceProviderSummary,
} from '../../../../bff/schemas/detail-views';
import type { TaskRow } from '../../../../bff/schemas/views';
import { truncateMesosId } from '../../../../mesos/ids';
import { humanDuration } from '../../../../mesos/time';
import { CopyButton } from '../../../components/copy-button';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { FreshnessNotice } from '../../../components/freshness-notice';
import { MesosId } from '../../../components/mesos-id';
import { QueryFallback } from '../../../components/query-fallback';
import { formatResource, formatUsage, RESOURCE_COLUMNS } from '../../../components/resources/format';
import { ResourceMatrix } from '../../../components/resources/resource-matrix';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths, serverUrls } from '../../../config/paths';
import { FrameworkRoles } from '../../../components/roles/framework-roles';
import { TaskCountsTable } from '../../../components/counts/task-counts';
import { useAgent } from '../api/get-agent';
import { ActiveAndCompletedTables } from './active-and-completed-tables';
import { AgentBreadcrumb } from '../../../components/breadcrumb/agent-breadcrumb';
import { AgentStateBadge } from '../../../components/badges/agent-state-badge';
import { DepartedAgentDetail } from './departed-agent-detail';
import { countColumn, textColumn, usedOfAllocatedColumns } from './shared-columns';
import { Dash } from '../../../components/detail/detail-parts';
import { usedAndAllocated } from './used-and-allocated';

function AgentInfo({ view }: { view: AgentDetailView }) {
  return (
    <section className="panel" aria-label="Agent" data-testid="agent-summary">
      <dl className="info-list">
        <dt>ID</dt>
        <dd className="mono break">
          {view.agentId} <CopyButton value={view.agentId} />
        </dd>
        <dt>Host</dt>
        <dd className="break">
          {view.hostname}
          {view.port !== null && <span className="muted">:{view.port}</span>}
        </dd>
        <dt>State</dt>
        <dd data-testid="agent-state">
          <AgentStateBadge state={view.state} />
        </dd>
        <dt>Cluster</dt>
        <dd className="break">{view.cluster ?? <Dash />}</dd>
        <dt>Master</dt>
        <dd className="break">{view.masterHostname ?? <Dash />}</dd>
        <dt>Version</dt>
        <dd>{view.version ?? <Dash />}</dd>
        <dt>Built</dt>
        <dd>
          {view.buildTime !== null ? (
            <RelativeTime ms={secondsToMs(view.buildTime)} />
          ) : (
            (view.buildDate ?? <Dash />)
          )}
          {view.buildUser && <> by {view.buildUser}</>}
        </dd>
        <dt>Started</dt>
        <dd>
          <RelativeTime ms={secondsToMs(view.startTime)} />
        </dd>
        <dt>Registered</dt>
        <dd>
          <RelativeTime ms={secondsToMs(view.registeredTime)} />
        </dd>
        <dt>Re-registered</dt>
        <dd>
          <RelativeTime ms={secondsToMs(view.reregisteredTime)} />
        </dd>
        {view.logAvailable && (
          <>
            <dt>Agent Log</dt>
            <dd className="link-list">
              <Link to={paths.agentLog.build(view.agentId)}>View</Link>
              <a href={serverUrls.agentDownload(view.agentId, '/slave/log')} download>
                Download
              </a>
            </dd>
          </>
        )}
        <dt>Metrics</dt>
        <dd className="link-list">
          <Link to={paths.metrics.build(view.agentId)}>Metrics</Link>
          <Link to={paths.flags.build(view.agentId)}>Flags</Link>
        </dd>
        {Object.keys(view.attributes).length > 0 && (
          <>
            <dt>Attributes</dt>
            <dd className="small break">
              {Object.entries(view.attributes)
                .map(([key, value]) => `${key}:${value}`)
                .join('; ')}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Draining({ drain }: { drain: NonNullable<AgentDetailView['drain']> }) {
  return (
    <section className="panel" aria-labelledby="agent-draining" data-testid="agent-draining">
      <h2 id="agent-draining">Draining</h2>
      <dl className="info-list">
        <dt>State</dt>
        <dd>{drain.state ?? <Dash />}</dd>
        <dt>Mark gone</dt>
        <dd>{drain.markGone === null ? <Dash /> : drain.markGone ? 'yes' : 'no'}</dd>
        <dt>Grace period</dt>
        <dd>{drain.maxGracePeriodSecs === null ? <Dash /> : humanDuration(drain.maxGracePeriodSecs)}</dd>
        <dt>Started</dt>
        <dd>
          <RelativeTime ms={secondsToMs(drain.estimatedDrainStart)} />
        </dd>
        <dt>Estimated end</dt>
        <dd data-testid="agent-drain-end">
          <RelativeTime ms={secondsToMs(drain.estimatedDrainEnd)} />
        </dd>
      </dl>
    </section>
  );
}

const providerColumn = createColumnHelper<ResourceProviderSummary>();
const providerColumns: DataColumn<ResourceProviderSummary>[] = [
  providerColumn.accessor('id', {
    id: 'id',
    header: 'ID',
    cell: (info) => <MesosId id={info.getValue()} />,
  }),
  providerColumn.accessor('name', { id: 'name', header: 'Name' }),
  providerColumn.accessor('type', { id: 'type', header: 'Type' }),
  providerColumn.accessor('disk', {
    id: 'disk',
    header: 'Disk',
    meta: { numeric: true, firstOrder: 'desc' },
    cell: (info) => formatResource('disk', info.getValue()),
  }),
];

const reservationColumn = createColumnHelper<ReservationRow>();
const reservationColumns: DataColumn<ReservationRow>[] = [
  reservationColumn.accessor((row) => row.role ?? '', {
    id: 'role',
    header: 'Role',
    meta: { className: 'cell-truncate' },
    cell: ({ row }) =>
      row.original.role === null ? <em>Unreserved</em> : <CellText text={row.original.role} />,
  }),
  ...RESOURCE_COLUMNS.map(({ kind, label }) =>
    reservationColumn.accessor((row) => row.reserved[kind], {
      id: kind,
      header: `${label} (Allocated / Reserved)`,
      meta: {
        numeric: true,
        firstOrder: 'desc',
        ...(kind === 'gpus' || kind === 'disk' ? { priority: 'low' as const } : {}),
      },
      cell: ({ row }) => formatUsage(kind, row.original.allocated[kind], row.original.reserved[kind]),
    }),
  ),
];

function frameworkColumns(agentId: string, completed: boolean): DataColumn<AgentFrameworkRow>[] {
  const column = createColumnHelper<AgentFrameworkRow>();
  const lead: DataColumn<AgentFrameworkRow>[] = [
    column.accessor('id', {
      id: 'id',
      header: 'ID',
      cell: (info) => (
        <MesosId id={info.getValue()} to={paths.agentFramework.build(agentId, info.getValue())} />
      ),
    }),
    {
      ...textColumn<AgentFrameworkRow>('user', 'User', (row) => row.user ?? ''),
      meta: { className: 'cell-truncate', priority: 'medium' },
    },
    textColumn<AgentFrameworkRow>('name', 'Name', (row) => row.name),
    column.accessor((row) => row.roles.join(', '), {
      id: 'roles',
      header: 'Roles',
      meta: { className: 'cell-truncate', priority: 'medium' },
      cell: ({ row }) => <FrameworkRoles roles={row.original.roles} frameworkId={row.original.id} />,
    }),
  ];
  if (completed) return lead;
  return [
    ...lead,
    countColumn<AgentFrameworkRow>('activeTasks', 'Active Tasks', (row) => row.activeTasks),
    ...usedOfAllocatedColumns<AgentFrameworkRow>(),
  ];
}

/**
 * The Mesos agent page: what the master and the agent itself say about one agent; `tasks` (the tables of the
 * tasks on it, from the tasks feature) comes before its frameworks.
 */
export function AgentDetail({
  agentId,
  tasks,
  actions,
  departedTaskColumns = [],
}: {
  agentId: string;
  tasks?: ReactNode;
  /** What an operator may do with the agent (shown under the title). */
  actions?: ReactNode;
  /** Columns of the tasks that ran on an agent the master no longer lists. */
  departedTaskColumns?: DataColumn<TaskRow>[];
}) {
  const query = useAgent(agentId);
  const data = query.data;
  if (data && 'departed' in data)
    return <DepartedAgentDetail view={data} taskColumns={departedTaskColumns} />;
  const view = data;
  if (!view) {
    return (
      <>
        <AgentBreadcrumb crumbs={[{ label: truncateMesosId(agentId), title: agentId }]} />
        <QueryFallback
          error={query.error}
          loadingLabel="Reading the agent…"
          notFound={{
            title: `No agent found with ID: ${agentId}`,
            backTo: paths.agents.build(),
            backLabel: 'All agents',
          }}
          onRetry={() => void query.refetch()}
        />
      </>
    );
  }
  const { resources } = view;
  return (
    <>
      <AgentBreadcrumb
        crumbs={[{ label: `${view.hostname} (${truncateMesosId(agentId)})`, title: agentId }]}
      />
      <h1 className="page-title">
        Agent{' '}
        <span className="break">
          <ClusterText text={view.hostname} max={80} />
        </span>
      </h1>
      {actions}
      <div className="two-column">
        <aside className="side-column" aria-label="Agent summary">
          <FreshnessNotice freshness={view} source="the agent" />
          {query.isError && (
            <p className="notice" role="status">
              <span className="stale-pill">Stale</span> Could not refresh: {query.error.message}
            </p>
          )}
          <AgentInfo view={view} />
          {view.drain && <Draining drain={view.drain} />}
          {view.tasks ? (
            <TaskCountsTable tasks={view.tasks} omit={['unreachable']} scope={{ agent: agentId }} />
          ) : (
            <section className="panel" aria-labelledby="agent-tasks">
              <h2 id="agent-tasks">Tasks</h2>
              <p className="empty-state">The agent's metrics could not be read.</p>
            </section>
          )}
        </aside>
        <div className="main-column">
          <ResourceMatrix
            title="Resources"
            testId="agent-resources"
            series={[
              ...usedAndAllocated(resources),
              { label: 'Available', values: resources.available },
              { label: 'Total', values: resources.total },
            ]}
          />
          {view.resourceProviders.length > 0 && (
            <UrlDataTable
              prefix="providers"
              title="Resource Providers"
              columns={providerColumns}
              rows={view.resourceProviders}
              getRowId={(row) => row.id}
              emptyMessage="No resource providers."
              defaults={{ sort: 'id', order: 'asc' }}
            />
          )}
          <UrlDataTable
            prefix="reservations"
            title="Resource Reservations"
            columns={reservationColumns}
            rows={view.reservations}
            getRowId={(row) => row.role ?? '*unreserved*'}
            emptyMessage="No reservations."
          />
          {tasks}
          <ActiveAndCompletedTables
            prefix="frameworks"
            title="Frameworks"
            columns={(completed) => frameworkColumns(agentId, completed)}
            rows={view.frameworks}
            completedRows={view.completedFrameworks}
            emptyMessage="No frameworks on this agent."
            defaults={{ sort: 'name', order: 'asc' }}
          />
        </div>
      </div>
    </>
  );
}
