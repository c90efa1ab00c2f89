import './column-meta';
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type FilterFn,
  type Header,
  type Row,
} from '@tanstack/react-table';
import {
  useVirtualizer,
  useWindowVirtualizer,
  windowScroll,
  type Virtualizer,
} from '@tanstack/react-virtual';
import {
  memo,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
  type RefObject,
} from 'react';
import { sameJson } from '../../../mesos/same-json';
import { errorMessage } from '../states';
import { CellLinks, useCellLinkClicks } from './cell-link';
import { FilterInput } from './filter-input';
import { Pagination } from './pagination';
import { toggleSort, type TableState } from './table-state';

export const PAGE_SIZE = 50;

/**
 * Task tables (a page of 50 rows, a new task at the top every 0.1 s on a big cluster) render only the rows in
 * view from this many rows: each poll then creates, lays out and paints about a screenful of rows, not 50.
 */
export const TASK_ROWS_IN_PAGE_FROM = 20;

// Column value types differ per column; react-table's own examples type column arrays this way.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DataColumn<T> = ColumnDef<T, any>;

/** Case-insensitive substring match on a column's value ("Find..."). */
const includesText: FilterFn<unknown> = (row, columnId, filter: string) => {
  const value = row.getValue(columnId);
  if (value === null || value === undefined) return false;
  return String(value).toLowerCase().includes(filter.toLowerCase());
};

export interface DataTableProps<T> {
  /** The table's heading; it also names the table for assistive technology. */
  title: string;
  columns: DataColumn<T>[];
  /** `undefined` while the first response is on its way. */
  data: T[] | undefined;
  getRowId: (row: T, index: number) => string;
  emptyMessage: string;
  state: TableState;
  onStateChange: (patch: Partial<TableState>) => void;
  /**
   * Server-side mode: the server already filtered, sorted and paged `data`; `total` is the filtered count.
   * Without it, the table filters, sorts and pages `data` itself.
   */
  total?: number;
  /** Server-side mode: the count before the filter, for "3 of 1000" while filtering. */
  unfilteredTotal?: number | undefined;
  error?: unknown;
  /** Shown after the title, e.g. a link. */
  actions?: ReactNode;
  testId?: string;
  pageSize?: number;
  /**
   * Render only the rows in view (react-virtual) when a page holds more rows than this: a long page then
   * costs a few dozen rows of DOM.
   */
  virtualizeFrom?: number;
  /**
   * Where a virtualized table scrolls: in a box of its own (`box`, headers kept in sight), or with the page
   * (`page`: the table keeps its place and full height in a longer page, and leaves out the rows off screen).
   */
  virtualizeIn?: 'box' | 'page';
  /** With nothing to list (and no filter), the table is one line: its title, count and `emptyMessage`. */
  collapseWhenEmpty?: boolean;
  /** The table's section, for its owner to see whether it is on screen. */
  sectionRef?: RefObject<HTMLElement | null>;
}

/** A first guess of a row's height; rows are measured once rendered. */
const ROW_HEIGHT_PX = 34;

/**
 * A rendered row's height: from its ResizeObserver's report, which comes after the browser's own layout; until
 * then the height already known, or the guess. The virtualizer's default reads `offsetHeight` as each row is
 * attached, which forces the browser to lay out the whole page in the middle of the commit (on the Overview's first
 * render, a page of three tables, about 40 ms), and to lay it out again for the frame if the commit goes on.
 */
function measureRow<S extends Element | Window>(
  element: Element,
  entry: ResizeObserverEntry | undefined,
  virtualizer: Virtualizer<S, Element>,
): number {
  const box = entry?.borderBoxSize[0];
  if (box) return Math.round(box.blockSize);
  const index = virtualizer.indexFromElement(element);
  return (
    virtualizer.itemSizeCache.get(virtualizer.options.getItemKey(index)) ??
    virtualizer.options.estimateSize(index)
  );
}

/** Rows rendered beyond each end of what is in view: in a box of its own, and scrolling with the page. */
const BOX_OVERSCAN = 10;
const PAGE_OVERSCAN = 5;

