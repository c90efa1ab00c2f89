import { describe, expect, it } from 'vitest';
import { parseMasterState, type Task } from './master-state';
import { parseMetricsSnapshot } from './metrics';
import {
  TASK_STATES,
  TERMINAL_STATES,
  ZERO_TASK_COUNTS,
  executorIdOf,
  isTerminalState,
  shortState,
  stateGroup,
  stateTone,
  taskCountsFromMetrics,
  taskCountsFromTasks,
  taskFinishTime,
  taskHealth,
  taskNote,
  taskStartTime,
} from './task-state';
import { rawFixture, type Raw } from './test-fixtures';

const MASTER_STATES = [
  'v0.19-mesos-cli/master-state.json',
  'v0.22.0-datadog/master-state.json',
  'v0.27.1-capgemini/master-state.json',
  'mesos-docs/endpoint-help/master-state.json',
];

function rawTasks(raw: Raw): Raw[] {
  return (raw.frameworks ?? []).flatMap((f: Raw) => [...(f.tasks ?? []), ...(f.completed_tasks ?? [])]);
}

describe('task states', () => {
  it('lists the terminal states as a subset of all states', () => {
    expect(TASK_STATES).toHaveLength(14);
    for (const state of TERMINAL_STATES) expect(TASK_STATES).toContain(state);
    expect(TERMINAL_STATES).toHaveLength(8);
  });

  it('classifies states', () => {
    expect(isTerminalState('TASK_FINISHED')).toBe(true);
    expect(isTerminalState('TASK_GONE_BY_OPERATOR')).toBe(true);
    expect(isTerminalState('TASK_RUNNING')).toBe(false);
    expect(isTerminalState('TASK_UNREACHABLE')).toBe(false);
    expect(isTerminalState('KILLED')).toBe(true);
    expect(shortState('TASK_KILLING')).toBe('KILLING');
    expect(shortState('weird')).toBe('weird');
    expect(stateGroup('TASK_STAGING')).toBe('pending');
    expect(stateGroup('TASK_KILLING')).toBe('running');
    expect(stateGroup('TASK_LOST')).toBe('terminal');
    expect(stateGroup('TASK_UNREACHABLE')).toBe('unreachable');
    expect(stateGroup('TASK_UNKNOWN')).toBe('other');
    expect(stateTone('TASK_FINISHED')).toBe('ok');
    expect(stateTone('TASK_RUNNING')).toBe('info');
    expect(stateTone('TASK_FAILED')).toBe('bad');
    expect(stateTone('TASK_ERROR')).toBe('bad');
    expect(stateTone('TASK_LOST')).toBe('bad');
    expect(stateTone('TASK_KILLED')).toBe('warn');
    expect(stateTone('TASK_UNREACHABLE')).toBe('warn');
    expect(stateTone('TASK_STAGING')).toBe('neutral');
  });
});

describe('taskCountsFromTasks', () => {
  it.each(MASTER_STATES)('%s: matches a per-state count of the raw tasks', (name) => {
    const raw = rawFixture(name);
    const state = parseMasterState(raw);
    const tasks = state.frameworks.flatMap((f) => [...f.tasks, ...f.completed_tasks]);
    const counts = taskCountsFromTasks(tasks);
    const count = (s: string) => rawTasks(raw).filter((t) => t.state === s).length;
    expect(counts).toEqual({
      staging: count('TASK_STAGING'),
      starting: count('TASK_STARTING'),
      running: count('TASK_RUNNING'),
      unreachable: count('TASK_UNREACHABLE'),
      killing: count('TASK_KILLING'),
      finished: count('TASK_FINISHED'),
      killed: count('TASK_KILLED'),
      failed: count('TASK_FAILED'),
      lost: count('TASK_LOST'),
    });
  });

  it('0.27.1 has 19 running tasks, as its provenance says', () => {
    const state = parseMasterState(rawFixture('v0.27.1-capgemini/master-state.json'));
    expect(taskCountsFromTasks(state.frameworks.flatMap((f) => f.tasks)).running).toBe(19);
  });

  it('counts unreachable tasks and ignores states without a counter', () => {
    expect(
      taskCountsFromTasks([
        { state: 'TASK_UNREACHABLE' },
        { state: 'TASK_RUNNING' },
        { state: 'TASK_ERROR' },
        { state: 'TASK_GONE' },
      ]),
    ).toEqual({ ...ZERO_TASK_COUNTS, unreachable: 1, running: 1 });
  });
});

describe('taskCountsFromMetrics', () => {
  it.each([
    ['v0.27.1-capgemini/metrics-snapshot.json', 'master'],
    ['v0.22.0-datadog/master-metrics-snapshot.json', 'master'],
    ['v0.22.0-datadog/agent-metrics-snapshot.json', 'slave'],
  ] as const)('%s: reads %s/tasks_*', (name, prefix) => {
    const raw = rawFixture(name);
    const counts = taskCountsFromMetrics(parseMetricsSnapshot(raw), prefix, 7);
    for (const key of [
      'staging',
      'starting',
      'running',
      'killing',
      'finished',
      'killed',
      'failed',
      'lost',
    ] as const) {
      expect(counts[key]).toBe(raw[`${prefix}/tasks_${key}`] ?? 0);
    }
    expect(counts.unreachable).toBe(7);
  });

  it('treats missing metrics as 0', () => {
    expect(taskCountsFromMetrics({ 'master/tasks_running': 3 }, 'master', 0)).toEqual({
      ...ZERO_TASK_COUNTS,
      running: 3,
    });
  });
});

