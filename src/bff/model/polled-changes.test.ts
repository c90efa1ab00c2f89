import { describe, expect, it } from 'vitest';
import { parseMasterState } from '../../mesos';
import type { Raw } from '../../mesos/test-fixtures';
import { buildSnapshot } from './cluster-snapshot';
import { diffPolledState } from './polled-changes';
import { TaskModel, taskIndex } from './task-index';
import { random } from './test-stream-events';
import { visible } from './test-task-index';

const T = 1_700_000_000;
const TERMINAL = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST'];

/** A Mesos 0.2x master state as JSON: a few agents and frameworks, some tasks on each. */
function rawState(): Raw {
  let n = 0;
  const task = (framework: number, state: string): Raw => {
    n += 1;
    return {
      id: `task-${n}`,
      name: `app-${n % 5}`,
      framework_id: `fw-${framework}`,
      executor_id: '',
      slave_id: `agent-${n % 4}`,
      state,
      resources: { cpus: (n % 4) / 2, mem: 32 * (n % 7), disk: 0 },
      statuses: [{ state, timestamp: T + n }],
    };
  };
  return {
    version: '0.27.1',
    id: 'master',
    pid: 'master@10.0.0.1:5050',
    leader: 'master@10.0.0.1:5050',
    hostname: 'm1',
    slaves: [0, 1, 2, 3].map((i) => ({ id: `agent-${i}`, hostname: `host-${i}`, resources: {} })),
    frameworks: [0, 1, 2].map((f) => ({
      id: `fw-${f}`,
      name: `framework-${f}`,
      role: `role-${f}`,
      tasks: Array.from({ length: 12 }, () => task(f, 'TASK_RUNNING')),
      completed_tasks: Array.from({ length: 4 }, () => task(f, 'TASK_FINISHED')),
    })),
    completed_frameworks: [],
    orphan_tasks: [],
  };
}

/** One random change to a polled state, as a master's next poll could show it. */
function change(raw: Raw, next: () => number, step: number): void {
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)] as T;
  const framework = pick(raw.frameworks as Raw[]);
  const roll = next();
  if (roll < 0.35 && framework.tasks.length > 0) {
    // A task's state changes; a terminal one moves to the completed tasks.
    const at = Math.floor(next() * framework.tasks.length);
    const task = framework.tasks[at];
    const state = pick(['TASK_RUNNING', ...TERMINAL]);
    task.state = state;
    task.statuses = [...task.statuses, { state, timestamp: T + 10_000 + step, healthy: next() < 0.5 }];
    if (TERMINAL.includes(state)) {
      framework.tasks.splice(at, 1);
      framework.completed_tasks.push(task);
    }
  } else if (roll < 0.55) {
    framework.tasks.push({
      id: `new-${step}`,
      name: `app-${step % 5}`,
      framework_id: framework.id,
      executor_id: '',
      slave_id: `agent-${Math.floor(next() * 5)}`,
      state: 'TASK_STAGING',
      resources: { cpus: 0.1, mem: 16, disk: 0 },
      statuses: [{ state: 'TASK_STAGING', timestamp: T + 10_000 + step }],
    });
  } else if (roll < 0.62 && framework.completed_tasks.length > 0) {
    // The master forgets its oldest completed task.
    framework.completed_tasks.shift();
  } else if (roll < 0.7) {
    framework.name = `framework-${Math.floor(next() * 4)}`;
  } else if (roll < 0.76) {
    framework.role = `role-${Math.floor(next() * 4)}`;
  } else if (roll < 0.83) {
    const agent = pick(raw.slaves as Raw[]);
    agent.hostname = `host-${Math.floor(next() * 8)}`;
  } else if (roll < 0.88 && raw.slaves.length > 1) {
    raw.slaves.splice(Math.floor(next() * raw.slaves.length), 1);
  } else if (roll < 0.92) {
    raw.slaves.push({ id: `agent-${4 + step}`, hostname: `late-${step}`, resources: {} });
  } else if (roll < 0.95 && raw.frameworks.length > 1) {
    // A framework is torn down: the master lists it as completed, its tasks killed.
    const gone = raw.frameworks.indexOf(framework);
    raw.frameworks.splice(gone, 1);
    raw.completed_frameworks.push({
      ...framework,
      tasks: [],
      completed_tasks: [...framework.completed_tasks, ...framework.tasks].map((task: Raw) => ({
        ...task,
        state: 'TASK_KILLED',
      })),
    });
  }
  // Otherwise nothing changed since the poll before.
}

describe('a polled state compared with the poll before', () => {
  it.each([1, 2, 3, 4])(
    'updates the task model to what a fresh index of the same state shows, after every poll (seed %i)',
    (seed) => {
      const next = random(seed);
      const raw = rawState();
      const model = new TaskModel();
      let version = 0;
      let previous = parseMasterState(structuredClone(raw));
      let previousIndex = taskIndex(
        buildSnapshot(
          { version: ++version, fetchedAt: 0, leaderUrl: 'x', state: previous, metrics: null },
          model,
        ),
      );
      for (let step = 0; step < 120; step += 1) {
        let changed = 0;
        for (let k = Math.floor(next() * 4); k > 0; k -= 1, changed += 1) change(raw, next, step * 10 + k);
        const state = parseMasterState(structuredClone(raw));
        const changes = diffPolledState(previous, state);
        const input = { fetchedAt: step, leaderUrl: 'x', state, metrics: null };
        const incremental = buildSnapshot({ ...input, version: ++version }, model);
        // A fresh index of the same poll, parsed apart (the diff swaps objects in the state it compares).
        const fresh = buildSnapshot({
          ...input,
          state: parseMasterState(structuredClone(raw)),
          version: ++version,
        });
        expect(visible(taskIndex(incremental), incremental)).toEqual(visible(taskIndex(fresh), fresh));
        // Only the tasks the diff found changed are indexed anew; every other keeps its entry.
        const before = new Set(previousIndex.all());
        const anew = taskIndex(incremental)
          .all()
          .filter((entry) => !before.has(entry));
        if (changes.frameworks.size + changes.agents.size === 0)
          expect(anew).toHaveLength(changes.added.length);
        if (changed === 0)
          expect([changes.added.length, changes.removed.length, anew.length]).toEqual([0, 0, 0]);
        previousIndex = taskIndex(incremental);
        previous = state;
      }
    },
  );
});
