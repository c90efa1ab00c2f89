/** The building blocks of the detail pages (task, agent, framework): titled sections and key/value tables. */
import { useId, type ReactNode } from 'react';
import { ClusterText } from '../cluster-text/cluster-text';

/**
 * A titled panel of a detail page. With `empty` (why there is nothing to show), it is one line: the title and
 * that reason, so a page of empty sections stays short.
 */
export function Section({
  title,
  children,
  testId,
  empty,
}: {
  title: string;
  children?: ReactNode;
  testId?: string | undefined;
  empty?: string | undefined;
}) {
  const id = `section-${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  if (empty !== undefined) {
    return (
      <section className="panel panel-empty" aria-labelledby={id} data-testid={testId}>
        <h2 id={id}>{title}</h2>
        <span className="muted">{empty}</span>
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** What a summary shows for a value the cluster did not report. */
export function Dash() {
  return <span className="muted">-</span>;
}

/** A value from the cluster, or "-" when there is none. */
export function text(value: string | number | boolean | null | undefined): ReactNode {
  if (value === null || value === undefined || value === '') return <Dash />;
  return <ClusterText text={String(value)} />;
}

/** A small two-column table with a caption (every table is named). */
export function KeyValueTable({
  caption,
  rows,
  monoKeys = false,
}: {
  caption: string;
  rows: Array<[string, ReactNode]>;
  /** Keys that are data (label keys), not field names. */
  monoKeys?: boolean;
}) {
  return (
    <table className="data-table compact-table">
      <caption className="visually-hidden">{caption}</caption>
      <tbody>
        {rows.map(([key, value], index) => (
          <tr key={`${key}-${index}`}>
            <th scope="row" className={monoKeys ? 'mono cell-wrap' : 'cell-wrap'}>
              <ClusterText text={key} />
            </th>
            <td className="cell-wrap">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
