import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { TableDefaults, TableState } from './table-state';
import { NO_SORT_DEFAULTS, readTableState, writeTableState } from './table-state';

/** One table's filter/sort/page, read from and written to the URL (see `table-state.ts`). */
export function useTableUrlState(
  prefix: string,
  defaults: TableDefaults = NO_SORT_DEFAULTS,
): [TableState, (patch: Partial<TableState>) => void] {
  const [params, setParams] = useSearchParams();
  const { sort: defaultSort, order: defaultOrder } = defaults;
  const state = useMemo(
    () => readTableState(params, prefix, { sort: defaultSort, order: defaultOrder }),
    [params, prefix, defaultSort, defaultOrder],
  );
  const update = useCallback(
    (patch: Partial<TableState>) => {
      setParams(
        (current) => writeTableState(current, prefix, patch, { sort: defaultSort, order: defaultOrder }),
        // Typing in "Find..." should not add a history entry per keystroke; sorting and paging should.
        { replace: patch.q !== undefined, preventScrollReset: true },
      );
    },
    [setParams, prefix, defaultSort, defaultOrder],
  );
  return [state, update];
}
