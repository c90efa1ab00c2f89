import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { AgentRow } from '../../../../bff/schemas/views';
import type { ResourceKind } from '../../../../mesos/resources';
import { DataTable, PAGE_SIZE, type DataColumn } from '../../../components/data-table/data-table';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import { MesosId } from '../../../components/mesos-id';
import { formatUsage, RESOURCE_COLUMNS } from '../../../components/resources/format';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { useAgentsPage } from '../api/get-agents-page';
import { AgentStateBadge } from './agent-state-badge';
import { relativeTimeColumn } from './shared-columns';

const column = createColumnHelper<AgentRow>();

const usage = (kind: ResourceKind, label: string) =>
  column.accessor((row) => row.allocated[kind], {
    id: kind,
    header: `${label} (Allocated / Total)`,
    meta: { numeric: true, firstOrder: 'desc' },
    cell: ({ row }) => formatUsage(kind, row.original.allocated[kind], row.original.total[kind]),
  });

export const agentColumns: DataColumn<AgentRow>[] = [
  column.accessor('id', {
    id: 'id',
    header: 'ID',
    cell: (info) => <MesosId id={info.getValue()} to={paths.agent.build(info.getValue())} />,
  }),
  column.accessor('hostname', {
    id: 'host',
    header: 'Host',
    cell: (info) => (
      <Link to={paths.agent.build(info.row.original.id)}>
        {info.getValue() || <span className="muted">host unknown</span>}
      </Link>
    ),
  }),
  column.accessor('state', {
    id: 'state',
    header: 'State',
    cell: ({ row }) => (
      <span className="agent-state-cell">
        <AgentStateBadge state={row.original.state} />
        {row.original.departedTime !== null && (
          <span className="muted">
            {' since '}
            <RelativeTime ms={secondsToMs(row.original.departedTime)} />
          </span>
        )}
      </span>
    ),
  }),
  ...RESOURCE_COLUMNS.map((resource) => usage(resource.kind, resource.label)),
  relativeTimeColumn<AgentRow>('registeredTime', 'Registered', (row) => row.registeredTime),
  relativeTimeColumn<AgentRow>('reregisteredTime', 'Re-Registered', (row) => row.reregisteredTime),
];

/** Agents per page: a long page that scrolls (rendered a screenful at a time) rather than 200 pages of 50. */
const AGENTS_PER_PAGE = 500;

/**
 * The agents table of the Mesos agents page, filtered, sorted and paged by the server: a cluster of 10,000
 * agents costs the browser one page, and the page's DOM only the rows in view.
 */
export function AgentsTable() {
  const [state, setState] = useTableUrlState('agents', { sort: 'host', order: 'asc' });
  const agents = useAgentsPage({
    q: state.q.trim(),
    sort: state.sort ?? 'host',
    order: state.order,
    offset: state.page * AGENTS_PER_PAGE,
    limit: AGENTS_PER_PAGE,
  });
  return (
    <DataTable
      title="Agents"
      columns={agentColumns}
      data={agents.data?.rows}
      total={agents.data?.total ?? 0}
      unfilteredTotal={agents.data?.unfiltered}
      getRowId={(agent) => agent.id}
      pageSize={AGENTS_PER_PAGE}
      virtualizeFrom={PAGE_SIZE}
      emptyMessage="No agents."
      state={state}
      onStateChange={setState}
      error={agents.error}
      testId="agents"
    />
  );
}
