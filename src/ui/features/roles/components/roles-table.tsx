import { createColumnHelper } from '@tanstack/react-table';
import { CellText } from '../../../components/cluster-text/cell-text';
import { useId, useState } from 'react';
import type { QuotaAmounts, RoleRow } from '../../../../bff/schemas/detail-views';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { FreshnessNotice } from '../../../components/freshness-notice';
import { formatResource, RESOURCE_COLUMNS } from '../../../components/resources/format';
import type { ResourceKind } from '../../../components/resources/format';
import { useRoles } from '../api/get-roles';
import type { RoleColumnGroup } from './role-column-groups';
import { readRoleGroups, ROLE_COLUMN_GROUPS, writeRoleGroups } from './role-column-groups';

const column = createColumnHelper<RoleRow>();

/** Zero or absent amounts read "-", as in the Mesos UI. */
function amount(kind: ResourceKind, value: number | null | undefined) {
  return value === null || value === undefined || value === 0 ? (
    <span className="muted">-</span>
  ) : (
    formatResource(kind, value)
  );
}

type AmountGroup = 'allocated' | 'offered' | 'reserved' | 'guarantee' | 'limit' | 'consumed';

function pick(row: RoleRow, group: AmountGroup): Partial<Record<ResourceKind, number>> | QuotaAmounts {
  switch (group) {
    case 'allocated':
    case 'offered':
    case 'reserved':
      return row[group];
    default:
      return row.quota[group];
  }
}

function resourceGroup(group: AmountGroup, label: string, tooltip?: string): DataColumn<RoleRow> {
  return column.group({
    id: group,
    header: () => <span title={tooltip}>{label}</span>,
    columns: RESOURCE_COLUMNS.map(({ kind, label: resource }) =>
      column.accessor((row) => pick(row, group)[kind] ?? undefined, {
        id: `${group}.${kind}`,
        header: resource,
        sortUndefined: 'last',
        meta: { numeric: true, firstOrder: 'desc' },
        cell: (info) => amount(kind, info.getValue()),
      }),
    ),
  });
}

function roleColumns(shown: ReadonlySet<RoleColumnGroup>): DataColumn<RoleRow>[] {
  const columns: DataColumn<RoleRow>[] = [
    column.accessor('name', {
      id: 'name',
      header: 'Role',
      meta: { className: 'cell-truncate' },
      cell: (info) => <CellText text={info.getValue()} />,
    }),
  ];
  if (shown.has('weight')) {
    columns.push(
      column.accessor('weight', {
        id: 'weight',
        header: 'Weight',
        meta: { numeric: true, firstOrder: 'desc' },
      }),
    );
  }
  if (shown.has('frameworks')) {
    columns.push(
      column.accessor((row) => row.frameworks.length, {
        id: 'frameworks',
        header: 'Frameworks',
        meta: { numeric: true, firstOrder: 'desc' },
        cell: ({ row }) => (
          <span title={row.original.frameworks.map((f) => f.name ?? f.id).join('\n')}>
            {row.original.frameworks.length || <span className="muted">-</span>}
          </span>
        ),
      }),
    );
  }
  if (shown.has('allocated')) columns.push(resourceGroup('allocated', 'Allocated'));
  if (shown.has('offered')) columns.push(resourceGroup('offered', 'Offered'));
  if (shown.has('reserved')) columns.push(resourceGroup('reserved', 'Reserved'));
  if (shown.has('guarantee')) columns.push(resourceGroup('guarantee', 'Quota Guarantee'));
  if (shown.has('limit')) columns.push(resourceGroup('limit', 'Quota Limit'));
  if (shown.has('consumed'))
    columns.push(resourceGroup('consumed', 'Quota Consumption', 'Allocated or Reserved'));
  return columns;
}

function ColumnChooser({
  shown,
  onChange,
}: {
  shown: ReadonlySet<RoleColumnGroup>;
  onChange: (next: Set<RoleColumnGroup>) => void;
}) {
  const legendId = useId();
  return (
    <fieldset className="column-chooser panel" aria-labelledby={legendId}>
      <legend id={legendId}>Columns</legend>
      {ROLE_COLUMN_GROUPS.map((group) => (
        <label key={group.key} className="checkbox">
          <input
            type="checkbox"
            checked={shown.has(group.key)}
            onChange={(event) => {
              const next = new Set(shown);
              if (event.target.checked) next.add(group.key);
              else next.delete(group.key);
              onChange(next);
            }}
          />
          {group.label}
        </label>
      ))}
    </fieldset>
  );
}

/** Roles with weight, frameworks, allocation, offers, reservations and quota (the Mesos roles page). */
export function RolesTable() {
  const roles = useRoles();
  const [shown, setShown] = useState(readRoleGroups);
  const view = roles.data;
  return (
    <>
      <ColumnChooser
        shown={shown}
        onChange={(next) => {
          setShown(next);
          writeRoleGroups(next);
        }}
      />
      <FreshnessNotice freshness={view} source="the leading master" />
      {view && !view.supported && (
        <p className="notice" role="status">
          This master has no /master/roles endpoint (Mesos before 0.21): there is nothing to show.
        </p>
      )}
      {view?.allocatedIncludesOffered && (
        <p className="notice" role="status">
          This master reports one amount per role (allocated and offered together, Mesos before 1.0); it is
          shown as Allocated.
        </p>
      )}
      <UrlDataTable
        prefix="roles"
        title="Roles"
        columns={roleColumns(shown)}
        rows={view?.roles}
        getRowId={(row) => row.name}
        emptyMessage="No roles."
        defaults={{ sort: 'name', order: 'asc' }}
        error={roles.error}
      />
    </>
  );
}