/**
 * The window virtualizer's scroll writes, less its first: as it starts observing the window it scrolls the window
 * to where the window already is (the offset it read when it was made, in the same render), and a scroll write
 * forces the browser to lay out the whole page in the middle of the commit.
 */
function scrollWritesAfterTheFirst(): typeof windowScroll {
  let started = false;
  return (...write) => {
    if (started) windowScroll(...write);
    started = true;
  };
}

function columnId<T>(column: DataColumn<T>): string | undefined {
  if (column.id !== undefined) return column.id;
  return 'accessorKey' in column ? String(column.accessorKey) : undefined;
}

/** The leaf columns (the ones with cells) of a column list that may contain groups. */
function leafColumns<T>(columns: DataColumn<T>[]): DataColumn<T>[] {
  return columns.flatMap((column) =>
    'columns' in column && column.columns ? leafColumns(column.columns as DataColumn<T>[]) : [column],
  );
}

function SortableHeader<T>({
  header,
  state,
  onStateChange,
}: {
  header: Header<T, unknown>;
  state: TableState;
  onStateChange: (patch: Partial<TableState>) => void;
}) {
  const meta = header.column.columnDef.meta;
  const colSpan = header.colSpan > 1 ? header.colSpan : undefined;
  // Above an ungrouped column in a table with column groups: nothing to say.
  if (header.isPlaceholder) return <td colSpan={colSpan} />;
  const content = flexRender(header.column.columnDef.header, header.getContext());
  const className =
    [meta?.numeric ? 'numeric' : '', meta?.priority ? `col-${meta.priority}` : ''].join(' ').trim() ||
    undefined;
  if (header.subHeaders.length > 0) {
    return (
      <th scope="colgroup" colSpan={colSpan} className="column-group">
        {content}
      </th>
    );
  }
  if (!header.column.getCanSort()) {
    return (
      <th scope="col" className={className}>
        {content}
      </th>
    );
  }
  const active = state.sort === header.column.id;
  const ariaSort = active ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <th scope="col" className={className} aria-sort={ariaSort}>
      <button
        type="button"
        className={active ? 'sort-button sort-active' : 'sort-button'}
        onClick={() => onStateChange(toggleSort(state, header.column.id, meta?.firstOrder))}
      >
        {content}
        <span className="sort-indicator" aria-hidden="true">
          {active ? (state.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/**
 * The one table of mesoscope: a heading, a "Find..." box, click-to-sort headers and paging, all driven by
 * a `TableState` (normally kept in the URL, see `useTableUrlState`).
 */
export function DataTable<T>({
  title,
  columns,
  data,
  getRowId,
  emptyMessage,
  state,
  onStateChange,
  total,
  unfilteredTotal,
  error,
  actions,
  testId,
  pageSize = PAGE_SIZE,
  virtualizeFrom,
  virtualizeIn = 'box',
  collapseWhenEmpty = false,
  sectionRef,
}: DataTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const headingId = useId();
  const titleId = useId();
  const onLinkClick = useCellLinkClicks();
  const serverSide = total !== undefined;
  const rows = data ?? [];
  const leaves = leafColumns(columns);
  const sortable = new Set(leaves.filter((column) => column.enableSorting !== false).map(columnId));
  const sorting =
    state.sort && sortable.has(state.sort) ? [{ id: state.sort, desc: state.order === 'desc' }] : [];

  const rowIds = uniqueRowIds(rows, getRowId);
  // TanStack Table returns fresh functions each render; nothing here relies on the React Compiler memoizing it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable<T>({
    data: rows,
    columns,
    getRowId: (row, index) => rowIds.get(row) ?? String(index),
    state: {
      sorting,
      globalFilter: state.q,
      pagination: { pageIndex: state.page, pageSize },
    },
    manualSorting: serverSide,
    manualFiltering: serverSide,
    manualPagination: serverSide,
    rowCount: serverSide ? total : undefined,
    globalFilterFn: includesText as FilterFn<T>,
    getColumnCanGlobalFilter: (column) => column.accessorFn !== undefined,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: serverSide ? undefined : getFilteredRowModel(),
    getSortedRowModel: serverSide ? undefined : getSortedRowModel(),
    autoResetPageIndex: false,
  });

  const filteredCount = serverSide ? (total ?? 0) : table.getFilteredRowModel().rows.length;
  const pageCount = Math.max(1, Math.ceil(filteredCount / pageSize));
  const page = Math.min(state.page, pageCount - 1);
  const visibleRows = serverSide
    ? table.getRowModel().rows
    : table.getPrePaginationRowModel().rows.slice(page * pageSize, (page + 1) * pageSize);
  const unfilteredCount = serverSide ? (unfilteredTotal ?? null) : rows.length;
  const loading = data === undefined && !error;
  const failed = data === undefined && Boolean(error);
  const filtering = state.q.trim() !== '';
  // A printed page holds every row: nothing scrolls on paper.
  const printed = usePrinting();
  const virtualizing = !printed && virtualizeFrom !== undefined && visibleRows.length > virtualizeFrom;
  const inPage = virtualizing && virtualizeIn === 'page';
  const boxVirtualizer = useVirtualizer({
    count: virtualizing && !inPage ? visibleRows.length : 0,
    // Off, it observes no element: a virtualizer reads its scroller's size as it starts observing (a layout).
    enabled: virtualizing && !inPage,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    measureElement: measureRow,
    // Until the box is measured, assume a screenful.
    initialRect: { width: 0, height: 800 },
    overscan: BOX_OVERSCAN,
  });
  const { top: bodyTop, rowHeight } = useBodyInPage(bodyRef, inPage);
  const [windowScrollAfterStart] = useState(scrollWritesAfterTheFirst);
  // Read as the table is first rendered, before its commit changes the page: read later, in the commit's
  // effects, where the virtualizer would read it, the page's scroll forces a layout of the whole page.
  const [scrollAtStart] = useState(() => (typeof window === 'undefined' ? 0 : window.scrollY));
  const pageVirtualizer = useWindowVirtualizer({
    count: inPage ? visibleRows.length : 0,
    estimateSize: () => rowHeight,
    measureElement: measureRow,
    scrollToFn: windowScrollAfterStart,
    initialOffset: scrollAtStart,
    initialRect: { width: 0, height: typeof window === 'undefined' ? 800 : window.innerHeight },
    // Where the rows start in the page: the virtualizer counts the page's scroll from there.
    scrollMargin: bodyTop,
    overscan: PAGE_OVERSCAN,
  });
  const virtualizer = inPage ? pageVirtualizer : boxVirtualizer;
  // The rows left out are as high as those rendered, so that the table is as high as with every row (once they
  // have been measured: on mount nothing is, and measuring again would render the table a second time).
  const guessedRowHeight = useRef(rowHeight);
  useLayoutEffect(() => {
    if (rowHeight === guessedRowHeight.current) return;
    guessedRowHeight.current = rowHeight;
    pageVirtualizer.measure();
  }, [pageVirtualizer, rowHeight]);
  const headerRows = table.getHeaderGroups().length;

  let body: ReactNode;
  if (loading || failed) {
    body = (
      <tr>
        <td colSpan={leaves.length} className={failed ? 'table-message table-error' : 'table-message'}>
          {failed ? (
            `Could not load ${title.toLowerCase()}: ${errorMessage(error)}`
          ) : (
            <span className="skeleton-line" aria-label="Loading" />
          )}
        </td>
      </tr>
    );
  } else if (visibleRows.length === 0) {
    body = (
      <tr>
        <td colSpan={leaves.length} className="table-message">
          {filtering ? `No ${title.toLowerCase()} match "${state.q}".` : emptyMessage}
        </td>
      </tr>
    );
  } else {
    const columnsKey = table
      .getVisibleLeafColumns()
      .map((column) => column.id)
      .join(',');
    const renderRow = (row: Row<T>, index?: number) => (
      <BodyRow
        key={row.id}
        row={row}
        index={index}
        rowIndex={index === undefined ? undefined : headerRows + index + 1}
        measure={index === undefined ? undefined : virtualizer.measureElement}
        columns={columns}
        columnsKey={columnsKey}
      />
    );
    if (virtualizing) {
      const items = virtualizer.getVirtualItems();
      // Item positions count from the page's top when in the page, from the box's top otherwise.
      const origin = inPage ? bodyTop : 0;
      const above = (items[0]?.start ?? origin) - origin;
      const below = virtualizer.getTotalSize() - ((items.at(-1)?.end ?? origin) - origin);
      const spacer = (key: string, height: number) =>
        height > 0 ? (
          <tr key={key} aria-hidden="true" className="virtual-spacer">
            <td colSpan={leaves.length} style={{ height }} />
          </tr>
        ) : null;
      body = [
        spacer('above', above),
        ...items.map((item) => {
          const row = visibleRows[item.index];
          return row ? renderRow(row, item.index) : null;
        }),
        spacer('below', below),
      ];
    } else {
      body = visibleRows.map((row) => renderRow(row));
    }
  }

  const showFilter = filtering || (data !== undefined && (serverSide ? filteredCount > 0 : rows.length > 0));

  if (collapseWhenEmpty && data !== undefined && !filtering && filteredCount === 0) {
    return (
      <section
        className="data-table-section data-table-empty"
        aria-labelledby={headingId}
        data-testid={testId}
        ref={sectionRef}
      >
        <div className="table-header">
          <h2 id={headingId}>
            <span id={titleId}>{title}</span>
            <span className="table-count">0</span>
          </h2>
          <span className="muted">{emptyMessage}</span>
          {actions}
        </div>
      </section>
    );
  }

  return (
    <section className="data-table-section" aria-labelledby={headingId} data-testid={testId} ref={sectionRef}>
      <div className="table-header">
        <h2 id={headingId}>
          <span id={titleId}>{title}</span>
          {data !== undefined && (
            <span className="table-count">
              {filtering && unfilteredCount !== null
                ? `${filteredCount} of ${unfilteredCount}`
                : filteredCount}
            </span>
          )}
        </h2>
        {actions}
        {showFilter && (
          <FilterInput value={state.q} onChange={(q) => onStateChange({ q })} label={`Filter ${title}`} />
        )}
      </div>
      <div
        className={virtualizing && !inPage ? 'table-scroll table-scroll-virtual' : 'table-scroll'}
        ref={scrollRef}
      >
        {/* Clicks on the cells' plain links, followed in the app (the links themselves are focusable). */}
        {/* eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions */}
        <table
          onClick={onLinkClick}
          className="data-table"
          aria-labelledby={titleId}
          // Virtualized, the table still says how many rows it has, and each row where it is among them.
          aria-rowcount={virtualizing ? headerRows + visibleRows.length : undefined}
        >
          <thead>
            {table.getHeaderGroups().map((group, groupIndex) => (
              <tr key={group.id} aria-rowindex={virtualizing ? groupIndex + 1 : undefined}>
                {group.headers.map((header) => (
                  <SortableHeader
                    key={header.id}
                    header={header}
                    state={state}
                    onStateChange={onStateChange}
                  />
                ))}
              </tr>
            ))}
          </thead>
          <tbody ref={bodyRef}>
            <CellLinks>{body}</CellLinks>
          </tbody>
        </table>
      </div>
      <Pagination
        page={page}
        pageCount={pageCount}
        onPage={(next) => onStateChange({ page: next })}
        label={title}
      />
    </section>
  );
}

/**
 * Row ids as React keys: the same task keeps its row (and its DOM) when a new one is listed above it, and
 * an id that appears twice (a task id reused after it ended) gets `#2`, `#3`… instead of a position.
 */
function uniqueRowIds<T>(rows: readonly T[], getRowId: (row: T, index: number) => string): Map<T, string> {
  const ids = new Map<T, string>();
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const base = getRowId(row, index);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    ids.set(row, count === 1 ? base : `${base}#${count}`);
  });
  return ids;
}

