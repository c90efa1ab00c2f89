import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { SearchHit, SearchKind } from '../../../../bff/schemas/views';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { paths } from '../../../config/paths';
import { useSearch } from '../api/search';
import { formatCount } from '../../../components/counts/format-count';

/** Also the target of the `/` and Ctrl+K shortcuts. */
export const SEARCH_INPUT_ID = 'global-search';

const DEBOUNCE_MS = 150;

const GROUPS: ReadonlyArray<{ key: 'tasks' | 'frameworks' | 'agents'; kind: SearchKind; title: string }> = [
  { key: 'tasks', kind: 'task', title: 'Tasks' },
  { key: 'frameworks', kind: 'framework', title: 'Frameworks' },
  { key: 'agents', kind: 'agent', title: 'Agents' },
];

/** Where "all N matching" leads: the list of that kind, filtered by the same text. */
function allMatchesPath(kind: SearchKind, query: string): string {
  const q = encodeURIComponent(query);
  switch (kind) {
    case 'task':
      return `${paths.tasks.build()}?tasks.q=${q}`;
    case 'framework':
      return `${paths.frameworks.build()}?active.q=${q}&inactive.q=${q}&completed.q=${q}`;
    case 'agent':
      return `${paths.agents.build()}?agents.q=${q}`;
  }
}

/** One option of the list: a hit, or the way to every match of a kind. */
type Entry =
  { hit: SearchHit; more?: undefined } | { hit?: undefined; more: { kind: SearchKind; total: number } };

const entryPath = (entry: Entry, query: string) =>
  entry.hit ? hitPath(entry.hit) : allMatchesPath(entry.more.kind, query);

/** Where a search hit leads. */
function hitPath(hit: SearchHit): string {
  switch (hit.kind) {
    case 'task':
      return paths.task.build(hit.frameworkId ?? '', hit.id);
    case 'framework':
      return paths.framework.build(hit.id);
    case 'agent':
      return paths.agent.build(hit.id);
  }
}

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * "Find anything": a combobox (ARIA 1.2 pattern, list autocomplete) in the header that jumps to a task,
 * framework or agent by ID, name or hostname. The kind with the best match comes first; a kind with more
 * matches than shown ends with a way to all of them. Arrow keys move through the results, Enter opens one,
 * Escape clears the box and leaves it, so that the page's keyboard shortcuts work again.
 */
export function SearchBox() {
  const navigate = useNavigate();
  const listboxId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebounced(text.trim(), DEBOUNCE_MS);
  const results = useSearch(query);
  const data = query === '' ? undefined : results.data;

  const groups = data
    ? GROUPS.filter((group) => data[group.key].length > 0)
        .map((group, order) => ({ group, order }))
        .sort((a, b) => (data.best[b.group.kind] ?? 0) - (data.best[a.group.kind] ?? 0) || a.order - b.order)
        .map(({ group }) => {
          const entries: Entry[] = data[group.key].map((hit) => ({ hit }));
          const total = data.totals[group.kind];
          if (total > entries.length) entries.push({ more: { kind: group.kind, total } });
          return { ...group, entries, total };
        })
    : [];
  const hits = groups.flatMap((group) => group.entries);
  const activeIndex = Math.min(active, Math.max(hits.length - 1, 0));
  const expanded = open && text.trim() !== '' && data !== undefined;
  // While the answer for what is typed now is on its way, the list shows the previous one: Enter waits.
  const current = data !== undefined && data.query.toLowerCase() === text.trim().toLowerCase();
  const optionId = (index: number) => `${listboxId}-option-${index}`;

  const go = (entry: Entry | undefined) => {
    if (!entry || !data) return;
    setOpen(false);
    setText('');
    inputRef.current?.blur();
    void navigate(entryPath(entry, data.query));
  };

  let index = -1;
  return (
    <div className="global-search">
      <label htmlFor={SEARCH_INPUT_ID} className="visually-hidden">
        Find a task, framework or agent
      </label>
      <input
        ref={inputRef}
        id={SEARCH_INPUT_ID}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listboxId}
        aria-activedescendant={expanded && hits.length > 0 ? optionId(activeIndex) : undefined}
        aria-keyshortcuts="/ Control+K"
        placeholder="Find anything…   /"
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
            setActive(hits.length === 0 ? 0 : (activeIndex + 1) % hits.length);
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive(hits.length === 0 ? 0 : (activeIndex - 1 + hits.length) % hits.length);
          } else if (event.key === 'Home' && expanded) {
            event.preventDefault();
            setActive(0);
          } else if (event.key === 'End' && expanded) {
            event.preventDefault();
            setActive(Math.max(hits.length - 1, 0));
          } else if (event.key === 'Enter') {
            event.preventDefault();
            if (expanded && current) go(hits[activeIndex]);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            setOpen(false);
            setText('');
            inputRef.current?.blur();
          }
        }}
      />
      <div
        id={listboxId}
        role="listbox"
        aria-label="Search results"
        className={current ? 'search-results' : 'search-results search-results-stale'}
        aria-busy={!current}
        // Focus stays in the combobox (aria-activedescendant); the list is focusable by script only.
        tabIndex={-1}
        hidden={!expanded}
        // Keep the focus in the box while a result is clicked.
        onMouseDown={(event) => event.preventDefault()}
      >
        {expanded && hits.length === 0 && (
          <div className="search-empty" role="presentation">
            {results.isFetching ? 'Searching…' : `Nothing matches "${text.trim()}".`}
          </div>
        )}
        {expanded &&
          groups.map((group) => {
            const headingId = `${listboxId}-${group.key}`;
            const shown = group.entries.filter((entry) => entry.hit).length;
            return (
              <div key={group.key} role="group" aria-labelledby={headingId} className="search-group">
                <div id={headingId} className="search-group-title" role="presentation">
                  {group.title}
                  {group.total > shown && (
                    <span className="muted">
                      {' '}
                      (top {shown} of {formatCount(group.total)})
                    </span>
                  )}
                </div>
                {group.entries.map((entry) => {
                  index += 1;
                  const position = index;
                  const selected = position === activeIndex;
                  const { hit } = entry;
                  return (
                    // The keyboard works on the combobox (arrows, Enter), as the ARIA pattern asks; a click
                    // here is the pointer's way in.
                    // eslint-disable-next-line jsx-a11y/click-events-have-key-events
                    <div
                      key={hit ? `${hit.kind}:${hit.frameworkId ?? ''}:${hit.id}` : `more:${group.kind}`}
                      tabIndex={-1}
                      id={optionId(position)}
                      role="option"
                      aria-selected={selected}
                      className={`search-option${selected ? ' search-option-active' : ''}${hit ? '' : ' search-option-more'}`}
                      onMouseMove={() => setActive(position)}
                      onClick={() => go(entry)}
                    >
                      {hit ? (
                        <>
                          <span className="search-option-title">
                            <ClusterText text={hit.title || hit.id} max={120} />
                          </span>
                          <span className="search-option-detail">
                            <ClusterText text={hit.detail} max={60} />
                          </span>
                          <span className="search-option-id mono">
                            <ClusterText text={hit.id} max={120} />
                          </span>
                        </>
                      ) : (
                        <span className="search-option-title">
                          All {formatCount(entry.more.total)} matching {group.title.toLowerCase()} →
                        </span>
                      )}
                    </div>
                  );
                })}
              </div>
            );
          })}
      </div>
    </div>
  );
}