describe('task times and health', () => {
  const task = (state: string, statuses: Array<{ state: string; timestamp: number; healthy?: boolean }>) =>
    ({ state, statuses }) as Pick<Task, 'state' | 'statuses'>;

  it('start time is the first status when it is not terminal', () => {
    expect(taskStartTime(task('TASK_RUNNING', [{ state: 'TASK_RUNNING', timestamp: 100.5 }]))).toBe(100500);
    expect(taskStartTime(task('TASK_FAILED', [{ state: 'TASK_FAILED', timestamp: 100 }]))).toBeNull();
    expect(taskStartTime(task('TASK_STAGING', []))).toBeNull();
    expect(taskStartTime({ state: 'TASK_STAGING' })).toBeNull();
  });

  it('finish time is the last status when the task is terminal', () => {
    const finished = task('TASK_FINISHED', [
      { state: 'TASK_RUNNING', timestamp: 10 },
      { state: 'TASK_FINISHED', timestamp: 20 },
    ]);
    expect(taskFinishTime(finished)).toBe(20000);
    expect(taskStartTime(finished)).toBe(10000);
    expect(taskFinishTime(task('TASK_RUNNING', [{ state: 'TASK_RUNNING', timestamp: 10 }]))).toBeNull();
    expect(taskFinishTime(task('TASK_KILLED', []))).toBeNull();
  });

  it.each(MASTER_STATES)('%s: times come from the raw statuses', (name) => {
    const raw = rawFixture(name);
    const tasks = parseMasterState(raw).frameworks.flatMap((f) => [...f.tasks, ...f.completed_tasks]);
    const rawList = rawTasks(raw);
    expect(tasks).toHaveLength(rawList.length);
    tasks.forEach((parsed, i) => {
      const statuses: Raw[] = rawList[i].statuses ?? [];
      const first = statuses[0];
      const last = statuses[statuses.length - 1];
      const terminal = (s: string) => TERMINAL_STATES.some((t) => t === s);
      expect(taskStartTime(parsed)).toBe(first && !terminal(first.state) ? first.timestamp * 1000 : null);
      expect(taskFinishTime(parsed)).toBe(last && terminal(rawList[i].state) ? last.timestamp * 1000 : null);
    });
  });

  it('0.27.1: a chronos task ran for about 0.1 s before failing', () => {
    const state = parseMasterState(rawFixture('v0.27.1-capgemini/master-state.json'));
    const failed = state.frameworks.flatMap((f) => f.completed_tasks).find((t) => t.state === 'TASK_FAILED');
    expect(failed).toBeDefined();
    if (!failed) return;
    const start = taskStartTime(failed);
    const finish = taskFinishTime(failed);
    expect(start).not.toBeNull();
    expect(finish! - start!).toBeGreaterThan(0);
    expect(finish! - start!).toBeLessThan(1000);
  });

  it('health is the last status’s flag', () => {
    expect(
      taskHealth(
        task('TASK_RUNNING', [
          { state: 'TASK_RUNNING', timestamp: 1, healthy: false },
          { state: 'TASK_RUNNING', timestamp: 2, healthy: true },
        ]),
      ),
    ).toBe(true);
    expect(taskHealth(task('TASK_RUNNING', [{ state: 'TASK_RUNNING', timestamp: 1, healthy: false }]))).toBe(
      false,
    );
    expect(taskHealth(task('TASK_RUNNING', [{ state: 'TASK_RUNNING', timestamp: 1 }]))).toBeNull();
    expect(taskHealth({ state: 'TASK_RUNNING' })).toBeNull();
  });

  it('executor id falls back to the task id (MESOS-527)', () => {
    expect(executorIdOf({ id: 't1', executor_id: '' })).toBe('t1');
    expect(executorIdOf({ id: 't1' })).toBe('t1');
    expect(executorIdOf({ id: 't1', executor_id: 'e1' })).toBe('e1');
  });
});

describe('taskNote', () => {
  it('is the reason and message of the latest status that has either, on one line', () => {
    const task = {
      state: 'TASK_FAILED',
      statuses: [
        { state: 'TASK_STARTING', timestamp: 1, message: 'starting' },
        { state: 'TASK_RUNNING', timestamp: 2, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' },
        {
          state: 'TASK_FAILED',
          timestamp: 3,
          reason: 'REASON_COMMAND_EXECUTOR_FAILED',
          message: 'Command\nexited  with status 1',
        },
        { state: 'TASK_FAILED', timestamp: 4, message: '   ' },
      ],
    };
    expect(taskNote(task)).toEqual({
      reason: 'REASON_COMMAND_EXECUTOR_FAILED',
      message: 'Command exited with status 1',
    });
  });

  it('puts every kind of whitespace on one line, and leaves a message already on one line as it is', () => {
    const noteOf = (message: string) =>
      taskNote({ state: 'TASK_FAILED', statuses: [{ state: 'TASK_FAILED', timestamp: 1, message }] }).message;
    expect(noteOf(' lead')).toBe('lead');
    expect(noteOf('trail ')).toBe('trail');
    expect(noteOf('two  spaces')).toBe('two spaces');
    expect(noteOf('tab\there')).toBe('tab here');
    expect(noteOf('no\u00a0break')).toBe('no break');
    expect(noteOf('crlf\r\nline')).toBe('crlf line');
    expect(noteOf('Command exited with status 0')).toBe('Command exited with status 0');
  });

  it('is null without statuses that say anything, and cuts a huge message', () => {
    expect(taskNote({ state: 'TASK_RUNNING', statuses: [{ state: 'TASK_RUNNING', timestamp: 1 }] })).toEqual({
      reason: null,
      message: null,
    });
    const long = taskNote({
      state: 'TASK_FAILED',
      statuses: [{ state: 'TASK_FAILED', timestamp: 1, message: 'x'.repeat(100_000) }],
    });
    expect(long.message).toHaveLength(300);
    expect(long.message?.endsWith('…')).toBe(true);
  });
});