let printing = false;

function subscribeToPrinting(listener: () => void): () => void {
  const before = () => {
    printing = true;
    listener();
  };
  const after = () => {
    printing = false;
    listener();
  };
  window.addEventListener('beforeprint', before);
  window.addEventListener('afterprint', after);
  return () => {
    window.removeEventListener('beforeprint', before);
    window.removeEventListener('afterprint', after);
  };
}

/** Whether the page is being printed (or saved as PDF), from `beforeprint`: before the printed layout. */
function usePrinting(): boolean {
  return useSyncExternalStore(
    subscribeToPrinting,
    () => printing,
    () => false,
  );
}

/**
 * Where a table body starts in the page (its top plus the page's scroll) and how high its rows are, while `active`.
 * Read when the page's layout can have moved it: a ResizeObserver on the page's body (anything above the table
 * growing or shrinking, the window's width) and on the table body (its rows coming and going) reports after the
 * browser's own layout (the first time right after the body is laid out), so no commit forces one.
 */
function useBodyInPage(
  ref: RefObject<HTMLElement | null>,
  active: boolean,
): { top: number; rowHeight: number } {
  const [place, setPlace] = useState({ top: 0, rowHeight: ROW_HEIGHT_PX });
  useLayoutEffect(() => {
    const body = ref.current;
    if (!active || !body) return undefined;
    const read = () => {
      const top = Math.round(body.getBoundingClientRect().top + window.scrollY);
      const row = body.querySelector('tr[data-index]')?.getBoundingClientRect().height ?? 0;
      setPlace((old) => {
        const rowHeight = row > 0 ? row : old.rowHeight;
        return top === old.top && Math.abs(rowHeight - old.rowHeight) <= 0.01 ? old : { top, rowHeight };
      });
    };
    if (typeof ResizeObserver === 'undefined') {
      read();
      window.addEventListener('resize', read);
      return () => window.removeEventListener('resize', read);
    }
    // Its first report comes after the browser's own layout of this commit, so the first render forces none; until
    // then the rows are placed as if the body were at the page's top, which at the top of a page renders every row
    // in view and a few more.
    const observer = new ResizeObserver(read);
    observer.observe(document.body);
    observer.observe(body);
    return () => observer.disconnect();
  }, [ref, active]);
  return place;
}

