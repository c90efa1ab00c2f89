import type { RowData } from '@tanstack/react-table';
import type { SortOrder } from './table-state';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Right-align and use tabular digits. */
    numeric?: boolean;
    /** The order a first click on this header sorts by (default 'asc'). */
    firstOrder?: SortOrder;
    /** Extra class for the cells of this column. */
    className?: string;
    /**
     * A column that narrower screens can do without, hidden below 1600 px (`low`) or 1366 px (`medium`) wide,
     * so that a table never scrolls sideways on a laptop (the column is still in the page at larger sizes).
     */
    priority?: 'low' | 'medium';
  }
}
