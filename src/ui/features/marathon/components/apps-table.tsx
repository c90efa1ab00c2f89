import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { MarathonAppStatus, MarathonTreeRow } from '../../../../bff/schemas/marathon';
import { MARATHON_APP_STATUSES } from '../../../../bff/schemas/marathon';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import type { DataColumn } from '../../../components/data-table/data-table';
import { DataTable, PAGE_SIZE } from '../../../components/data-table/data-table';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import { formatResource } from '../../../components/resources/format';
import { paths } from '../../../config/paths';
import { useMarathonApps } from '../api/get-marathon';
import type { AppsSortKey } from '../utils/apps-tree';
import { visibleTree } from '../utils/apps-tree';
import { InstancesText, MarathonFreshnessNotice, MarathonStatusBadge } from './marathon-parts';
import { formatCount } from '../../../components/counts/format-count';

const SORT_KEYS: readonly AppsSortKey[] = ['id', 'status', 'running', 'cpus', 'mem'];

/** The last segment of an id: a row sits under its group, so the rest is said by the tree. */
function leafName(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1) || id;
}

function columns(marathon: string | null): DataColumn<MarathonTreeRow>[] {
  const column = createColumnHelper<MarathonTreeRow>();
  return [
    column.accessor('id', {
      id: 'id',
      header: 'Name',
      meta: { className: 'cell-truncate' },
      cell: ({ row }) => {
        const item = row.original;
        const indent = { paddingLeft: `${item.depth * 18}px` };
        if (item.kind === 'group') {
          return (
            <span className="tree-group" style={indent} title={item.id}>
              <span aria-hidden="true">▾ </span>
              <ClusterText text={leafName(item.id)} max={Infinity} />
              <span className="visually-hidden"> group {item.id}</span>
              <span className="muted small">
                {' '}
                {formatCount(item.apps)} {item.apps === 1 ? 'app' : 'apps'}
              </span>
            </span>
          );
        }
        return (
          <span style={indent} className="tree-app">
            <Link
              to={paths.marathonApp.build(item.id, marathon)}
              title={item.id}
              aria-label={`App ${item.id}`}
            >
              <ClusterText text={leafName(item.id)} max={Infinity} />
            </Link>
          </span>
        );
      },
    }),
    column.accessor((row) => (row.kind === 'app' ? row.status : ''), {
      id: 'status',
      header: 'Status',
      cell: ({ row }) => {
        const item = row.original;
        if (item.kind === 'app') {
          return (
            <>
              <MarathonStatusBadge status={item.status} />
              {item.delaySeconds !== null && (
                <span className="muted small"> {Math.ceil(item.delaySeconds)} s</span>
              )}
            </>
          );
        }
        const parts = MARATHON_APP_STATUSES.filter((status) => item.statuses[status]).map(
          (status) => `${item.statuses[status]} ${status.toLowerCase()}`,
        );
        return <span className="muted small">{parts.join(', ')}</span>;
      },
    }),
    column.accessor((row) => row.instances.running, {
      id: 'running',
      header: 'Instances',
      meta: { numeric: true, firstOrder: 'desc' },
      cell: ({ row }) => <InstancesText instances={row.original.instances} />,
    }),
    column.accessor('cpus', {
      id: 'cpus',
      header: 'CPUs',
      meta: { numeric: true, firstOrder: 'desc' },
      cell: ({ row }) => formatResource('cpus', row.original.cpus),
    }),
    column.accessor('mem', {
      id: 'mem',
      header: 'Mem',
      meta: { numeric: true, firstOrder: 'desc' },
      cell: ({ row }) => formatResource('mem', row.original.mem),
    }),
    column.accessor((row) => (row.kind === 'app' ? row.constraints.join(', ') : ''), {
      id: 'constraints',
      header: 'Constraints',
      enableSorting: false,
      meta: { className: 'cell-truncate mono small', priority: 'medium' },
      cell: (info) => (info.getValue() ? <ClusterText text={info.getValue() as string} max={200} /> : null),
    }),
  ];
}

function isStatus(value: string | null): value is MarathonAppStatus {
  return MARATHON_APP_STATUSES.includes(value as MarathonAppStatus);
}

/**
 * Marathon's apps as a tree of groups: each app's status and instances (running of wanted, healthy, unhealthy,
 * staged), its CPUs and memory per instance (groups: the sum of what their apps want) and constraints. The
 * filter (`apps.q`, `apps.status`) and the sort (siblings within their group) live in the URL.
 */
export function MarathonAppsTable({ marathon }: { marathon: string | null }) {
  const query = useMarathonApps(marathon);
  const [state, setState] = useTableUrlState('apps', { sort: 'id', order: 'asc' });
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('apps.status');
  const status = isStatus(statusParam) ? statusParam : null;
  const sort: AppsSortKey = SORT_KEYS.includes(state.sort as AppsSortKey)
    ? (state.sort as AppsSortKey)
    : 'id';
  const rows = useMemo(
    () =>
      query.data ? visibleTree(query.data.rows, { q: state.q, status, sort, order: state.order }) : undefined,
    [query.data, state.q, status, sort, state.order],
  );
  const page = rows?.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
  const counts = query.data?.counts;
  return (
    <>
      <MarathonFreshnessNotice marathon={query.data?.marathon} />
      <DataTable
        title="Groups and apps"
        columns={columns(marathon)}
        data={page}
        total={rows?.length ?? 0}
        unfilteredTotal={query.data?.rows.length}
        getRowId={(row) => `${row.kind} ${row.id}`}
        emptyMessage={status || state.q ? 'No app matches.' : 'No apps in this Marathon.'}
        state={state}
        onStateChange={setState}
        error={query.error}
        testId="marathon-apps"
        actions={
          <label className="marathon-status-filter">
            <span>Status</span>{' '}
            <select
              aria-label="Status"
              value={status ?? ''}
              onChange={(event) => {
                const next = new URLSearchParams(params);
                if (event.target.value) next.set('apps.status', event.target.value);
                else next.delete('apps.status');
                next.delete('apps.page');
                setParams(next, { preventScrollReset: true });
              }}
            >
              <option value="">Any</option>
              {MARATHON_APP_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {value}
                  {counts ? ` (${formatCount(counts[value])})` : ''}
                </option>
              ))}
            </select>
          </label>
        }
      />
    </>
  );
}
