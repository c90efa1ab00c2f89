import type { FrameworkGroup, FrameworkRow } from '../../../../bff/schemas/views';
import { DataTable, type DataColumn } from '../../../components/data-table/data-table';
import { useTableUrlState } from '../../../components/data-table/use-table-url-state';
import {
  FRAMEWORKS_TABLE_DEFAULTS,
  frameworksPageQuery,
  useFrameworksPage,
} from '../api/get-frameworks-page';
import { completedFrameworkColumns, frameworkColumns } from './framework-columns';

function FrameworkTable({
  group,
  title,
  empty,
  columns,
}: {
  group: FrameworkGroup;
  title: string;
  empty: string;
  columns: DataColumn<FrameworkRow>[];
}) {
  const [state, setState] = useTableUrlState(group, FRAMEWORKS_TABLE_DEFAULTS);
  const frameworks = useFrameworksPage(frameworksPageQuery(group, state));
  return (
    <DataTable
      title={title}
      columns={columns}
      data={frameworks.data?.rows}
      total={frameworks.data?.total ?? 0}
      unfilteredTotal={frameworks.data?.unfiltered}
      getRowId={(framework) => framework.id}
      emptyMessage={empty}
      state={state}
      onStateChange={setState}
      error={frameworks.error}
      testId={`${group}-frameworks`}
    />
  );
}

/**
 * Active, Inactive and Completed frameworks, each table filtered, sorted and paged by the server (a cluster
 * can run a thousand frameworks).
 */
export function FrameworksTables() {
  return (
    <>
      <FrameworkTable
        group="active"
        title="Active Frameworks"
        empty="No active frameworks."
        columns={frameworkColumns}
      />
      <FrameworkTable
        group="inactive"
        title="Inactive Frameworks"
        empty="No inactive frameworks."
        columns={frameworkColumns}
      />
      <FrameworkTable
        group="completed"
        title="Completed Frameworks"
        empty="No completed frameworks."
        columns={completedFrameworkColumns}
      />
    </>
  );
}
