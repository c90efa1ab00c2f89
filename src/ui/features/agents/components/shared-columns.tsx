/** Columns shared by the tables of the agents list and the agent, framework-on-agent and executor pages. */
import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { UsedResources } from '../../../../bff/schemas/detail-views';
import type { Resources } from '../../../../bff/schemas/views';
import { CellText } from '../../../components/cluster-text/cell-text';
import type { DataColumn } from '../../../components/data-table/data-table';
import { RESOURCE_COLUMNS } from '../../../components/resources/format';
import { formatUsedOf } from '../../../components/resources/used-of';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { FreeTextId } from './free-text-id';

/** An ID the framework chose, linked where `linkTo` gives a page for it. */
export function freeTextIdColumn<T extends { id: string }>(linkTo: (id: string) => string | undefined) {
  return createColumnHelper<T>().accessor((row) => row.id, {
    id: 'id',
    header: 'ID',
    meta: { className: 'cell-truncate' },
    cell: (info) => <FreeTextId id={info.getValue()} to={linkTo(info.getValue())} />,
  });
}

/** Free text from the cluster, ellipsized by the cell. */
export function textColumn<T>(id: string, header: string, text: (row: T) => string) {
  return createColumnHelper<T>().accessor(text, {
    id,
    header,
    meta: { className: 'cell-truncate' },
    cell: (info) => <CellText text={info.getValue()} />,
  });
}

export function countColumn<T>(id: string, header: string, count: (row: T) => number) {
  return createColumnHelper<T>().accessor(count, {
    id,
    header,
    meta: { numeric: true, firstOrder: 'desc' },
  });
}

/** A Mesos time (seconds) shown as "3 minutes ago"; rows without one sort last. */
export function relativeTimeColumn<T>(id: string, header: string, seconds: (row: T) => number | null) {
  return createColumnHelper<T>().accessor((row: T) => seconds(row) ?? undefined, {
    id,
    header,
    sortUndefined: 'last',
    meta: { firstOrder: 'desc' },
    cell: (info) => <RelativeTime ms={secondsToMs(info.getValue())} />,
  });
}

/** One "Used / Allocated" column per resource, sorted by the allocated amount. */
export function usedOfAllocatedColumns<
  T extends { used: UsedResources; allocated: Resources },
>(): DataColumn<T>[] {
  const column = createColumnHelper<T>();
  return RESOURCE_COLUMNS.map(({ kind, label }) =>
    column.accessor((row) => row.allocated[kind], {
      id: kind,
      header: `${label} (Used / Allocated)`,
      meta: {
        numeric: true,
        firstOrder: 'desc',
        ...(kind === 'gpus' || kind === 'disk' ? { priority: 'low' as const } : {}),
      },
      cell: ({ row }) =>
        formatUsedOf(kind, kind === 'gpus' ? null : row.original.used[kind], row.original.allocated[kind]),
    }),
  );
}

/** A link to the row's sandbox on the agent, or the word greyed out when it has none. */
export function sandboxColumn<T>(agentId: string, directory: (row: T) => string) {
  return createColumnHelper<T>().display({
    id: 'sandbox',
    header: () => <span className="visually-hidden">Sandbox</span>,
    cell: ({ row }) => {
      const path = directory(row.original);
      return path ? (
        <Link to={paths.browse.build(agentId, path)}>Sandbox</Link>
      ) : (
        <span className="muted">Sandbox</span>
      );
    },
  });
}
