import type { KeyboardEvent, RefObject } from 'react';
import type { SearchOptions } from '../utils/line-search';

export interface SearchControlsProps {
  options: SearchOptions;
  onChange: (options: SearchOptions) => void;
  /** 0-based index of the match in focus, or -1. */
  current: number;
  total: number;
  limited: boolean;
  error: string | null;
  filter: boolean;
  onFilterChange: (filter: boolean) => void;
  onNext: () => void;
  onPrevious: () => void;
  onSearchWholeFile: () => void;
  inputRef: RefObject<HTMLInputElement | null>;
}

/** Search in the loaded lines: text or regex, case, n of N, next/previous, filter, and the whole-file search. */
export function SearchControls({ inputRef, ...props }: SearchControlsProps) {
  const { options, onChange } = props;
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (event.shiftKey) props.onPrevious();
      else props.onNext();
    } else if (event.key === 'Escape') {
      onChange({ ...options, query: '' });
    }
  };
  const count =
    options.query === ''
      ? ''
      : props.error
        ? 'bad pattern'
        : props.total === 0
          ? 'no match'
          : `${props.current + 1} of ${props.total}${props.limited ? '+' : ''}`;
  return (
    <div className="log-search" role="search">
      <input
        ref={inputRef}
        type="search"
        className={props.error ? 'log-search-input log-search-invalid' : 'log-search-input'}
        placeholder="Search (/)"
        aria-label="Search the loaded lines"
        aria-invalid={props.error ? true : undefined}
        title={props.error ?? 'Enter: next match, Shift+Enter: previous, Esc: clear'}
        value={options.query}
        onChange={(event) => onChange({ ...options, query: event.target.value })}
        onKeyDown={onKeyDown}
      />
      <button
        type="button"
        className={options.regex ? 'log-toggle log-toggle-on' : 'log-toggle'}
        aria-pressed={options.regex}
        title="Regular expression"
        onClick={() => onChange({ ...options, regex: !options.regex })}
      >
        .*
      </button>
      <button
        type="button"
        className={options.caseSensitive ? 'log-toggle log-toggle-on' : 'log-toggle'}
        aria-pressed={options.caseSensitive}
        title="Match case"
        onClick={() => onChange({ ...options, caseSensitive: !options.caseSensitive })}
      >
        Aa
      </button>
      <output className="log-search-count" data-testid="search-count" aria-live="polite">
        {count}
      </output>
      <button
        type="button"
        className="log-toggle"
        onClick={props.onPrevious}
        disabled={props.total === 0}
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
      >
        ↑
      </button>
      <button
        type="button"
        className="log-toggle"
        onClick={props.onNext}
        disabled={props.total === 0}
        aria-label="Next match"
        title="Next match (Enter)"
      >
        ↓
      </button>
      <button
        type="button"
        className={props.filter ? 'log-toggle log-toggle-on' : 'log-toggle'}
        aria-pressed={props.filter}
        onClick={() => props.onFilterChange(!props.filter)}
        disabled={options.query === '' && !props.filter}
        title="Show only the lines that match"
      >
        Filter
      </button>
      <button
        type="button"
        className="log-toggle"
        onClick={props.onSearchWholeFile}
        disabled={options.query === '' || props.error !== null}
        title="Search the whole file on the agent, not only the loaded lines"
      >
        Whole file
      </button>
    </div>
  );
}
