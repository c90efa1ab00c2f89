import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { formatBytes } from '../../../components/resources/format';
import { paths } from '../../../config/paths';
import { useFileTail } from '../api/read-file';
import { basename, dirname, siblingStream } from '../utils/file-path';
import { downloadUrl, type FileSource } from '../utils/file-source';
import { PathBreadcrumb } from './path-breadcrumb';

/** Within this many pixels of the bottom counts as "at the bottom" (follow). */
const BOTTOM_SLACK_PX = 8;

function isTypingTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/**
 * An in-page file viewer that tails the file (the Mesos pailer, done in the page). It follows the end while
 * scrolled to the bottom; scrolling up pauses following, and "Follow" (or the End key) resumes it.
 * All file content is rendered as text.
 */
export function FileViewer({ source, path }: { source: FileSource; path: string }) {
  const { tail, error } = useFileTail(source.kind === 'agent' ? source.agentId : null, path);
  const [following, setFollowing] = useState(true);
  const preRef = useRef<HTMLPreElement>(null);

  useLayoutEffect(() => {
    const pre = preRef.current;
    if (following && pre) pre.scrollTop = pre.scrollHeight;
  }, [tail, following]);

  const onScroll = useCallback(() => {
    const pre = preRef.current;
    if (!pre) return;
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight <= BOTTOM_SLACK_PX;
    setFollowing(atBottom);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'End' && !isTypingTarget(event.target)) setFollowing(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const sibling = siblingStream(path);
  const currentStream = sibling ? (sibling.name === 'stdout' ? 'stderr' : 'stdout') : null;
  const title = source.kind === 'master' ? 'Leading master log' : path;

  return (
    <section className="file-viewer" aria-labelledby="file-viewer-heading">
      <header className="file-viewer-header">
        <div className="file-viewer-title">
          <h1 id="file-viewer-heading" className="page-title">
            {source.kind === 'master' ? title : basename(path)}
          </h1>
          {source.kind === 'agent' && <PathBreadcrumb agentId={source.agentId} path={path} lastIsFile />}
        </div>
        <div className="file-viewer-tools">
          {sibling && source.kind === 'agent' && currentStream && (
            <div className="segmented" role="group" aria-label="Output stream">
              {(['stdout', 'stderr'] as const).map((stream) =>
                stream === currentStream ? (
                  <span key={stream} className="segment segment-active" aria-current="page">
                    {stream}
                  </span>
                ) : (
                  <Link
                    key={stream}
                    className="segment"
                    to={paths.fileView.build(source.agentId, sibling.path)}
                  >
                    {stream}
                  </Link>
                ),
              )}
            </div>
          )}
          <span className="file-size" title={tail ? `${tail.end} bytes` : undefined}>
            {tail ? formatBytes(tail.end) : '…'}
          </span>
          <span
            className={following ? 'follow-state follow-on' : 'follow-state follow-off'}
            data-testid="file-follow-state"
          >
            {following ? 'following' : 'paused'}
          </span>
          {!following && (
            <button type="button" className="button button-primary" onClick={() => setFollowing(true)}>
              Follow <kbd>End</kbd>
            </button>
          )}
          {source.kind === 'agent' && (
            <Link className="button" to={paths.browse.build(source.agentId, dirname(path))}>
              Directory
            </Link>
          )}
          <a className="button" href={downloadUrl(source, path)} download>
            Download
          </a>
        </div>
      </header>
      {error && (
        <p className="file-viewer-error" role="alert">
          {error.notFound
            ? `Cannot read ${path}: ${error.message}. The file or its agent may be gone; retrying…`
            : `Failed to read ${path}: ${error.message}. Retrying…`}
        </p>
      )}
      <pre
        ref={preRef}
        className="file-content"
        data-testid="file-content"
        onScroll={onScroll}
        aria-label={`Contents of ${path}`}
      >
        {tail === null ? (
          <span className="muted">{error ? '' : 'Loading…'}</span>
        ) : (
          <>
            {tail.truncated && <span className="file-truncated">(earlier output not shown){'\n'}</span>}
            {tail.chunks.map((chunk) => (
              <span key={chunk.id}>{chunk.text}</span>
            ))}
          </>
        )}
      </pre>
    </section>
  );
}
