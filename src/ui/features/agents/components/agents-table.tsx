import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { AgentRow } from '../../../../bff/schemas/views';
import type { ResourceKind } from '../../../../mesos/resources';
import { DataTable, type DataColumn } from '../../../components/data-table/data-table';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import { MesosId } from '../../../components/mesos-id';
import { formatUsage, RESOURCE_COLUMNS } from '../../../components/resources/format';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { useAgents } from '../api/get-agents';
import { AgentStateBadge } from './agent-state-badge';

const column = createColumnHelper<AgentRow>();

const usage = (kind: ResourceKind, label: string) =>
  column.accessor((row) => row.allocated[kind], {
    id: kind,
    header: `${label} (Allocated / Total)`,
    meta: { numeric: true, firstOrder: 'desc' },
    cell: ({ row }) => formatUsage(kind, row.original.allocated[kind], row.original.total[kind]),
  });

const time = (key: 'registeredTime' | 'reregisteredTime', label: string) =>
  column.accessor((row) => row[key] ?? undefined, {
    id: key,
    header: label,
    sortUndefined: 'last',
    meta: { firstOrder: 'desc' },
    cell: (info) => <RelativeTime ms={secondsToMs(info.getValue())} />,
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
    cell: (info) => <Link to={paths.agent.build(info.row.original.id)}>{info.getValue()}</Link>,
  }),
  column.accessor('state', {
    id: 'state',
    header: 'State',
    cell: ({ row }) => <AgentStateBadge state={row.original.state} />,
  }),
  ...RESOURCE_COLUMNS.map((resource) => usage(resource.kind, resource.label)),
  time('registeredTime', 'Registered'),
  time('reregisteredTime', 'Re-Registered'),
];

/** The agents table of the Mesos agents page (filtered, sorted and paged in the browser). */
export function AgentsTable() {
  const agents = useAgents();
  const [state, setState] = useTableUrlState('agents', { sort: 'host', order: 'asc' });
  return (
    <DataTable
      title="Agents"
      columns={agentColumns}
      data={agents.data?.agents}
      getRowId={(agent) => agent.id}
      emptyMessage="No agents."
      state={state}
      onStateChange={setState}
      error={agents.error}
      testId="agents"
    />
  );
}
