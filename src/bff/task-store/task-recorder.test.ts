import { describe, expect, it } from 'vitest';
import { parseOperatorEvent } from '../../mesos/operator-v1/events';
import { StreamState, changesOf } from '../../mesos/operator-v1/stream-state';
import type { MasterState, TaskStatus } from '../../mesos';
import { buildSnapshot } from '../model/cluster-snapshot';
import { getState, header, publishRandomBursts, random, randomEvents } from '../model/test-stream-events';
import { snapshotWith, stateWith } from './test-cluster-state';
import { TaskRecorder } from './task-recorder';
import { openTestStore } from './test-stores';
import type { TaskStore, WriteBatch } from './types';

/** `store`, with `seen` told of every batch written to it first. */
/** The tasks of `state` whose framework and task id another of its tasks has too. */
function tasksSharingAKey(state: MasterState): number {
  const counts = new Map<string, number>();
  const lists = [...state.frameworks, ...state.completed_frameworks].flatMap((f) => [
    f.tasks,
    f.unreachable_tasks,
    f.completed_tasks,
  ]);
  for (const task of [...lists.flat(), ...(state.orphan_tasks ?? [])]) {
    const key = `${task.framework_id}/${task.id}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.values()].filter((count) => count > 1).reduce((sum, count) => sum + count, 0);
}

function seeingWrites(store: TaskStore, seen: (batch: WriteBatch) => void): TaskStore {
  return Object.assign(Object.create(store) as TaskStore, {
    write: async (cluster: string, batch: WriteBatch) => {
      seen(batch);
      return store.write(cluster, batch);
    },
  });
}

async function everything(store: TaskStore): Promise<unknown[]> {
  const tasks = await store.exportTasks('c1', { from: 0, to: 4_000_000_000_000, after: 0, limit: 100_000 });
  return tasks
    .map(({ key: _key, ...task }) => task)
    .sort((a, b) => `${a.frameworkId}/${a.taskId}`.localeCompare(`${b.frameworkId}/${b.taskId}`));
}

describe('the task recorder over a stream', () => {
  it('records from the changes the stream names what a walk over every task records', async () => {
    const fromChanges = new TaskRecorder({ store: await openTestStore('SQLite'), flushMs: 60_000 });
    const fromWalks = new TaskRecorder({ store: await openTestStore('SQLite'), flushMs: 60_000 });
    let version = 0;
    publishRandomBursts(random(11), { count: 300, maxBurst: 10 }, (state) => {
      version += 1;
      const input = { version, fetchedAt: version * 1000, leaderUrl: 'x', metrics: null };
      fromChanges.observe('c1', buildSnapshot({ ...input, state }));
      // A copy has no changes to go by (and no object it shares with the previous state): walked whole. Copied
      // through JSON, as a polled state is read: its statuses are plain lists.
      const copy = JSON.parse(JSON.stringify(state)) as typeof state;
      fromWalks.observe('c1', buildSnapshot({ ...input, state: copy }));
    });
    await fromChanges.close();
    await fromWalks.close();
    const recorded = await everything(fromChanges.store);
    expect(recorded.length).toBeGreaterThan(20);
    expect(recorded).toEqual(await everything(fromWalks.store));
    await fromChanges.store.close();
    await fromWalks.store.close();
  });
});

describe('the task recorder writing a big backfill', () => {
  it('lets the event loop run between batches, so requests are not held until every task is written', async () => {
    const store = await openTestStore('SQLite');
    let writes = 0;
    const counting = seeingWrites(store, () => (writes += 1));
    const tasks = Array.from({ length: 12_000 }, (_, i) => ({
      id: `task-${i}`,
      statuses: [['TASK_RUNNING', 1_700_000_000 + i]] as Array<[string, number]>,
    }));
    const recorder = new TaskRecorder({ store: counting, flushMs: 60_000 });
    recorder.observe('c1', snapshotWith(tasks));
    const flushed = recorder.flush();
    // A request arriving meanwhile: its turn comes between batches, not after the last one.
    const writesWhenServed = await new Promise<number>((resolve) => setImmediate(() => resolve(writes)));
    await flushed;
    expect(writes).toBeGreaterThanOrEqual(3);
    expect(writesWhenServed).toBeLessThan(writes);
    expect(await everything(store)).toHaveLength(12_000);
    await recorder.close();
  });

  it('collects garbage once a write this big has ended, not after each batch nor after small writes', async () => {
    const store = await openTestStore('SQLite');
    let collections = 0;
    let pendingWhenCollected = -1;
    const recorder = new TaskRecorder({
      store,
      flushMs: 60_000,
      collectAfterTasks: 2_000,
      collectGarbage: () => {
        collections += 1;
        pendingWhenCollected = recorder.status.pending;
      },
    });
    const tasks = Array.from({ length: 3_000 }, (_, i) => ({
      id: `task-${i}`,
      statuses: [['TASK_RUNNING', 1_700_000_000 + i]] as Array<[string, number]>,
    }));
    recorder.observe('c1', snapshotWith(tasks));
    await recorder.flush();
    expect([collections, pendingWhenCollected]).toEqual([1, 0]);
    // A few tasks change: written, and no collection.
    tasks[0]!.statuses.push(['TASK_FINISHED', 1_700_001_000]);
    tasks[1]!.statuses.push(['TASK_FAILED', 1_700_001_000]);
    recorder.observe('c1', snapshotWith(tasks, 1_700_000_200_000));
    await recorder.flush();
    const recorded = (await everything(store)) as Array<{ state: string }>;
    expect(recorded).toHaveLength(3_000);
    expect(recorded.filter((task) => task.state !== 'TASK_RUNNING')).toHaveLength(2);
    expect(collections).toBe(1);
    await recorder.close();
  });
});

describe('the task recorder following a stream', () => {
  const frameworkId = getState.get_frameworks.frameworks[0].framework_info.id.value as string;
  const agentId = (getState.get_agents.agents[0].agent_info ?? getState.get_agents.agents[0]).id
    .value as string;
  const added = (i: number) =>
    parseOperatorEvent({
      type: 'TASK_ADDED',
      task_added: {
        task: {
          name: 'bulk',
          task_id: { value: `bulk-${i}` },
          framework_id: { value: frameworkId },
          agent_id: { value: agentId },
          state: 'TASK_RUNNING',
          resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }],
          statuses: [
            { task_id: { value: `bulk-${i}` }, state: 'TASK_RUNNING', timestamp: 1_700_000_000 + i },
          ],
        },
      },
    });

  it('records an agent again when its host or attributes change, not when only its tasks do', async () => {
    const stream = new StreamState(header, getState);
    const store = await openTestStore('SQLite');
    const agentsWritten: string[] = [];
    const counting = seeingWrites(store, (batch) =>
      agentsWritten.push(...batch.agents.map((agent) => agent.agentId)),
    );
    const recorder = new TaskRecorder({ store: counting, flushMs: 60_000 });
    let version = 0;
    const observe = async () => {
      version += 1;
      const state = stream.publish();
      recorder.observe(
        'c1',
        buildSnapshot({ version, fetchedAt: version * 1000, leaderUrl: 'x', metrics: null, state }),
      );
      await recorder.flush();
      return state;
    };
    const first = await observe();
    expect(agentsWritten).toHaveLength(first.slaves.length);
    agentsWritten.length = 0;

    // A task added on the agent gives it a new object (its used resources), with the same host and attributes.
    stream.apply(added(0));
    const next = await observe();
    const agentAt = next.slaves.findIndex((agent) => agent.id === agentId);
    expect(next.slaves[agentAt]).not.toBe(first.slaves[agentAt]);
    expect(agentsWritten).toEqual([]);

    const raw = getState.get_agents.agents[0];
    stream.apply(
      parseOperatorEvent({
        type: 'AGENT_ADDED',
        agent_added: { agent: { ...raw, attributes: { rack: 'r9' } } },
      }),
    );
    await observe();
    expect(agentsWritten).toEqual([agentId]);
    expect((await store.agentAttributes('c1')).get(agentId)).toEqual({
      host: raw.hostname,
      attributes: { rack: 'r9' },
    });
    await recorder.close();
    await store.close();
  });

  it('looks at only what changed in each publish, after a first snapshot bigger than its queue bound', async () => {
    const stream = new StreamState(header, getState);
    for (let i = 0; i < 12_000; i += 1) stream.apply(added(i));
    const recorder = new TaskRecorder({
      store: await openTestStore('SQLite'),
      flushMs: 60_000,
      maxPending: 6_000,
    });
    const { status } = recorder;
    let version = 0;
    const observe = (state: MasterState) => {
      version += 1;
      recorder.observe(
        'c1',
        buildSnapshot({ version, fetchedAt: version * 1000, leaderUrl: 'x', metrics: null, state }),
      );
    };
    observe(stream.publish());
    expect(status.fullWalks).toBe(1);
    expect(status.notedTasks).toBeGreaterThanOrEqual(12_000);

    const events = randomEvents(random(5), 300);
    const burst = (round: number) => {
      for (const e of events.slice(round * 20, round * 20 + 20)) stream.apply(e);
      const state = stream.publish();
      return { state, added: changesOf(state)!.added.length };
    };
    for (let round = 0; round < 8; round += 1) {
      const { walkedTasks, notedTasks } = status;
      const next = burst(round);
      observe(next.state);
      expect(status.walkedTasks - walkedTasks).toBe(next.added);
      expect(status.notedTasks - notedTasks).toBeLessThanOrEqual(next.added);
      // Only metrics changed: the same state in a new snapshot.
      observe(next.state);
      expect(status.walkedTasks - walkedTasks).toBe(next.added);
    }
    expect(status.fullWalks).toBe(1);
    expect(status.dropped).toBe(0);

    // A publish nobody recorded: the next one is walked (said so), every task compared with its mark (no set of
    // the objects seen is kept while changes are followed), and only the tasks that changed are queued.
    const skipped = burst(8);
    const { notedTasks, pending } = status;
    const after = burst(9);
    observe(after.state);
    expect(status.fullWalks).toBe(2);
    expect(status.lastFullWalk?.why).toBe('changes from a state not observed');
    expect(status.notedTasks - notedTasks).toBeGreaterThan(skipped.added + after.added);
    // A task id listed twice (a relaunch beside its completed run) shares one mark, so both are queued again.
    expect(status.pending - pending).toBeLessThanOrEqual(
      skipped.added + after.added + tasksSharingAKey(after.state),
    );
    // And the one after follows its changes again.
    const walked = status.walkedTasks;
    const last = burst(10);
    observe(last.state);
    expect(status.walkedTasks - walked).toBe(last.added);
    expect(status.fullWalks).toBe(2);

    await recorder.close();
    expect((await everything(recorder.store)).length).toBeGreaterThan(12_000);
    await recorder.store.close();
  });
});

describe('the task recorder comparing a task seen again as a new object', () => {
  const base = [
    { id: 'a', statuses: [['TASK_STARTING', 1_700_000_000.25] as [string, number]] },
    { id: 'b', statuses: [['TASK_RUNNING', 1_700_000_001.5] as [string, number]] },
    { id: 'c', statuses: [['TASK_RUNNING', 1_700_000_002.75] as [string, number]] },
  ];
  const firstTask = (state: MasterState) => state.frameworks[0]!.tasks[0]!;
  // The test's states are parsed, not packed: their lists are plain arrays.
  const statusesOf = (state: MasterState) => firstTask(state).statuses as TaskStatus[];
  const changes: Array<[string, (state: MasterState) => void]> = [
    ['nothing', () => undefined],
    ['its state alone', (state) => (firstTask(state).state = 'TASK_KILLING')],
    [
      'one more status with the same state and time',
      (state) => statusesOf(state).push({ ...statusesOf(state)[0]! }),
    ],
    ['the time of its last status alone', (state) => (statusesOf(state)[0]!.timestamp += 0.000001)],
    ['its agent alone', (state) => (firstTask(state).slave_id = 'agent-2')],
  ];

  it.each(changes)('writes a task seen again only when it changed (changed: %s)', async (what, change) => {
    const store = await openTestStore('SQLite');
    const written: string[] = [];
    const watching: TaskStore = Object.assign(Object.create(store) as TaskStore, {
      write: async (...args: Parameters<TaskStore['write']>) => {
        for (const task of args[1].tasks) written.push(`${task.taskId} ${task.state} ${task.agentId}`);
        return store.write(...args);
      },
    });
    const recorder = new TaskRecorder({ store: watching, flushMs: 60_000 });
    recorder.observe('c1', snapshotWith(base));
    await recorder.flush();
    expect(written).toHaveLength(3);
    written.length = 0;

    const state = stateWith(base);
    change(state);
    const snapshot = buildSnapshot({ version: 2, fetchedAt: 1, leaderUrl: 'x', metrics: null, state });
    recorder.observe('c1', snapshot);
    await recorder.flush();
    const task = firstTask(state);
    expect(written).toEqual(what === 'nothing' ? [] : [`a ${task.state} ${task.slave_id}`]);
    await recorder.close();
    await store.close();
  });
});
