import { useId } from 'react';
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
            <tr key={row.testId}>
              <th scope="row">{row.label}</th>
              <td
                className={row.value && row.tone ? `numeric count tone-text-${row.tone}` : 'numeric count'}
                data-testid={row.testId}
              >
                {row.to && row.value !== undefined ? (
                  <Link to={row.to} aria-label={`${row.label}: ${formatCount(row.value)}, list them`}>
                    {formatCount(row.value)}
                  </Link>
                ) : (
                  formatCount(row.value)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
