import { createColumnHelper } from '@tanstack/react-table';
import { useCallback } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AgentRow } from '../../../../bff/schemas/views';
import type { ResourceKind } from '../../../../mesos/resources';
import { DataTable, PAGE_SIZE, type DataColumn } from '../../../components/data-table/data-table';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import { MesosId } from '../../../components/mesos-id';
import { FacetSelect } from '../../../components/filters/facet-select';
import { RESOURCE_COLUMNS } from '../../../components/resources/format';
import { ShareBar } from '../../../components/resources/share-bar';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { useAgentFailures } from '../../history/api/get-history';
import {
  AGENTS_PER_PAGE,
  AGENTS_TABLE,
  AGENTS_TABLE_DEFAULTS,
  agentsPageQuery,
  useAgentsPage,
} from '../api/get-agents-page';
import { AgentStateBadge } from '../../../components/badges/agent-state-badge';
import { relativeTimeColumn } from './shared-columns';

const column = createColumnHelper<AgentRow>();

const usage = (kind: ResourceKind, label: string) =>
  column.accessor((row) => row.allocated[kind], {
    id: kind,
    header: `${label} allocated`,
    meta: { numeric: true, firstOrder: 'desc', className: 'cell-share' },
    cell: ({ row }) => (
      <ShareBar kind={kind} used={row.original.allocated[kind]} total={row.original.total[kind]} />
    ),
  });

const usageColumns = RESOURCE_COLUMNS.map((resource) => usage(resource.kind, resource.label));
const withoutGpus = usageColumns.filter((resource) => resource.id !== 'gpus');

function agentColumns(gpus: boolean): DataColumn<AgentRow>[] {
  return gpus ? columnsWithGpus : columnsWithoutGpus;
}

const leadColumns: DataColumn<AgentRow>[] = [
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
];
/** An agent's failures in the last 24 h, from the task history (one shared request for the whole table). */
function Failures24h({ agentId }: { agentId: string }) {
  const failures = useAgentFailures();
  if (!failures.data) return <span className="muted">-</span>;
  const count = failures.data.agents[agentId] ?? 0;
  return count > 0 ? <span className="badge tone-bad">{count}</span> : <span className="muted">0</span>;
}

const failureColumn: DataColumn<AgentRow> = column.display({
  id: 'failures24h',
  header: 'Failures 24 h',
  enableSorting: false,
  meta: { numeric: true },
  cell: ({ row }) => <Failures24h agentId={row.original.id} />,
});

const timeColumns: DataColumn<AgentRow>[] = [
  failureColumn,
  relativeTimeColumn<AgentRow>('registeredTime', 'Registered', (row) => row.registeredTime),
  relativeTimeColumn<AgentRow>('reregisteredTime', 'Re-Registered', (row) => row.reregisteredTime),
];
// The same arrays from poll to poll, so that unchanged rows are not rendered again.
const columnsWithGpus = [...leadColumns, ...usageColumns, ...timeColumns];
const columnsWithoutGpus = [...leadColumns, ...withoutGpus, ...timeColumns];

/** The State filter, in the URL as `?state=` (one state, or several separated by commas). */
function useAgentStateFilter(): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (value: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value === '') next.delete('state');
          else next.set('state', value);
          next.delete('agents.page');
          return next;
        },
        { preventScrollReset: true },
      ),
    [setParams],
  );
  return [params.get('state') ?? '', set];
}

/**
 * The agents table of the Mesos agents page, filtered, sorted and paged by the server: a cluster of 10,000
 * agents costs the browser one page, and the page's DOM only the rows in view.
 */
export function AgentsTable() {
  const [state, setState] = useTableUrlState(AGENTS_TABLE, AGENTS_TABLE_DEFAULTS);
  const [agentState, setAgentState] = useAgentStateFilter();
  const agents = useAgentsPage(agentsPageQuery(state, agentState));
  return (
    <DataTable
      title="Agents"
      columns={agentColumns(agents.data?.gpus ?? false)}
      actions={
        <FacetSelect
          label="State"
          value={agentState}
          options={agents.data?.states}
          onChange={setAgentState}
        />
      }
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
