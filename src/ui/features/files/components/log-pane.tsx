import type { CSSProperties, ReactNode } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatBytes } from '../../../components/resources/format';
import { useWholeFileSearch } from '../api/search-file';
import { useGutterSelection } from '../hooks/use-gutter-selection';
import { useLineSearch } from '../hooks/use-line-search';
import { useViewerKeys } from '../hooks/use-viewer-keys';
import type { SearchMatch } from '../api/search-file';
import type { OpenAt } from '../hooks/use-log-window';
import { useLogWindow } from '../hooks/use-log-window';
import type { Highlight } from '../utils/ansi';
import { looksBinary } from '../utils/binary';
import { segmentsOf } from '../utils/line-segments';
import { basename } from '../utils/file-path';
import { downloadUrl } from '../utils/file-source';
import type { FileSource } from '../utils/file-source';
import type { DisplayRow } from '../utils/log-window';
import { atEnd, atStart, displayRows } from '../utils/log-window';
import type { LineRange } from '../utils/viewer-url';
import type { LogListHandle } from './log-list';
import { HexView } from './hex-view';
import { LogList } from './log-list';
import { LogRow, MarkerRow } from './log-row';
import { SearchControls } from './search-controls';
import { WholeFileResults } from './whole-file-results';
import { WholeLineDialog } from './whole-line-dialog';
import { formatCount } from '../../../components/counts/format-count';

export interface ViewerSettings {
  wrap: boolean;
  /** What the gutter shows. */
  gutter: 'lines' | 'offsets';
}

function problemText(reason: string, message: string): string {
  switch (reason) {
    case 'agent-not-found':
      return `${message}. The agent may have left the cluster; showing what was read, and retrying.`;
    case 'unreachable':
    case 'timeout':
      return `Cannot reach it: ${message}. Showing what was read; retrying every 2 s.`;
    case 'file-not-found':
      return 'The file is gone for now; showing what was read, and waiting for it to come back.';
    case 'network':
      return 'The mesoscope server cannot be reached; showing what was read, and retrying.';
    default:
      return `${message}. Retrying.`;
  }
}

export interface LogPaneProps {
  source: FileSource;
  path: string;
  openAt: OpenAt;
  settings: ViewerSettings;
  /** Shown first in the toolbar (e.g. which stream or instance this pane is). */
  label?: ReactNode;
  /** Lines to highlight (from a `#L10-L20` URL or a gutter selection). */
  selection?: LineRange | null;
  /** The user selected lines by their gutter (line numbers and offsets, first to last). */
  onSelect?: (selection: { from: number; to: number; fromOffset: number; toOffset: number } | null) => void;
  /** Whether `/` focuses this pane's search (one pane of a split has it). */
  searchShortcut?: boolean;
  /** The task that writes this file has ended: nothing more will come, so the pane does not say "following". */
  ended?: boolean;
}

/**
 * One file in the viewer: a bounded window of its lines, opened at the end (following new output while at the
 * bottom) or at a position, with search, filter, whole-file search, ANSI colours, and paging by scrolling.
 */
