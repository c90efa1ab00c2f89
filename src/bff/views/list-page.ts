/**
 * Filters, sorts and pages a list on the server, so a browser only ever holds one page of a list that grows
 * with the cluster (10,000 agents, 1,000 frameworks).
 */
import type { ListPage } from '../schemas/views';

export interface ListQuery {
  q?: string | undefined;
  sort?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  offset: number;
  limit: number;
}

export interface ListSpec<T> {
  /** Text the filter looks in (case-insensitive substring, like the Mesos UI's "Find..."). */
  text: (row: T) => string;
  /** Sort keys by column id; a key that is not here is ignored. */
  sortBy: Record<string, (row: T) => string | number | null>;
  /** Breaks ties, and orders rows when no sort is given. */
  id: (row: T) => string;
}

const lowerText = new WeakMap<object, string>();

export function listPage<T extends object>(
  rows: readonly T[],
  query: ListQuery,
  spec: ListSpec<T>,
  snapshotAt: number,
): ListPage<T> {
  const needle = query.q?.trim().toLowerCase() ?? '';
  const textOf = (row: T) => {
    let text = lowerText.get(row);
    if (text === undefined) lowerText.set(row, (text = spec.text(row).toLowerCase()));
    return text;
  };
  const matching = needle ? rows.filter((row) => textOf(row).includes(needle)) : [...rows];
  const key = query.sort ? spec.sortBy[query.sort] : undefined;
  const direction = query.order === 'desc' ? -1 : 1;
  matching.sort((a, b) => {
    if (key) {
      const left = key(a);
      const right = key(b);
      // Missing values go last whatever the direction, like the tables in the browser.
      if (left === null && right !== null) return 1;
      if (right === null && left !== null) return -1;
      if (left !== null && right !== null && left !== right) return (left < right ? -1 : 1) * direction;
    }
    const idA = spec.id(a);
    const idB = spec.id(b);
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  });
  return {
    snapshotAt,
    total: matching.length,
    unfiltered: rows.length,
    offset: query.offset,
    limit: query.limit,
    rows: matching.slice(query.offset, query.offset + query.limit),
  };
}
