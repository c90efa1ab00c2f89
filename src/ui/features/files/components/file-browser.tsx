import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { FileInfo } from '../../../../mesos/files';
import { AgentBreadcrumb, agentCrumb, type Crumb } from '../../../components/breadcrumb/agent-breadcrumb';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { formatBytes } from '../../../components/resources/format';
import { ErrorState } from '../../../components/states';
import { RelativeTime } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { isApiError } from '../../../lib/api-client';
import { useAppInstances } from '../api/get-app-instances';
import { useBrowseFiles } from '../api/browse-files';
import { basename } from '../utils/file-path';
import { downloadUrl } from '../utils/file-source';
import { isDirectory, sortFiles } from '../utils/sort-files';
import { PathBreadcrumb } from './path-breadcrumb';
import { formatCount } from '../../../components/counts/format-count';

const UNKNOWN_AGENT = /^No agent found with ID/;

/** `/frameworks/<fid>/executors/<eid>/runs/<run>` in a sandbox path: whose sandbox this is. */
const SANDBOX = /\/frameworks\/([^/]+)\/executors\/([^/]+)\/runs\/[^/]+/;

function BrowseError({ error, path, onRetry }: { error: unknown; path: string; onRetry: () => void }) {
  if (isApiError(error) && UNKNOWN_AGENT.test(error.message)) {
    return <ErrorState title={error.message} onRetry={onRetry} />;
  }
  return <ErrorState title={`Error browsing path: ${path}`} error={error} onRetry={onRetry} />;
}

function fileColumns(agentId: string): DataColumn<FileInfo>[] {
  const column = createColumnHelper<FileInfo>();
  return [
    // Directories first in ascending order, as `ls` and the Mesos UI list them.
    column.accessor((file) => `${isDirectory(file) ? 0 : 1}${basename(file.path)}`, {
      id: 'name',
      header: 'Name',
      meta: { className: 'file-name cell-truncate' },
      cell: ({ row }) => {
        const file = row.original;
        const name = basename(file.path);
        return isDirectory(file) ? (
          <>
            <Link to={paths.browse.build(agentId, file.path)} className="dir-link" title={name}>
              {name}
            </Link>
            <span aria-hidden="true" className="muted">
              /
            </span>
          </>
        ) : (
          <Link to={paths.fileView.build(agentId, file.path)} title={name}>
            {name}
          </Link>
        );
      },
    }),
    column.accessor('size', {
      id: 'size',
      header: 'Size',
      meta: { numeric: true, firstOrder: 'desc' },
      cell: ({ row }) => (
        <span title={`${formatCount(row.original.size)} bytes`}>{formatBytes(row.original.size)}</span>
      ),
    }),
    column.accessor('mtime', {
      id: 'mtime',
      header: 'Modified',
      meta: { firstOrder: 'desc' },
      cell: (info) => <RelativeTime ms={info.getValue() * 1000} />,
    }),
    column.accessor('mode', { id: 'mode', header: 'Mode', meta: { className: 'mono' } }),
    column.accessor('nlink', { id: 'nlink', header: 'nlink', meta: { numeric: true, priority: 'medium' } }),
    column.accessor('uid', { id: 'uid', header: 'UID', meta: { priority: 'medium' } }),
    column.accessor('gid', { id: 'gid', header: 'GID', meta: { priority: 'medium' } }),
    column.display({
      id: 'download',
      header: () => <span className="visually-hidden">Download</span>,
      meta: { numeric: true },
      cell: ({ row }) =>
        isDirectory(row.original) ? null : (
          <a
            href={downloadUrl({ kind: 'agent', agentId }, row.original.path)}
            download
            aria-label={`Download ${basename(row.original.path)}`}
          >
            Download
          </a>
        ),
    }),
  ];
}

/** Agents › agent › executor › task: where this sandbox belongs, each step a link back. */
function SandboxCrumbs({ agentId, path }: { agentId: string; path: string }) {
  const match = SANDBOX.exec(path);
  const instances = useAppInstances({ agentId, path }, match !== null);
  const crumbs: Crumb[] = [agentCrumb(agentId)];
  if (match) {
    const frameworkId = decodeURIComponent(match[1] ?? '');
    const executorId = decodeURIComponent(match[2] ?? '');
    crumbs.push({
      label: `Executor ${executorId}`,
      to: paths.executor.build(agentId, frameworkId, executorId),
      title: executorId,
    });
    const task = instances.data?.instances.find(
      (instance) => instance.directory !== null && `${path}/`.startsWith(`${instance.directory}/`),
    );
    if (task && instances.data)
      crumbs.push({
        label: `Task ${instances.data.name}`,
        to: paths.task.build(instances.data.frameworkId, task.taskId),
        title: task.taskId,
      });
  }
  crumbs.push({ label: 'Sandbox' });
  return <AgentBreadcrumb crumbs={crumbs} />;
}

/** A sandbox directory on an agent: where it belongs, its path, then its entries, name first, sortable. */
export function FileBrowser({ agentId, path }: { agentId: string; path: string }) {
  const listing = useBrowseFiles(agentId, path);
  const files = listing.data ? sortFiles(listing.data) : undefined;
  return (
    <>
      <SandboxCrumbs agentId={agentId} path={path} />
      <section className="panel file-browser" aria-labelledby="file-browser-heading">
        <div className="table-header">
          <h1 id="file-browser-heading" className="page-title">
            Sandbox browser
          </h1>
        </div>
        <PathBreadcrumb agentId={agentId} path={path} />
        {listing.isError && files === undefined ? (
          <BrowseError error={listing.error} path={path} onRetry={() => void listing.refetch()} />
        ) : (
          <UrlDataTable
            prefix="files"
            title="Files"
            columns={fileColumns(agentId)}
            rows={files}
            getRowId={(file) => file.path}
            emptyMessage="No files in this directory."
            defaults={{ sort: 'name', order: 'asc' }}
          />
        )}
      </section>
    </>
  );
}
