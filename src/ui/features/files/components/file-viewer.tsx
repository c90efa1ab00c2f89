import { useId, useState } from 'react';
import { isTerminalState } from '../../../../mesos/task-state';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Link, useLocation, useNavigate } from 'react-router';
import { CopyButton } from '../../../components/copy-button';
import { paths } from '../../../config/paths';
import { useAppInstances } from '../api/get-app-instances';
import type { OpenAt } from '../hooks/use-log-window';
import { useViewerSettings } from '../hooks/use-viewer-settings';
import { basename, dirname, siblingStream } from '../utils/file-path';
import { downloadUrl, type FileSource } from '../utils/file-source';
import type { LineRange } from '../utils/viewer-url';
import { formatLineRange, parseLineRange, parseOffset } from '../utils/viewer-url';
import '../log-viewer.css';
import type { ViewerSettings } from './log-pane';
import { LogPane } from './log-pane';
import { PathBreadcrumb } from './path-breadcrumb';

/** Where the URL says to open: `#L10-L20`, `?offset=N`, or the end. */
function openAtFromUrl(search: URLSearchParams, hash: string): OpenAt {
  const range = parseLineRange(hash);
  if (range) return { kind: 'line', line: range.from };
  const offset = parseOffset(search.get('offset'));
  if (offset !== null) return { kind: 'offset', offset };
  return { kind: 'tail' };
}

const SANDBOX = /\/frameworks\/[^/]+\/executors\/[^/]+\/runs\//;

/** Wrap and gutter switches, shared by every pane of the page. */
export function ViewerSettingsControls({
  settings,
  onChange,
}: {
  settings: ViewerSettings;
  onChange: (patch: Partial<ViewerSettings>) => void;
}) {
  return (
    <div className="segmented" role="group" aria-label="Display">
      <button
        type="button"
        className={settings.wrap ? 'segment segment-active' : 'segment'}
        aria-pressed={settings.wrap}
        onClick={() => onChange({ wrap: !settings.wrap })}
        title="Wrap long lines"
      >
        Wrap
      </button>
      <button
        type="button"
        className={settings.gutter === 'offsets' ? 'segment segment-active' : 'segment'}
        aria-pressed={settings.gutter === 'offsets'}
        onClick={() => onChange({ gutter: settings.gutter === 'offsets' ? 'lines' : 'offsets' })}
        title="Show byte offsets instead of line numbers"
      >
        Offsets
      </button>
    </div>
  );
}

/** A line number to open the file at (`#L<n>`); the file is read from there, however long it is. */
function GoToLine({ onGo }: { onGo: (line: number) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const line = Number(text.replaceAll(',', ''));
  const valid = Number.isInteger(line) && line > 0;
  return (
    <form
      className="go-to-line"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onGo(line);
      }}
    >
      <label htmlFor={id}>Line</label>
      <input
        id={id}
        inputMode="numeric"
        autoComplete="off"
        placeholder="1"
        value={text}
        aria-invalid={text !== '' && !valid}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="button" disabled={!valid}>
        Go
      </button>
    </form>
  );
}

/**
 * The file viewer page: one file (or a task's stdout and stderr side by side), opened at the end and
 * following, or at the line range / byte offset the URL names. Selecting lines by their numbers puts them in
 * the URL, so the position can be shared.
 */
