import type { DataColumn } from './data-table';
import { DataTable } from './data-table';
import type { TableDefaults } from './table-state';
import { useTableUrlState } from './use-table-url-state';

/**
 * A table filtered, sorted and paged in the browser, whose state lives in the URL under `prefix`
 * (`<prefix>.q`, `<prefix>.sort`, ...), so a link reproduces the view.
 */
export function UrlDataTable<T>({
  prefix,
  title,
  columns,
  rows,
  getRowId,
  emptyMessage,
  defaults,
  error,
}: {
  prefix: string;
  title: string;
  columns: DataColumn<T>[];
  rows: T[] | undefined;
  getRowId: (row: T, index: number) => string;
  emptyMessage: string;
  defaults?: TableDefaults;
  error?: unknown;
}) {
  const [state, setState] = useTableUrlState(prefix, defaults);
  return (
    <DataTable
      title={title}
      columns={columns}
      data={rows}
      getRowId={getRowId}
      emptyMessage={emptyMessage}
      state={state}
      onStateChange={setState}
      error={error}
      testId={prefix}
      collapseWhenEmpty
    />
  );
}
