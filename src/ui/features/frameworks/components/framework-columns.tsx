import { createColumnHelper } from '@tanstack/react-table';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { CellText } from '../../../components/cluster-text/cell-text';
import type { FrameworkRow } from '../../../../bff/schemas/views';
import type { DataColumn } from '../../../components/data-table/data-table';
import { ExternalLink } from '../../../components/external-link';
import { MesosId } from '../../../components/mesos-id';
import { formatResource, formatShare } from '../../../components/resources/format';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { safeHttpUrl } from '../utils/safe-url';
import { FrameworkRoles } from '../../../components/roles/framework-roles';

const column = createColumnHelper<FrameworkRow>();

export function FrameworkHost({ framework }: { framework: FrameworkRow }) {
  const host = framework.hostname ?? '-';
  const url = safeHttpUrl(framework.webuiUrl);
  if (!url) return <CellText text={host} />;
  return (
    <ExternalLink href={url} title={`${host} (web UI: ${url})`}>
      <ClusterText text={host} max={Number.POSITIVE_INFINITY} />
    </ExternalLink>
  );
}

const id = column.accessor('id', {
  id: 'id',
  header: 'ID',
  cell: (info) => <MesosId id={info.getValue()} to={paths.framework.build(info.getValue())} />,
});
const host = column.accessor((row) => row.hostname ?? '', {
  id: 'host',
  header: 'Host',
  meta: { className: 'cell-truncate' },
  cell: ({ row }) => <FrameworkHost framework={row.original} />,
});
const user = column.accessor((row) => row.user ?? '', {
  id: 'user',
  header: 'User',
  meta: { className: 'cell-truncate', priority: 'low' },
  cell: (info) => <CellText text={info.getValue()} />,
});
const name = column.accessor('name', {
  id: 'name',
  header: 'Name',
  meta: { className: 'cell-truncate' },
  cell: (info) => <CellText text={info.getValue()} />,
});
const roles = column.accessor((row) => row.roles.join(', '), {
  id: 'roles',
  header: 'Roles',
  meta: { className: 'cell-truncate' },
  cell: ({ row }) => <FrameworkRoles roles={row.original.roles} frameworkId={row.original.id} />,
});
const principal = column.accessor((row) => row.principal ?? '', {
  id: 'principal',
  header: 'Principal',
  meta: { className: 'cell-truncate', priority: 'medium' },
  cell: (info) => (info.getValue() ? <CellText text={info.getValue()} /> : <span className="muted">-</span>),
});
const activeTasks = column.accessor('activeTasks', {
  id: 'activeTasks',
  header: 'Active Tasks',
  meta: { numeric: true, firstOrder: 'desc' },
});
const resource = (kind: 'cpus' | 'gpus' | 'mem' | 'disk', label: string) =>
  column.accessor((row) => row.resources[kind], {
    id: kind,
    header: label,
    meta: {
      numeric: true,
      firstOrder: 'desc',
      ...(kind === 'gpus' || kind === 'disk' ? { priority: 'low' as const } : {}),
    },
    cell: (info) => formatResource(kind, info.getValue()),
  });
const maxShare = column.accessor('maxShare', {
  id: 'maxShare',
  header: 'Max Share',
  meta: { numeric: true, firstOrder: 'desc', priority: 'low' },
  cell: (info) => formatShare(info.getValue()),
});
const time = (
  key: 'registeredTime' | 'reregisteredTime' | 'unregisteredTime',
  label: string,
  priority?: 'low' | 'medium',
) =>
  column.accessor((row) => row[key] ?? undefined, {
    id: key,
    header: label,
    sortUndefined: 'last',
    meta: { firstOrder: 'desc', ...(priority ? { priority } : {}) },
    cell: (info) => <RelativeTime ms={secondsToMs(info.getValue())} />,
  });

export const frameworkColumns: DataColumn<FrameworkRow>[] = [
  id,
  host,
  user,
  name,
  roles,
  principal,
  activeTasks,
  resource('cpus', 'CPUs'),
  resource('gpus', 'GPUs'),
  resource('mem', 'Mem'),
  resource('disk', 'Disk'),
  maxShare,
  time('registeredTime', 'Registered', 'low'),
  time('reregisteredTime', 'Re-Registered', 'medium'),
];

export const completedFrameworkColumns: DataColumn<FrameworkRow>[] = [
  id,
  host,
  user,
  name,
  roles,
  principal,
  time('registeredTime', 'Registered'),
  time('unregisteredTime', 'Unregistered'),
];
