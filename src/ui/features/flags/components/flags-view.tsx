import { createColumnHelper } from '@tanstack/react-table';
import { useSearchParams } from 'react-router';
import { AgentPicker } from '../../../components/agent-picker/agent-picker';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { DataTable, type DataColumn } from '../../../components/data-table/data-table';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import { useFlags } from '../api/get-flags';

interface FlagRow {
  name: string;
  value: string;
}

const column = createColumnHelper<FlagRow>();
const columns: DataColumn<FlagRow>[] = [
  column.accessor('name', {
    id: 'name',
    header: 'Flag',
    meta: { className: 'flag-name' },
    cell: (info) => <span className="mono">--{info.getValue()}</span>,
  }),
  column.accessor('value', {
    id: 'value',
    header: 'Value',
    meta: { className: 'cell-wrap mono' },
    cell: (info) =>
      info.getValue() ? <ClusterText text={info.getValue()} /> : <span className="muted">(empty)</span>,
  }),
];

/** The flags the leading master or a chosen agent was started with, filterable and sortable. */
export function FlagsView() {
  const [params, setParams] = useSearchParams();
  const agentId = params.get('agent') || null;
  const [table, setTable] = useTableUrlState('flags', { sort: 'name', order: 'asc' });
  const flags = useFlags(agentId);
  const rows = flags.data
    ? Object.entries(flags.data).map(([name, value]): FlagRow => ({ name, value }))
    : flags.data === null
      ? []
      : undefined;
  const pick = (id: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id) next.set('agent', id);
        else next.delete('agent');
        next.delete('flags.page');
        return next;
      },
      { preventScrollReset: true },
    );
  return (
    <div className="stack">
      <div className="filter-bar" role="search" aria-label="Flags source">
        <AgentPicker value={agentId} onChange={pick} />
      </div>
      <DataTable
        title={agentId === null ? 'Master flags' : 'Agent flags'}
        columns={columns}
        data={rows}
        getRowId={(row) => row.name}
        emptyMessage={
          flags.data === null
            ? `The ${agentId === null ? 'master' : 'agent'} does not show its flags to mesoscope (that needs the VIEW_FLAGS permission).`
            : 'No flags.'
        }
        state={table}
        onStateChange={setTable}
        error={flags.error}
        testId="flags"
        pageSize={100}
      />
    </div>
  );
}
