import type { DataColumn } from '../../../components/data-table/data-table';
import type { TableDefaults } from '../../../components/data-table/table-state';
import { UrlDataTable } from '../../../components/data-table/url-data-table';

/**
 * What runs on the agent now ("Executors") and what has ended there ("Completed Executors"), one table each,
 * keyed by ID. The completed table keeps its state in the URL under `completed`.
 */
export function ActiveAndCompletedTables<T extends { id: string }>({
  prefix,
  title,
  columns,
  rows,
  completedRows,
  emptyMessage,
  defaults,
}: {
  prefix: string;
  title: string;
  columns: (completed: boolean) => DataColumn<T>[];
  rows: T[];
  completedRows: T[];
  emptyMessage: string;
  defaults: TableDefaults;
}) {
  return [false, true].map((completed) => (
    <UrlDataTable
      key={String(completed)}
      prefix={completed ? 'completed' : prefix}
      title={completed ? `Completed ${title}` : title}
      columns={columns(completed)}
      rows={completed ? completedRows : rows}
      getRowId={(row) => row.id}
      emptyMessage={completed ? `No completed ${title.toLowerCase()}.` : emptyMessage}
      defaults={defaults}
    />
  ));
}
