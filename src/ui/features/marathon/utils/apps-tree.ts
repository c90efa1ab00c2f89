import type { MarathonAppStatus, MarathonTreeRow } from '../../../../bff/schemas/marathon';

export type AppsSortKey = 'id' | 'status' | 'running' | 'cpus' | 'mem';

/** A row's value for a sort: a group by its sums (apps wanted), an app by its own. */
function sortValue(row: MarathonTreeRow, key: AppsSortKey): string | number {
  switch (key) {
    case 'id':
      return row.id;
    case 'status':
      return row.kind === 'app' ? row.status : '';
    case 'running':
      return row.instances.running;
    case 'cpus':
      return row.kind === 'app' ? row.cpus * row.instances.wanted : row.cpus;
    case 'mem':
      return row.kind === 'app' ? row.mem * row.instances.wanted : row.mem;
  }
}

/** The apps whose id or command holds the text, case-insensitively. */
function matches(row: MarathonTreeRow, q: string, status: MarathonAppStatus | null): boolean {
  if (row.kind !== 'app') return false;
  if (status && row.status !== status) return false;
  if (!q) return true;
  const text = q.toLowerCase();
  return row.id.toLowerCase().includes(text) || (row.cmd ?? '').toLowerCase().includes(text);
}

/**
 * The Apps page's rows: the apps that match the filter with every group above them (groups with no match go),
 * siblings sorted by the chosen column (groups before apps), in tree order.
 */
export function visibleTree(
  rows: readonly MarathonTreeRow[],
  {
    q,
    status,
    sort,
    order,
  }: { q: string; status: MarathonAppStatus | null; sort: AppsSortKey; order: 'asc' | 'desc' },
): MarathonTreeRow[] {
  const filtering = q.trim() !== '' || status !== null;
  const kept = new Set<string>();
  if (filtering) {
    for (const row of rows) {
      if (!matches(row, q.trim(), status)) continue;
      kept.add(`app ${row.id}`);
      for (
        let parent = row.parent;
        parent !== '/';
        parent = parent.slice(0, parent.lastIndexOf('/')) || '/'
      ) {
        kept.add(`group ${parent}`);
      }
    }
  }
  const children = new Map<string, MarathonTreeRow[]>();
  for (const row of rows) {
    if (filtering && !kept.has(`${row.kind} ${row.id}`)) continue;
    const list = children.get(row.parent) ?? [];
    list.push(row);
    children.set(row.parent, list);
  }
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: MarathonTreeRow, b: MarathonTreeRow): number => {
    if (a.kind !== b.kind) return a.kind === 'group' ? -1 : 1;
    const x = sortValue(a, sort);
    const y = sortValue(b, sort);
    const byValue =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y), 'en', { numeric: true });
    return byValue === 0 ? a.id.localeCompare(b.id, 'en', { numeric: true }) : sign * byValue;
  };
  const out: MarathonTreeRow[] = [];
  const visit = (parent: string) => {
    for (const row of (children.get(parent) ?? []).sort(compare)) {
      out.push(row);
      if (row.kind === 'group') visit(row.id);
    }
  };
  visit('/');
  return out;
}
