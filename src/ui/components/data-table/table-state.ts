/**
 * The state of one table (filter, sort, page) kept in the URL's search params, so a link reproduces the view.
 * Each table on a page has its own prefix: `active.q`, `active.sort`, `active.order`, `active.page`.
 * Defaults are left out of the URL; pages are 1-based in the URL and 0-based in code.
 */
export type SortOrder = 'asc' | 'desc';

export interface TableState {
  q: string;
  sort: string | null;
  order: SortOrder;
  /** 0-based page index. */
  page: number;
}

export interface TableDefaults {
  sort: string | null;
  order: SortOrder;
}

export const NO_SORT_DEFAULTS: TableDefaults = { sort: null, order: 'asc' };

const key = (prefix: string, name: keyof TableState) => `${prefix}.${name}`;

export function readTableState(
  params: URLSearchParams,
  prefix: string,
  defaults: TableDefaults = NO_SORT_DEFAULTS,
): TableState {
  const order = params.get(key(prefix, 'order'));
  const page = Number.parseInt(params.get(key(prefix, 'page')) ?? '', 10);
  return {
    q: params.get(key(prefix, 'q')) ?? '',
    sort: params.get(key(prefix, 'sort')) ?? defaults.sort,
    order: order === 'asc' || order === 'desc' ? order : defaults.order,
    page: Number.isFinite(page) && page > 1 ? page - 1 : 0,
  };
}

/**
 * Returns new search params with `patch` applied to one table. Changing the filter or the sort goes back to
 * the first page (as the Mesos UI does). Other params (other tables, `path`, …) are kept.
 */
export function writeTableState(
  params: URLSearchParams,
  prefix: string,
  patch: Partial<TableState>,
  defaults: TableDefaults = NO_SORT_DEFAULTS,
): URLSearchParams {
  const current = readTableState(params, prefix, defaults);
  const resetsPage = patch.q !== undefined || patch.sort !== undefined || patch.order !== undefined;
  const next: TableState = { ...current, ...patch, page: patch.page ?? (resetsPage ? 0 : current.page) };
  const out = new URLSearchParams(params);
  const set = (name: keyof TableState, value: string | null) => {
    if (value === null) out.delete(key(prefix, name));
    else out.set(key(prefix, name), value);
  };
  set('q', next.q.trim() === '' ? null : next.q);
  set('sort', next.sort === defaults.sort ? null : next.sort);
  set('order', next.order === defaults.order && next.sort === defaults.sort ? null : next.order);
  set('page', next.page > 0 ? String(next.page + 1) : null);
  return out;
}

/** Clicking a sortable header: the same column flips the order, a new column starts at `firstOrder`. */
export function toggleSort(
  state: TableState,
  column: string,
  firstOrder: SortOrder = 'asc',
): Partial<TableState> {
  if (state.sort === column) return { sort: column, order: state.order === 'asc' ? 'desc' : 'asc' };
  return { sort: column, order: firstOrder };
}
