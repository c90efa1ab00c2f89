import { memo, useId } from 'react';
import { Link } from 'react-router';
import { formatCount as formatNumber } from './format-count';

export interface CountRow {
  label: string;
  value: number | undefined;
  testId: string;
  tone?: 'ok' | 'warn' | 'bad' | 'info';
  /** The list this counts (`/tasks?state=TASK_FAILED`): the count links to it. */
  to?: string;
}

function formatCount(value: number | undefined): string {
  return value === undefined ? '-' : formatNumber(value);
}

/** A small two-column table of counters (the Mesos home page's Agents and Tasks tables). */
export function CountTable({ title, rows }: { title: string; rows: CountRow[] }) {
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <table className="count-table" aria-labelledby={headingId}>
        <tbody>
          {rows.map((row) => (
            <CountTableRow key={row.testId} {...row} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One counter: rendered again only when its own count (or link) changed, not at every poll of the table's data. */
const CountTableRow = memo(function CountTableRow({ label, value, testId, tone, to }: CountRow) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td
        className={value && tone ? `numeric count tone-text-${tone}` : 'numeric count'}
        data-testid={testId}
      >
        {to && value !== undefined ? (
          <Link to={to} aria-label={`${label}: ${formatCount(value)}, list them`}>
            {formatCount(value)}
          </Link>
        ) : (
          formatCount(value)
        )}
      </td>
    </tr>
  );
});
