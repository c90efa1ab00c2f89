import { useId } from 'react';
import type { ResourceKind } from './format';
import { formatResource, RESOURCE_COLUMNS } from './format';

/** One column of a resource matrix: a name and an amount per resource (null: not known, shown as "-"). */
export interface ResourceSeries {
  label: string;
  values: Partial<Record<ResourceKind, number | null>>;
  /** Shown instead of a missing value for these resources (the monitor has no GPU usage: "N/A"). */
  missingAs?: Partial<Record<ResourceKind, string>>;
}

/**
 * A small table of CPUs / GPUs / Mem / Disk (rows) against named series (columns), e.g. Used, Allocated,
 * Available and Total on the agent page. The heading names the table for assistive technology.
 */
export function ResourceMatrix({
  title,
  series,
  testId,
}: {
  title: string;
  series: ResourceSeries[];
  testId?: string;
}) {
  const headingId = useId();
  // A machine without GPUs has no GPU row (every amount 0 or unknown), as the agents list has no GPU column.
  const rows = RESOURCE_COLUMNS.filter(
    (row) => row.kind !== 'gpus' || series.some((column) => (column.values.gpus ?? 0) > 0),
  );
  return (
    <section className="panel" aria-labelledby={headingId} data-testid={testId}>
      <h2 id={headingId}>{title}</h2>
      <table className="count-table resources-table" aria-labelledby={headingId}>
        <thead>
          <tr>
            <td />
            {series.map((column) => (
              <th key={column.label} scope="col" className="numeric">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.kind}>
              <th scope="row">{row.label}</th>
              {series.map((column) => {
                const value = column.values[row.kind];
                const missing = column.missingAs?.[row.kind] ?? '-';
                return (
                  <td
                    key={column.label}
                    className="numeric"
                    data-testid={testId && `${testId}-${column.label.toLowerCase()}-${row.kind}`}
                  >
                    {value === null || value === undefined ? missing : formatResource(row.kind, value)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