export function LogPane({
  source,
  path,
  openAt,
  settings,
  label,
  selection,
  onSelect,
  searchShortcut = true,
  ended = false,
}: LogPaneProps) {
  const [following, setFollowing] = useState(openAt.kind === 'tail');
  const view = useLogWindow({ source, path, openAt, following });
  const { window: logWindow } = view;
  const list = useRef<LogListHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const focusSearch = useCallback(() => searchInput.current?.focus(), []);
  const [wholeLine, setWholeLine] = useState<{ offset: number; length: number } | null>(null);
  const [showResults, setShowResults] = useState(false);
  const wholeFile = useWholeFileSearch(source, path);
  const onGutterClick = useGutterSelection(onSelect);

  const rows = useMemo(() => (logWindow ? displayRows(logWindow) : []), [logWindow]);
  const [showBinary, setShowBinary] = useState<'text' | 'hex' | null>(null);
  // Judged on the first window read, so a log that later prints one odd byte does not disappear.
  const [binary, setBinary] = useState<boolean | null>(null);
  if (binary === null && logWindow !== null && logWindow.lines.length > 0)
    setBinary(looksBinary(logWindow.lines));
  const {
    search,
    setSearch,
    filter,
    setFilter,
    searchError,
    compiled,
    found,
    matchesByRow,
    keys,
    rowAt,
    positionOfRow,
    total,
    currentIndex,
    setCurrent,
  } = useLineSearch(rows);

  const goToMatch = useCallback(
    (index: number) => {
      const match = found.matches[index];
      if (!match) return;
      setCurrent(index);
      setFollowing(false);
      const position = positionOfRow(match.row);
      if (position !== undefined) list.current?.scrollToIndex(position, 'center');
    },
    [found, positionOfRow, setCurrent],
  );

  const next = () => total > 0 && goToMatch((currentIndex + 1) % total);
  const previous = () => total > 0 && goToMatch((currentIndex - 1 + total) % total);

  const windowAtEnd = logWindow !== null && atEnd(logWindow);
  const follow = useCallback(() => {
    if (logWindow && atEnd(logWindow)) setFollowing(true);
    else void view.jumpToEnd().then(() => setFollowing(true));
  }, [logWindow, view]);
  const toStart = useCallback(() => {
    setFollowing(false);
    if (logWindow && atStart(logWindow)) list.current?.scrollToTop();
    else void view.jumpToStart();
  }, [logWindow, view]);

  // While following, read back only to fill a view the window does not fill (a tail of a few long lines):
  // right after End opens the tail, the view still sits at its old scroll position for a render, and
  // reading back from there, page after page, would push the end out of the window.
  const readBack = view.loadBefore;
  const loadBefore = useCallback(() => {
    const element = list.current?.element();
    if (following && element && element.scrollHeight > element.clientHeight) return;
    void readBack();
  }, [following, readBack]);

  const onAtBottomChange = useCallback(
    (atBottom: boolean) => setFollowing(atBottom && windowAtEnd),
    [windowAtEnd],
  );

  // End follows, Home goes to the beginning, / searches (not while typing). In a split, End and Home move both.
  useViewerKeys({ onEnd: follow, onHome: toStart, onSearch: searchShortcut ? focusSearch : undefined });

  // After opening at a position, bring the anchored line into view.
  const anchorIndex = useMemo(() => {
    if (view.anchor === null) return -1;
    return rows.findIndex((row) => row.kind === 'line' && !row.stale && row.line.o === view.anchor);
  }, [rows, view.anchor]);
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (anchorIndex < 0 || !logWindow) return;
    const token = `${logWindow.era}:${view.anchor}`;
    if (scrolledTo.current === token) return;
    scrolledTo.current = token;
    const position = positionOfRow(anchorIndex);
    if (position !== undefined) list.current?.scrollToIndex(position, view.anchor === 0 ? 'start' : 'center');
  }, [anchorIndex, logWindow, view.anchor, positionOfRow]);

  const jumpToMatch = (match: SearchMatch) => {
    setFollowing(false);
    if (wholeFile.options) setSearch(wholeFile.options);
    void view.jumpToOffset(match.lineOffset);
  };

  const selected = (row: DisplayRow, index: number): boolean => {
    if (row.kind !== 'line' || row.stale) return false;
    if (selection && row.number !== null) return row.number >= selection.from && row.number <= selection.to;
    return index === anchorIndex && view.anchor !== null && view.anchor !== 0;
  };

  const renderRow = (position: number) => {
    const index = rowAt(position);
    const row = rows[index];
    if (!row) return null;
    if (row.kind === 'marker') return <MarkerRow text={row.text} />;
    const indices = matchesByRow.get(index) ?? [];
    const highlights: Highlight[] = indices.map((matchIndex) => {
      const match = found.matches[matchIndex];
      return { start: match?.start ?? 0, end: match?.end ?? 0, current: matchIndex === currentIndex };
    });
    const byteOffset = formatCount(row.line.o);
    const numbered = settings.gutter === 'lines' && row.number !== null;
    return (
      <LogRow
        segments={segmentsOf(row.line)}
        highlights={highlights}
        gutter={row.stale ? '·' : numbered ? String(row.number) : byteOffset}
        gutterTitle={
          row.number !== null ? `line ${formatCount(row.number)}, byte ${byteOffset}` : `byte ${byteOffset}`
        }
        offset={row.line.o}
        bytes={row.line.n}
        cut={row.line.cut === true}
        stale={row.stale}
        partial={row.partial}
        selected={selected(row, index)}
        anchored={index === anchorIndex}
        onGutterClick={row.stale ? undefined : (event) => onGutterClick(row, event)}
        onShowWholeLine={() => setWholeLine({ offset: row.line.o, length: row.line.n })}
      />
    );
  };

  // The gutter is as wide as its widest label (labels grow towards the end of the file).
  const widestLabel =
    logWindow === null
      ? ''
      : settings.gutter === 'lines' && logWindow.firstLineNumber !== null
        ? String(logWindow.firstLineNumber + logWindow.lines.length)
        : formatCount(logWindow.size);
  const gutterStyle = { '--gutter-width': `${Math.max(4, widestLabel.length) + 1}ch` } as CSSProperties;

  const empty = logWindow !== null && rows.length === 0;
  const problem =
    view.problem && !view.waiting ? problemText(view.problem.reason, view.problem.message) : null;

  return (
    <section
      className="log-pane"
      aria-label={typeof label === 'string' ? label : `Contents of ${path}`}
      style={gutterStyle}
    >
      <div className="log-toolbar">
        {label}
        <span className="file-size" title={logWindow ? `${formatCount(logWindow.size)} bytes` : undefined}>
          {logWindow ? formatBytes(logWindow.size) : '…'}
        </span>
        <span
          className={
            ended
              ? 'follow-state follow-ended'
              : following
                ? 'follow-state follow-on'
                : 'follow-state follow-off'
          }
          data-testid="file-follow-state"
          title={ended ? 'The task has ended: this file will not grow' : undefined}
        >
          {ended ? 'task ended' : following ? 'following' : 'paused'}
        </span>
        {!following && (
          <button type="button" className="button button-primary log-follow" onClick={follow}>
            {ended ? 'End' : 'Follow'} <kbd>End</kbd>
          </button>
        )}
        <button
          type="button"
          className="log-toggle"
          onClick={toStart}
          title="Go to the beginning of the file (Home)"
        >
          Top <kbd>Home</kbd>
        </button>
        <SearchControls
          options={search}
          onChange={(options) => {
            setSearch(options);
            if (options.query === '') setFilter(false);
          }}
          current={currentIndex}
          total={total}
          limited={found.limited}
          error={searchError}
          filter={filter}
          onFilterChange={setFilter}
          onNext={next}
          onPrevious={previous}
          onSearchWholeFile={() => {
            setShowResults(true);
            wholeFile.start(search);
          }}
          inputRef={searchInput}
        />
      </div>
      {problem && (
        <p className="file-viewer-error" role="alert" data-testid="file-problem">
          {problem}
        </p>
      )}
      {binary && showBinary !== 'text' && (
        <div className="notice file-binary" role="status" data-testid="file-binary">
          <span>
            <strong>{basename(path)}</strong> looks like a binary file: shown as text it would be noise.
          </span>
          <a className="button" href={downloadUrl(source, path)} download>
            Download
          </a>
          {showBinary === 'hex' ? (
            <button type="button" className="button" onClick={() => setShowBinary(null)}>
              Hide hex
            </button>
          ) : (
            <button type="button" className="button" onClick={() => setShowBinary('hex')}>
              Show as hex
            </button>
          )}
          <button type="button" className="button" onClick={() => setShowBinary('text')}>
            Show as text anyway
          </button>
        </div>
      )}
      {showResults && wholeFile.status !== 'idle' && (
        <WholeFileResults
          search={wholeFile}
          onJump={jumpToMatch}
          onCancel={wholeFile.cancel}
          onClose={() => {
            wholeFile.clear();
            setShowResults(false);
          }}
        />
      )}
      <div className="log-body">
        {view.waiting ? (
          <p className="log-placeholder" role="status" data-testid="file-waiting">
            Waiting for {path} to appear (the task may still be starting); checking every 2 s…
          </p>
        ) : logWindow === null ? (
          <p className="log-placeholder" role="status">
            {problem ? '' : 'Loading…'}
          </p>
        ) : empty ? (
          <p className="log-placeholder" role="status" data-testid="file-empty">
            (empty file{following ? '; new output will show here' : ''})
          </p>
        ) : null}
        {binary && showBinary === 'hex' && <HexView source={source} path={path} />}
        {logWindow !== null && !empty && (!binary || showBinary === 'text') && (
          <LogList
            handle={list}
            keys={keys}
            renderRow={renderRow}
            wrap={settings.wrap}
            following={following}
            onAtBottomChange={onAtBottomChange}
            onNearTop={filter ? undefined : loadBefore}
            onNearBottom={filter ? undefined : view.loadAfter}
            label={`Contents of ${path}`}
            testId="file-content"
          />
        )}
      </div>
      <footer className="log-status" data-testid="log-status">
        {logWindow && (
          <>
            <span>
              {atStart(logWindow)
                ? 'From the beginning of the file'
                : view.loadingBefore
                  ? 'Loading earlier lines…'
                  : 'Scroll up for earlier lines'}
            </span>
            <span>
              {logWindow.firstLineNumber !== null
                ? `lines ${formatCount(logWindow.firstLineNumber)}–${formatCount(logWindow.firstLineNumber + logWindow.lines.length - 1)}`
                : 'counting lines…'}
              {' · '}bytes {formatBytes(logWindow.start)}–{formatBytes(logWindow.end)} of{' '}
              {formatBytes(logWindow.size)}
              {filter && compiled?.ok ? ` · showing ${formatCount(keys.length)} matching lines` : ''}
            </span>
          </>
        )}
      </footer>
      {wholeLine && (
        <WholeLineDialog
          source={source}
          path={path}
          offset={wholeLine.offset}
          length={wholeLine.length}
          onClose={() => setWholeLine(null)}
        />
      )}
    </section>
  );
}
