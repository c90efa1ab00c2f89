import { memo, useId } from 'react';
import type { OverviewView } from '../../../../bff/schemas/views';
import { formatResource, RESOURCE_COLUMNS } from '../../../components/resources/format';

const ROWS = [
  { key: 'total', label: 'Total' },
  { key: 'allocated', label: 'Allocated' },
  { key: 'offered', label: 'Offered' },
  { key: 'idle', label: 'Idle' },
] as const;

/**
 * Total / Allocated / Offered / Idle × CPUs / GPUs / Mem / Disk; rendered again only when they changed (a poll keeps
 * an unchanged part's identity).
 */
export const ResourcesTable = memo(function ResourcesTable({
  resources,
}: {
  resources: OverviewView['resources'] | undefined;
}) {
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Resources</h2>
      <table className="count-table resources-table" aria-labelledby={headingId}>
        <thead>
          <tr>
            <td />
            {RESOURCE_COLUMNS.map((column) => (
              <th key={column.kind} scope="col" className="numeric">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              {RESOURCE_COLUMNS.map((column) => (
                <td key={column.kind} className="numeric" data-testid={`resources-${row.key}-${column.kind}`}>
                  {resources ? formatResource(column.kind, resources[row.key][column.kind]) : '-'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
});
