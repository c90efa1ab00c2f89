import { describe, expect, it } from 'vitest';
import { StreamState } from '../../mesos/operator-v1/stream-state';
import { TASK_SORT_KEYS } from '../schemas/sort-keys';
import type { TaskGroup } from '../schemas/views';
import type { ClusterSnapshot } from './cluster-snapshot';
import { buildSnapshot } from './cluster-snapshot';
import { TaskModel, taskIndex } from './task-index';
import type { TaskIndex } from './task-index';
import { getState, header, random, randomEvents } from './test-stream-events';
import type { OperatorEvent } from '../../mesos/operator-v1/events';

/** Everything a query can see of an index. */
function visible(index: TaskIndex, snapshot: ClusterSnapshot): unknown {
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

describe('the task model updated from a stream’s changes', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'equals an index built from scratch after every publish of random events (seed %i)',
    (seed) => {
      const next = random(seed);
      const stream = new StreamState(header, getState);
      const model = new TaskModel();
      let version = 0;
      const snapshotOf = (withModel: boolean) =>
        buildSnapshot(
          { version: ++version, fetchedAt: version, leaderUrl: 'x', state: stream.publish(), metrics: null },
          withModel ? model : undefined,
        );
      const events = randomEvents(next, 400);
      const published: Array<{ incremental: ClusterSnapshot; expected: unknown }> = [];
      let at = 0;
      while (at < events.length) {
        const burst = 1 + Math.floor(next() * 12);
        for (const e of events.slice(at, at + burst)) stream.apply(e);
        at += burst;
        const incremental = snapshotOf(true);
        const fresh = snapshotOf(false);
        const expected = visible(taskIndex(fresh), fresh);
        expect(visible(taskIndex(incremental), incremental)).toEqual(expected);
        published.push({ incremental, expected });
      }
      // What a snapshot published earlier shows does not change when the model moves on.
      for (const { incremental, expected } of published.slice(-5)) {
        expect(visible(taskIndex(incremental), incremental)).toEqual(expected);
      }
      expect(stream.stats.events).toBe(400);
    },
  );

  it('indexes only what changed: the tasks nobody touched keep their entries', () => {
    const stream = new StreamState(header, getState);
    const model = new TaskModel();
    const first = buildSnapshot(
      { version: 1, fetchedAt: 1, leaderUrl: 'x', state: stream.publish(), metrics: null },
      model,
    );
    const before = new Set(taskIndex(first).all());
    const [added] = randomEvents(random(9), 1);
    stream.apply(added as OperatorEvent);
    const second = buildSnapshot(
      { version: 2, fetchedAt: 2, leaderUrl: 'x', state: stream.publish(), metrics: null },
      model,
    );
    const after = taskIndex(second).all();
    expect(after).toHaveLength(before.size + 1);
    expect(after.filter((entry) => !before.has(entry))).toHaveLength(1);
  });
});
