import type { FrameworkRow } from '../../../../bff/schemas/views';
import { DataTable, type DataColumn } from '../../../components/data-table/data-table';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import { useFrameworks } from '../api/get-frameworks';
import { completedFrameworkColumns, frameworkColumns } from './framework-columns';

function FrameworkTable({
  prefix,
  title,
  empty,
  rows,
  error,
  columns,
}: {
  prefix: string;
  title: string;
  empty: string;
  rows: FrameworkRow[] | undefined;
  error: unknown;
  columns: DataColumn<FrameworkRow>[];
}) {
  const [state, setState] = useTableUrlState(prefix, { sort: 'registeredTime', order: 'desc' });
  return (
    <DataTable
      title={title}
      columns={columns}
      data={rows}
      getRowId={(framework) => framework.id}
      emptyMessage={empty}
      state={state}
      onStateChange={setState}
      error={error}
      testId={`${prefix}-frameworks`}
    />
  );
}

/** Active, Inactive and Completed frameworks (small lists: filtered, sorted and paged in the browser). */
export function FrameworksTables() {
  const frameworks = useFrameworks();
  const data = frameworks.data;
  return (
    <>
      <FrameworkTable
        prefix="active"
        title="Active Frameworks"
        empty="No active frameworks."
        rows={data?.active}
        error={frameworks.error}
        columns={frameworkColumns}
      />
      <FrameworkTable
        prefix="inactive"
        title="Inactive Frameworks"
        empty="No inactive frameworks."
        rows={data?.inactive}
        error={frameworks.error}
        columns={frameworkColumns}
      />
      <FrameworkTable
        prefix="completed"
        title="Completed Frameworks"
        empty="No completed frameworks."
        rows={data?.completed}
        error={frameworks.error}
        columns={completedFrameworkColumns}
      />
    </>
  );
}
