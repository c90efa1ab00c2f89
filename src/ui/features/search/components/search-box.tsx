import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { SearchHit, SearchKind } from '../../../../bff/schemas/views';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { paths } from '../../../config/paths';
import { useSearch } from '../api/search';

/** Also the target of the `/` and Ctrl+K shortcuts. */
export const SEARCH_INPUT_ID = 'global-search';

const DEBOUNCE_MS = 150;

const GROUPS: ReadonlyArray<{ key: 'tasks' | 'frameworks' | 'agents'; kind: SearchKind; title: string }> = [
  { key: 'tasks', kind: 'task', title: 'Tasks' },
  { key: 'frameworks', kind: 'framework', title: 'Frameworks' },
  { key: 'agents', kind: 'agent', title: 'Agents' },
];

/** Where a search hit leads. */
export function hitPath(hit: SearchHit): string {
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
 * framework or agent by ID, name or hostname. Arrow keys move through the results, Enter opens one, Escape
 * closes the list (and clears the box on a second press).
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

  const hits = data ? GROUPS.flatMap((group) => data[group.key]) : [];
  const activeIndex = Math.min(active, Math.max(hits.length - 1, 0));
  const expanded = open && text.trim() !== '' && data !== undefined;
  // While the answer for what is typed now is on its way, the list shows the previous one: Enter waits.
  const current = data !== undefined && data.query.toLowerCase() === text.trim().toLowerCase();
  const optionId = (index: number) => `${listboxId}-option-${index}`;

  const go = (hit: SearchHit | undefined) => {
    if (!hit) return;
    setOpen(false);
    setText('');
    inputRef.current?.blur();
    void navigate(hitPath(hit));
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
            if (expanded) setOpen(false);
            else {
              setText('');
              inputRef.current?.blur();
            }
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
          data &&
          GROUPS.map((group) => {
            const groupHits = data[group.key];
            if (groupHits.length === 0) return null;
            const headingId = `${listboxId}-${group.key}`;
            const total = data.totals[group.kind];
            return (
              <div key={group.key} role="group" aria-labelledby={headingId} className="search-group">
                <div id={headingId} className="search-group-title" role="presentation">
                  {group.title}
                  {total > groupHits.length && (
                    <span className="muted">
                      {' '}
                      (top {groupHits.length} of {total})
                    </span>
                  )}
                </div>
                {groupHits.map((hit) => {
                  index += 1;
                  const position = index;
                  const selected = position === activeIndex;
                  return (
                    // The keyboard works on the combobox (arrows, Enter), as the ARIA pattern asks; a click
                    // here is the pointer's way in.
                    // eslint-disable-next-line jsx-a11y/click-events-have-key-events
                    <div
                      key={`${hit.kind}:${hit.frameworkId ?? ''}:${hit.id}`}
                      tabIndex={-1}
                      id={optionId(position)}
                      role="option"
                      aria-selected={selected}
                      className={selected ? 'search-option search-option-active' : 'search-option'}
                      onMouseMove={() => setActive(position)}
                      onClick={() => go(hit)}
                    >
                      <span className="search-option-title">
                        <ClusterText text={hit.title || hit.id} max={120} />
                      </span>
                      <span className="search-option-detail">
                        <ClusterText text={hit.detail} max={60} />
                      </span>
                      <span className="search-option-id mono">
                        <ClusterText text={hit.id} max={120} />
                      </span>
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
