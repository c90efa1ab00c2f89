import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { FrameworkApp } from '../../../../bff/schemas/detail-views';
import { CellText } from '../../../components/cluster-text/cell-text';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { paths } from '../../../config/paths';
import { formatCount } from '../../../components/counts/format-count';

/** The Tasks page for one app's instances: the framework's tasks whose text holds the app's name. */
function appTasks(frameworkId: string, name: string, state?: string): string {
  const search = new URLSearchParams({ framework: frameworkId, 'tasks.q': name });
  if (state) search.set('state', state);
  return paths.tasks.build(search.toString());
}

function appColumns(frameworkId: string): DataColumn<FrameworkApp>[] {
  const column = createColumnHelper<FrameworkApp>();
  const count = (
    id: 'active' | 'running' | 'unreachable' | 'completed' | 'failed',
    header: string,
    state?: string,
  ) =>
    column.accessor(id, {
      id,
      header,
      meta: { numeric: true, firstOrder: 'desc' },
      cell: ({ row }) => {
        const value = row.original[id];
        if (value === 0) return <span className="muted">0</span>;
        return (
          <Link
            to={appTasks(frameworkId, row.original.name, state)}
            className={id === 'failed' ? 'tone-text-bad' : undefined}
          >
            {formatCount(value)}
          </Link>
        );
      },
    });
  return [
    column.accessor('name', {
      id: 'name',
      header: 'App',
      meta: { className: 'cell-truncate' },
      cell: (info) => <CellText text={info.getValue()} />,
    }),
    count('running', 'Running', 'TASK_RUNNING'),
    count('active', 'Active'),
    count('unreachable', 'Unreachable'),
    count(
      'failed',
      'Failed',
      'TASK_FAILED,TASK_ERROR,TASK_LOST,TASK_GONE,TASK_GONE_BY_OPERATOR,TASK_DROPPED',
    ),
    count('completed', 'Completed'),
    column.display({
      id: 'logs',
      header: () => <span className="visually-hidden">Logs</span>,
      cell: ({ row }) => (
        <span className="link-list">
          <Link to={paths.appLogs.build(frameworkId, row.original.name, 'stdout')}>stdout</Link>
          <Link to={paths.appLogs.build(frameworkId, row.original.name, 'stderr')}>stderr</Link>
        </span>
      ),
    }),
  ];
}

/**
 * A framework's apps (its tasks grouped by name, as Marathon names every instance of an app), with their
 * instance counts, each a link to those tasks, and the logs of all their instances.
 */
export function FrameworkApps({
  frameworkId,
  apps,
  omitted,
}: {
  frameworkId: string;
  apps: FrameworkApp[];
  omitted: number;
}) {
  return (
    <>
      <UrlDataTable
        prefix="apps"
        title="Apps"
        columns={appColumns(frameworkId)}
        rows={apps}
        getRowId={(app) => app.name}
        emptyMessage="No tasks, so no apps."
        defaults={{ sort: 'name', order: 'asc' }}
      />
      {omitted > 0 && (
        <p className="muted small">
          {formatCount(omitted)} more apps with fewer active tasks are not listed; find them on the Tasks
          page.
        </p>
      )}
    </>
  );
}
