/** What tests compare of two task indexes. */
import { TASK_SORT_KEYS } from '../schemas/sort-keys';
import type { TaskGroup } from '../schemas/views';
import type { ClusterSnapshot } from './cluster-snapshot';
import type { TaskIndex } from './task-index';

/** Everything a query can see of an index. */
export function visible(index: TaskIndex, snapshot: ClusterSnapshot): unknown {
  const line = (e: { row: object; group: string }) => JSON.stringify({ ...e.row, group: e.group });
  const orders = Object.fromEntries(
    [undefined, 'active', 'unreachable', 'completed'].flatMap((group) =>
      TASK_SORT_KEYS.map((sort) => [
        `${group}:${sort}`,
        index
          .order(sort, group as TaskGroup | undefined)
          .chunks.flat()
          .map(line),
      ]),
    ),
  );
  const facets = Object.fromEntries(
    Object.entries(index.facets).map(([name, counts]) => [
      name,
      [...counts].map(([value, n]) => `${value}:${n}`).sort(),
    ]),
  );
  const found = index
    .all()
    .map((e) => index.find(e.row.frameworkId, e.row.id))
    .map((e) => (e ? line(e) : null))
    .sort();
  return {
    size: index.size,
    orders,
    facets,
    activeStates: [...index.activeStates].sort(),
    found,
    tasks: snapshot.tasks,
  };
}
