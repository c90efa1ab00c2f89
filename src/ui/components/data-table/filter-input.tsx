import { useEffect, useId, useState } from 'react';

const FILTER_DEBOUNCE_MS = 250;

/** The "Find..." box over a table: debounced, with a clear button. */
export function FilterInput({
  value,
  onChange,
  label,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [committed, setCommitted] = useState(value);

  // The URL changed from outside (back button, a link): show the new value.
  if (value !== committed) {
    setCommitted(value);
    setDraft(value);
  }

  useEffect(() => {
    if (draft === value) return undefined;
    const timer = window.setTimeout(() => onChange(draft), FILTER_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [draft, value, onChange]);

  return (
    <div className={draft === '' ? 'filter-input' : 'filter-input filter-input-active'}>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="search"
        placeholder="Find..."
        value={draft}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onChange(draft);
          if (event.key === 'Escape') setDraft('');
        }}
      />
      {draft !== '' && (
        <button type="button" className="filter-clear" aria-label="Clear filter" onClick={() => setDraft('')}>
          ×
        </button>
      )}
    </div>
  );
}
