import { Link } from 'react-router';
import type { FileInfo } from '../../../../mesos/files';
import { formatBytes } from '../../../components/resources/format';
import { ErrorState, EmptyState, LoadingState } from '../../../components/states';
import { RelativeTime } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { isApiError } from '../../../lib/api-client';
import { useBrowseFiles } from '../api/browse-files';
import { basename } from '../utils/file-path';
import { downloadUrl } from '../utils/file-source';
import { isDirectory, sortFiles } from '../utils/sort-files';
import { PathBreadcrumb } from './path-breadcrumb';

const UNKNOWN_AGENT = /^No agent found with ID/;

function BrowseError({ error, path, onRetry }: { error: unknown; path: string; onRetry: () => void }) {
  if (isApiError(error) && UNKNOWN_AGENT.test(error.message)) {
    return <ErrorState title={error.message} onRetry={onRetry} />;
  }
  return <ErrorState title={`Error browsing path: ${path}`} error={error} onRetry={onRetry} />;
}

function FileRow({ agentId, file }: { agentId: string; file: FileInfo }) {
  const directory = isDirectory(file);
  const name = basename(file.path);
  return (
    <tr>
      <td className="mono">{file.mode}</td>
      <td className="numeric">{file.nlink}</td>
      <td>{file.uid}</td>
      <td>{file.gid}</td>
      <td className="numeric" title={`${file.size} bytes`}>
        {formatBytes(file.size)}
      </td>
      <td>
        <RelativeTime ms={file.mtime * 1000} />
      </td>
      <td className="file-name">
        {directory ? (
          <>
            <Link to={paths.browse.build(agentId, file.path)} className="dir-link">
              {name}
            </Link>
            <span aria-hidden="true" className="muted">
              /
            </span>
          </>
        ) : (
          <Link to={paths.fileView.build(agentId, file.path)}>{name}</Link>
        )}
      </td>
      <td className="numeric">
        {!directory && (
          <a
            href={downloadUrl({ kind: 'agent', agentId }, file.path)}
            download
            aria-label={`Download ${name}`}
          >
            Download
          </a>
        )}
      </td>
    </tr>
  );
}

/** A sandbox directory on an agent: breadcrumb, then mode, nlink, uid, gid, size, mtime and name per entry. */
export function FileBrowser({ agentId, path }: { agentId: string; path: string }) {
  const listing = useBrowseFiles(agentId, path);
  const files = listing.data ? sortFiles(listing.data) : undefined;
  return (
    <section className="panel file-browser" aria-labelledby="file-browser-heading">
      <div className="table-header">
        <h1 id="file-browser-heading" className="page-title">
          Sandbox browser <span className="muted mono small">{agentId}</span>
        </h1>
      </div>
      <PathBreadcrumb agentId={agentId} path={path} />
      {files === undefined ? (
        listing.isError ? (
          <BrowseError error={listing.error} path={path} onRetry={() => void listing.refetch()} />
        ) : (
          <LoadingState label="Loading the directory…" />
        )
      ) : files.length === 0 ? (
        <EmptyState>No files in this directory.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Files in {path}</caption>
            <thead>
              <tr>
                <th scope="col">Mode</th>
                <th scope="col" className="numeric">
                  nlink
                </th>
                <th scope="col">UID</th>
                <th scope="col">GID</th>
                <th scope="col" className="numeric">
                  Size
                </th>
                <th scope="col">Modified</th>
                <th scope="col">Name</th>
                <th scope="col" className="numeric">
                  <span className="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.map((file) => (
                <FileRow key={file.path} agentId={agentId} file={file} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
