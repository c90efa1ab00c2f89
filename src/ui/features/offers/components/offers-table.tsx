import { createColumnHelper } from '@tanstack/react-table';
import { CellText } from '../../../components/cluster-text/cell-text';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Link } from 'react-router';
import type { OfferRow } from '../../../../bff/schemas/detail-views';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { MesosId } from '../../../components/mesos-id';
import { formatResource, RESOURCE_COLUMNS } from '../../../components/resources/format';
import { paths } from '../../../config/paths';
import { useOffers } from '../api/get-offers';

const column = createColumnHelper<OfferRow>();

const columns: DataColumn<OfferRow>[] = [
  column.accessor('id', { id: 'id', header: 'ID', cell: (info) => <MesosId id={info.getValue()} /> }),
  column.accessor((row) => row.role ?? '', {
    id: 'role',
    header: 'Role',
    meta: { className: 'cell-truncate' },
    cell: (info) =>
      info.getValue() ? <CellText text={info.getValue()} /> : <span className="muted">-</span>,
  }),
  column.accessor((row) => row.frameworkName ?? row.frameworkId, {
    id: 'framework',
    header: 'Framework',
    meta: { className: 'cell-truncate' },
    cell: ({ row }) => (
      <Link to={paths.framework.build(row.original.frameworkId)} title={row.original.frameworkId}>
        <ClusterText
          text={row.original.frameworkName || row.original.frameworkId}
          max={Number.POSITIVE_INFINITY}
        />
      </Link>
    ),
  }),
  column.accessor((row) => row.agentHostname ?? row.agentId, {
    id: 'host',
    header: 'Host',
    cell: ({ row }) =>
      row.original.agentHostname === null ? (
        <span className="muted" title={row.original.agentId}>
          Agent offline
        </span>
      ) : (
        <Link to={paths.agent.build(row.original.agentId)} title={row.original.agentId}>
          {row.original.agentHostname}
        </Link>
      ),
  }),
  ...RESOURCE_COLUMNS.map(({ kind, label }) =>
    column.accessor((row) => row.resources[kind], {
      id: kind,
      header: label,
      meta: { numeric: true, firstOrder: 'desc' },
      cell: (info) => formatResource(kind, info.getValue()),
    }),
  ),
];

/** Outstanding offers (the Mesos offers page). */
export function OffersTable() {
  const offers = useOffers();
  return (
    <UrlDataTable
      prefix="offers"
      title="Outstanding Offers"
      columns={columns}
      rows={offers.data?.offers}
      getRowId={(row) => row.id}
      emptyMessage="No outstanding offers."
      defaults={{ sort: 'id', order: 'asc' }}
      error={offers.error}
    />
  );
}