export function FileViewer({ source, path, title }: { source: FileSource; path: string; title?: string }) {
  const location = useLocation();
  const navigate = useNavigate();
  const search = new URLSearchParams(location.search);
  const [openAt, setOpenAt] = useState(() => openAtFromUrl(search, location.hash));
  /** Bumped by "Go to line", so the first pane opens again at that line. */
  const [jumps, setJumps] = useState(0);
  const [settings, setSettings] = useViewerSettings();
  const selection = parseLineRange(location.hash);
  const sibling = siblingStream(path);
  const split = sibling !== null && search.get('split') === '1';
  const agentId = source.kind === 'agent' ? source.agentId : null;
  const inSandbox = agentId !== null && SANDBOX.test(path);
  const instances = useAppInstances({ agentId: agentId ?? '', path }, inSandbox);
  const app = instances.data;
  // The task whose sandbox holds the file: its name heads the page, and it says whether the file still grows.
  const task = app?.instances.find(
    (instance) => instance.directory !== null && path.startsWith(`${instance.directory}/`),
  );
  const ended = task !== undefined && isTerminalState(task.state);
  const [link, setLink] = useState<string | null>(null);

  const goToLine = (line: number) => {
    const params = new URLSearchParams(location.search);
    params.delete('offset');
    void navigate(`${location.pathname}?${params.toString()}${formatLineRange({ from: line, to: line })}`, {
      replace: true,
    });
    setOpenAt({ kind: 'line', line });
    setJumps((count) => count + 1);
  };

  const select = (chosen: { from: number; to: number; fromOffset: number }) => {
    const params = new URLSearchParams(location.search);
    let hash = '';
    if (chosen.from > 0 && chosen.to > 0) {
      params.delete('offset');
      hash = formatLineRange({ from: chosen.from, to: chosen.to } satisfies LineRange);
    } else params.set('offset', String(chosen.fromOffset));
    const url = `${location.pathname}?${params.toString()}${hash}`;
    void navigate(url, { replace: true });
    setLink(`${window.location.origin}${url}`);
  };

  const streamLink = (which: 'stdout' | 'stderr' | 'both') => {
    if (!sibling || agentId === null) return '#';
    const streams = { [sibling.name]: sibling.path, [basename(path)]: path } as Record<string, string>;
    if (which === 'both') {
      const stdout = streams['stdout'] ?? path;
      return `${paths.fileView.build(agentId, stdout)}&split=1`;
    }
    return paths.fileView.build(agentId, streams[which] ?? path);
  };
  const currentStream = split ? 'both' : sibling ? (sibling.name === 'stdout' ? 'stderr' : 'stdout') : null;

  const panes: { path: string; label: string }[] =
    split && sibling
      ? [
          { path: basename(path) === 'stdout' ? path : sibling.path, label: 'stdout' },
          { path: basename(path) === 'stderr' ? path : sibling.path, label: 'stderr' },
        ]
      : [{ path, label: basename(path) }];

  return (
    <section className="file-viewer" aria-labelledby="file-viewer-heading">
      <header className="file-viewer-header">
        <div className="file-viewer-title">
          <h1 id="file-viewer-heading" className="page-title">
            {title ??
              (task && app ? (
                <>
                  <Link to={paths.task.build(app.frameworkId, task.taskId)} title={`Task ${task.taskId}`}>
                    <ClusterText text={app.name} max={80} />
                  </Link>
                  <span className="muted"> · </span>
                  {basename(path)}
                </>
              ) : (
                basename(path)
              ))}
          </h1>
          {inSandbox && agentId !== null && <PathBreadcrumb agentId={agentId} path={path} lastIsFile />}
        </div>
        <div className="file-viewer-tools">
          {currentStream && agentId !== null && (
            <div className="segmented" role="group" aria-label="Output stream">
              {(['stdout', 'stderr', 'both'] as const).map((stream) =>
                stream === currentStream ? (
                  <span key={stream} className="segment segment-active" aria-current="page">
                    {stream}
                  </span>
                ) : (
                  <Link key={stream} className="segment" to={streamLink(stream)} reloadDocument={false}>
                    {stream}
                  </Link>
                ),
              )}
            </div>
          )}
          {app && app.instances.length > 1 && (
            <Link
              className="button"
              to={paths.appLogs.build(app.frameworkId, app.name, basename(path))}
              title={`The ${basename(path)} of every instance of ${app.name}, side by side or merged`}
            >
              All {app.instances.length} instances
            </Link>
          )}
          <GoToLine onGo={goToLine} />
          <ViewerSettingsControls settings={settings} onChange={setSettings} />
          {link && (
            <span className="viewer-link">
              Link to the selection <CopyButton value={link} label="Copy link" />
            </span>
          )}
          {inSandbox && agentId !== null && (
            <Link className="button" to={paths.browse.build(agentId, dirname(path))}>
              Directory
            </Link>
          )}
          <a className="button" href={downloadUrl(source, path)} download>
            Download
          </a>
        </div>
      </header>
      <div className={split ? 'log-panes log-panes-split' : 'log-panes'}>
        {panes.map((pane, index) => (
          <LogPane
            key={`${agentId ?? 'master'}:${pane.path}:${index === 0 ? jumps : 0}`}
            source={source}
            path={pane.path}
            openAt={index === 0 ? openAt : { kind: 'tail' }}
            settings={settings}
            label={split ? <strong className="log-pane-label">{pane.label}</strong> : undefined}
            selection={index === 0 ? selection : null}
            onSelect={index === 0 ? (chosen) => chosen && select(chosen) : undefined}
            searchShortcut={index === 0}
            ended={ended}
          />
        ))}
      </div>
    </section>
  );
}