interface BodyCellsProps<T> {
  row: Row<T>;
  columns: DataColumn<T>[];
  columnsKey: string;
}

interface BodyRowProps<T> extends BodyCellsProps<T> {
  /** Set when virtualized: the row's place in the list, for measuring. */
  index: number | undefined;
  /** Set when virtualized: the row's place in the whole table, for assistive technology. */
  rowIndex: number | undefined;
  measure: ((element: HTMLTableRowElement | null) => void) | undefined;
}

function BodyCellsOf<T>({ row }: BodyCellsProps<T>): ReactNode {
  return row.getVisibleCells().map((cell) => {
    const meta = cell.column.columnDef.meta;
    const className = [
      meta?.numeric ? 'numeric' : '',
      meta?.className ?? '',
      meta?.priority ? `col-${meta.priority}` : '',
    ]
      .join(' ')
      .trim();
    return (
      <td key={cell.id} className={className === '' ? undefined : className}>
        {flexRender(cell.column.columnDef.cell, cell.getContext())}
      </td>
    );
  });
}

/**
 * A row's cells render again only when its data or columns changed: a poll that brings one new task
 * re-renders one row, not the page, and a row that only moved (a virtualized row's place) keeps its cells.
 * Polled rows are new objects even when nothing in them changed, so the data is compared by value.
 */
const BodyCells = memo(
  BodyCellsOf,
  (before, after) =>
    before.columns === after.columns &&
    before.columnsKey === after.columnsKey &&
    sameJson(before.row.original, after.row.original),
) as typeof BodyCellsOf;

/** The row itself renders with its table (a place is cheap to set); its cells only when needed (`BodyCells`). */
function BodyRow<T>({ row, index, rowIndex, measure, columns, columnsKey }: BodyRowProps<T>) {
  return (
    <tr data-index={index} aria-rowindex={rowIndex} ref={measure}>
      <BodyCells row={row} columns={columns} columnsKey={columnsKey} />
    </tr>
  );
}
