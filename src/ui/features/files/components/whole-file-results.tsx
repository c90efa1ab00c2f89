import { formatBytes } from '../../../components/resources/format';
import type { SearchMatch, WholeFileSearch } from '../api/search-file';
import { ansiSegments, plainText } from '../utils/ansi';
import { formatCount } from '../../../components/counts/format-count';

const SHOWN = 500;

/** What a terminal would show of a piece of a line: colour escapes dropped, control characters as `\xNN`. */
const shown = (text: string) => plainText(ansiSegments(text));

function Preview({ match }: { match: SearchMatch }) {
  // The server matches the raw line; each piece loses its escapes on its own, so the match stays marked.
  const before = shown(match.text.slice(0, match.at));
  const hit = shown(match.text.slice(match.at, match.at + match.length));
  const after = shown(match.text.slice(match.at + match.length));
  return (
    <span className="wfs-preview">
      {before}
      <mark className="log-mark log-mark-match">{hit}</mark>
      {after}
    </span>
  );
}

/** The streamed results of a whole-file search: progress, then matching lines to jump to. */
export function WholeFileResults({
  search,
  onJump,
  onCancel,
  onClose,
}: {
  search: WholeFileSearch;
  onJump: (match: SearchMatch) => void;
  onCancel: () => void;
  onClose: () => void;
}) {
  const percent = search.size > 0 ? Math.min(100, Math.round((search.scanned / search.size) * 100)) : 0;
  const running = search.status === 'running';
  const summary = running
    ? `Searching… ${percent}% of ${formatBytes(search.size)}, ${search.matches.length} matching lines so far`
    : search.status === 'error'
      ? `Search failed: ${search.error ?? 'unknown error'}`
      : `${search.matches.length}${search.limited ? '+' : ''} matching lines in ${formatBytes(search.size)}` +
        (search.ms !== null ? ` (${(search.ms / 1000).toFixed(1)} s)` : '');
  return (
    <section className="wfs" aria-label="Whole-file search results" data-testid="whole-file-results">
      <header className="wfs-header">
        <span role="status" aria-live="polite" data-testid="whole-file-status">
          {summary}
        </span>
        {running && <progress max={100} value={percent} aria-label="Search progress" />}
        <span className="wfs-actions">
          {running && (
            <button type="button" className="log-toggle" onClick={onCancel}>
              Stop
            </button>
          )}
          <button type="button" className="log-toggle" onClick={onClose} aria-label="Close search results">
            ✕
          </button>
        </span>
      </header>
      {search.matches.length > 0 && (
        <ol className="wfs-list">
          {search.matches.slice(0, SHOWN).map((match) => (
            <li key={match.lineOffset}>
              <button type="button" className="wfs-item" onClick={() => onJump(match)}>
                <span className="wfs-line">{formatCount(match.line)}</span>
                <Preview match={match} />
                {match.count > 1 && <span className="wfs-count">×{match.count}</span>}
              </button>
            </li>
          ))}
          {search.matches.length > SHOWN && (
            <li className="wfs-more">
              {formatCount(search.matches.length - SHOWN)} more lines; narrow the search to see them.
            </li>
          )}
        </ol>
      )}
    </section>
  );
}
