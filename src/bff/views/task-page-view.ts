import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { TaskGroup, TaskPage, TaskRow, TaskSortKey } from '../schemas/views';

export interface TaskQuery {
  group: TaskGroup;
  q?: string | undefined;
  framework?: string | undefined;
  agent?: string | undefined;
  sort?: TaskSortKey | undefined;
  order?: 'asc' | 'desc' | undefined;
  offset: number;
  limit: number;
}

export const TASK_SORT_KEYS: readonly TaskSortKey[] = [
  'id',
  'name',
  'framework',
  'role',
  'state',
  'host',
  'start',
  'finish',
];

const sortValue: Record<TaskSortKey, (row: TaskRow) => string | number> = {
  id: (row) => row.id,
  name: (row) => row.name,
  framework: (row) => row.frameworkName ?? row.frameworkId,
  role: (row) => row.role ?? '',
  state: (row) => row.state,
  host: (row) => row.agentHostname ?? '',
  start: (row) => row.startTime ?? 0,
  finish: (row) => row.finishTime ?? 0,
};

/** Filters, sorts and pages one task group on the server, so the browser only ever holds one page. */
export function taskPageView(snapshot: ClusterSnapshot, query: TaskQuery): TaskPage {
  const needle = query.q?.trim().toLowerCase() ?? '';
  const rows = snapshot.tasks[query.group].filter(
    (row) =>
      (!query.framework || row.frameworkId === query.framework) &&
      (!query.agent || row.agentId === query.agent) &&
      (!needle || searchText(row).includes(needle)),
  );
  const sort = query.sort ?? (query.group === 'completed' ? 'finish' : 'start');
  const order = query.order ?? 'desc';
  const value = sortValue[sort];
  const direction = order === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const left = value(a);
    const right = value(b);
    const byKey = left < right ? -1 : left > right ? 1 : 0;
    return byKey * direction || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
  return {
    snapshotAt: snapshot.fetchedAt,
    group: query.group,
    total: rows.length,
    offset: query.offset,
    limit: query.limit,
    rows: rows.slice(query.offset, query.offset + query.limit),
  };
}

function searchText(row: TaskRow): string {
  return [
    row.id,
    row.name,
    row.frameworkId,
    row.frameworkName,
    row.agentHostname,
    row.agentId,
    row.role,
    row.state,
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}
