import { describe, expect, it, vi } from 'vitest';
import { StreamState } from '../../mesos/operator-v1/stream-state';
import type { ClusterSnapshot } from './cluster-snapshot';
import { buildSnapshot } from './cluster-snapshot';
import { TaskModel, taskIndex } from './task-index';
import type { IndexedTask } from './task-index';
import type { TaskFilter } from './task-selections';
import { NO_FILTER } from './task-selections';
import type { TaskSortKey } from '../schemas/views';
import { getState, header, publishRandomBursts, random, randomEvents } from './test-stream-events';
import { visible } from './test-task-index';
import type { MasterState } from '../../mesos';
import type { OperatorEvent } from '../../mesos/operator-v1/events';
import type { Raw } from '../../mesos/test-fixtures';
import { collectGarbage } from '../task-store/full-collection';

describe('the task model updated from a stream’s changes', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'equals an index built from scratch after every publish of random events (seed %i)',
    (seed) => {
      const model = new TaskModel();
      const agents = (getState.get_agents.agents as Raw[]).map(
        (a) => (a.agent_info?.id ?? a.id).value as string,
      );
      let version = 0;
      const snapshotOf = (state: MasterState, withModel: boolean) =>
        buildSnapshot(
          { version: ++version, fetchedAt: version, leaderUrl: 'x', state, metrics: null },
          withModel ? model : undefined,
        );
      const published: Array<{ incremental: ClusterSnapshot; expected: unknown }> = [];
      const stream = publishRandomBursts(random(seed), { count: 400, maxBurst: 12 }, (state) => {
        const incremental = snapshotOf(state, true);
        const fresh = snapshotOf(state, false);
        const expected = visible(taskIndex(fresh), fresh);
        expect(visible(taskIndex(incremental), incremental)).toEqual(expected);
        for (const agent of agents) {
          expect(
            taskIndex(incremental)
              .onAgent(agent)
              .map(({ task }) => task),
          ).toEqual(
            taskIndex(fresh)
              .onAgent(agent)
              .map(({ task }) => task),
          );
        }
        published.push({ incremental, expected });
      });
      // What a snapshot published earlier shows does not change when the model moves on.
      for (const { incremental, expected } of published.slice(-5)) {
        expect(visible(taskIndex(incremental), incremental)).toEqual(expected);
      }
      expect(stream.stats.events).toBe(400);
    },
  );

  it.each([
    [7, { count: 48, held: 1_000_000 }],
    [8, { count: 48, held: 1_000_000 }],
    [9, { count: 3, held: 40 }],
  ])(
    'keeps filtered selections equal to a fresh filter of every task after every publish (seed %i, limits %o)',
    (seed, limits) => {
      const next = random(seed);
      const model = new TaskModel(limits);
      const agents = (getState.get_agents.agents as Raw[]).map(
        (a) => (a.agent_info?.id ?? a.id).value as string,
      );
      const framework = getState.get_frameworks.frameworks[0].framework_info.id.value as string;
      const queries: Array<[Partial<TaskFilter>, TaskSortKey]> = [
        [{ states: ['TASK_RUNNING'] }, 'start'],
        [{ states: ['TASK_FAILED', 'TASK_KILLED'], group: 'completed' }, 'finish'],
        [{ framework }, 'name'],
        [{ agent: agents[0] as string }, 'start'],
        [{ agent: agents[1] as string, states: ['TASK_RUNNING'] }, 'cpus'],
        [{ role: 'role-1' }, 'framework'],
        [{ needle: 'app' }, 'id'],
        // Narrower than the one before: made from its tasks.
        [{ needle: 'app-1' }, 'id'],
        [{ needle: 'app-1', group: 'active' }, 'host'],
        [{ needle: 'running' }, 'health'],
        [{ needle: 'host-2' }, 'state'],
      ];
      let version = 0;
      publishRandomBursts(next, { count: 300, maxBurst: 12 }, (state) => {
        const input = { fetchedAt: version, leaderUrl: 'x', state, metrics: null };
        const incremental = taskIndex(buildSnapshot({ ...input, version: ++version }, model));
        const fresh = taskIndex(buildSnapshot({ ...input, version: ++version }));
        // Ask them in a random order, so that eviction and narrowing meet different kept selections.
        for (const [partial, sort] of [...queries].sort(() => next() - 0.5)) {
          const filter = { ...NO_FILTER, ...partial };
          const expected = fresh
            .order(sort, filter.group ?? undefined)
            .chunks.flat()
            .filter((entry) => passes(entry, filter));
          expect(lines(incremental.select(filter, sort).chunks.flat()), JSON.stringify(partial)).toEqual(
            lines(expected),
          );
        }
      });
    },
  );

  it.each([7, 8])(
    'publishes the index only for the snapshots read, and each read equals a fresh index (seed %i)',
    (seed) => {
      const model = new TaskModel();
      const publish = vi.spyOn(model, 'publish');
      const next = random(seed);
      let version = 0;
      let reads = 0;
      publishRandomBursts(next, { count: 300, maxBurst: 12 }, (state) => {
        const input = { fetchedAt: version, leaderUrl: 'x', state, metrics: null };
        const incremental = buildSnapshot({ ...input, version: ++version }, model);
        // Most snapshots nobody reads.
        if (next() < 0.7) return;
        reads += 1;
        const fresh = buildSnapshot({ ...input, version: ++version });
        expect(visible(taskIndex(incremental), incremental)).toEqual(visible(taskIndex(fresh), fresh));
        // Read again, it is the same index.
        expect(taskIndex(incremental)).toBe(taskIndex(incremental));
      });
      expect(reads).toBeGreaterThan(0);
      expect(publish).toHaveBeenCalledTimes(reads);
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

describe('a published state once its readers move on', () => {
  it('is let go: the changes that lead from it do not hold it', async () => {
    const stream = new StreamState(header, getState);
    const model = new TaskModel();
    const snapshotOf = (version: number) =>
      buildSnapshot(
        { version, fetchedAt: version, leaderUrl: 'x', state: stream.publish(), metrics: null },
        model,
      );
    snapshotOf(1);
    const events = randomEvents(random(3), 2);
    const earlier = (() => {
      stream.apply(events[0] as OperatorEvent);
      return new WeakRef(snapshotOf(2).state);
    })();
    stream.apply(events[1] as OperatorEvent);
    const latest = snapshotOf(3);
    // A WeakRef's target stays alive until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(earlier.deref()).toBeUndefined();
    expect(latest.state).toBe(stream.publish());
  });
});

/** A filter stated plainly, apart from the code under test. */
function passes(entry: IndexedTask, filter: TaskFilter): boolean {
  const { row } = entry;
  if (filter.states && !filter.states.includes(row.state)) return false;
  if (filter.framework !== null && row.frameworkId !== filter.framework) return false;
  if (filter.agent !== null && row.agentId !== filter.agent) return false;
  if (filter.role !== null && row.role !== filter.role) return false;
  const text = [
    row.id,
    row.name,
    row.state,
    row.frameworkId,
    row.frameworkName,
    row.agentHostname,
    row.agentId,
  ]
    .concat(row.role ?? [])
    .map((field) => (field ?? '').toLowerCase());
  return filter.needle === '' || text.some((field) => field.includes(filter.needle));
}

function lines(entries: readonly IndexedTask[]): string[] {
  return entries.map(
    (e) => `${e.group}/${e.row.frameworkId}/${e.row.id}/${e.row.state}/${e.row.agentHostname}`,
  );
}
