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

interface ListSpec<T> {
  /** Text the filter looks in (case-insensitive substring, like the Mesos UI's "Find..."). */
  text: (row: T) => string;
  /** Sort keys by column id; a key that is not here is ignored. */
  sortBy: Record<string, (row: T) => string | number | null>;
  /** Breaks ties, and orders rows when no sort is given. */
  id: (row: T) => string;
  /** Rows a filter other than the text keeps (e.g. agents in a state); the others are not counted as matching. */
  keep?: ((row: T) => boolean) | undefined;
}

/** Text sorts as people read it: `ip-10-0-0-2` before `ip-10-0-0-10`, whatever the case. */
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

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
  const keep = spec.keep;
  const matching =
    needle || keep
      ? rows.filter((row) => (!keep || keep(row)) && (!needle || textOf(row).includes(needle)))
      : [...rows];
  const key = query.sort ? spec.sortBy[query.sort] : undefined;
  const direction = query.order === 'desc' ? -1 : 1;
  matching.sort((a, b) => {
    if (key) {
      const left = key(a);
      const right = key(b);
      // Missing values go last whatever the direction, like the tables in the browser.
      if (left === null && right !== null) return 1;
      if (right === null && left !== null) return -1;
      if (left !== null && right !== null && left !== right) {
        const order =
          typeof left === 'string' && typeof right === 'string'
            ? natural.compare(left, right)
            : left < right
              ? -1
              : 1;
        if (order !== 0) return order * direction;
      }
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
