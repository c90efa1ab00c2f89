import { useId, type ReactNode } from 'react';
import type { FacetValue } from '../../../bff/schemas/views';
import { formatCount } from '../counts/format-count';
import { revealBidiControls } from '../cluster-text/reveal-bidi';

const MAX_OPTION_TEXT = 80;

/** An `<option>` holds plain text only: reveal bidi controls and cut names that can be 10 kB long. */
function optionText(text: string): string {
  const shown = revealBidiControls(text);
  return shown.length > MAX_OPTION_TEXT ? `${shown.slice(0, MAX_OPTION_TEXT)}…` : shown;
}

/** A filter of a list page: one value of a facet (state, framework, agent...), with its count. */
export function FacetSelect({
  label,
  value,
  options,
  onChange,
  omitted = 0,
  omittedHint = 'filter from their own page',
  format = (option) => option.label,
  counts = true,
  children,
}: {
  label: string;
  value: string;
  options: FacetValue[] | undefined;
  /** Values the server left out of a long list. */
  omitted?: number | undefined;
  /** How to reach the values left out. */
  omittedHint?: string;
  onChange: (value: string) => void;
  format?: (option: FacetValue) => string;
  /** Show each value's count (off when the counts are not of what the list shows). */
  counts?: boolean;
  /** Shown under the select (a box that narrows a long list). */
  children?: ReactNode;
}) {
  const id = useId();
  const known = options?.some((option) => option.value === value) ?? false;
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      <div className="filter-controls">
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">Any</option>
          {/* A value from a link that this cluster no longer has stays selectable, so the URL still explains the view. */}
          {value !== '' && !known && <option value={value}>{optionText(value)}</option>}
          {options?.map((option) => (
            <option key={option.value} value={option.value}>
              {optionText(format(option))}
              {counts && ` (${formatCount(option.count)})`}
            </option>
          ))}
          {omitted > 0 && (
            <option disabled value="">
              … {formatCount(omitted)} more with fewer tasks ({omittedHint})
            </option>
          )}
        </select>
        {children}
      </div>
    </div>
  );
}
