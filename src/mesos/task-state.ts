import type { MetricsSnapshot } from './metrics';
import type { StatusList } from './master-state';
import { statusFieldsAt, statusTimeAt } from './packed-statuses';

export const TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;
type TaskStateName = (typeof TASK_STATES)[number];

/** The Mesos UI's terminal set (`controllers.js` setTaskMetadata). */
export const TERMINAL_STATES: readonly TaskStateName[] = [
  'TASK_ERROR',
  'TASK_FAILED',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
];

const TERMINAL_SET: ReadonlySet<string> = new Set(TERMINAL_STATES);

/** Accepts both `TASK_RUNNING` and `RUNNING`. */
function normalize(state: string): string {
  return state.startsWith('TASK_') ? state : `TASK_${state}`;
}

/** Whether a task in this state will never change again. */
export function isTerminalState(state: string): boolean {
  return TERMINAL_SET.has(normalize(state));
}

export interface TaskCounts {
  staging: number;
  starting: number;
  running: number;
  unreachable: number;
  killing: number;
  finished: number;
  killed: number;
  failed: number;
  lost: number;
}

export const ZERO_TASK_COUNTS: TaskCounts = Object.freeze({
  staging: 0,
  starting: 0,
  running: 0,
  unreachable: 0,
  killing: 0,
  finished: 0,
  killed: 0,
  failed: 0,
  lost: 0,
});

const METRIC_COUNTERS = [
  'staging',
  'starting',
  'running',
  'killing',
  'finished',
  'killed',
  'failed',
  'lost',
] as const;

/**
 * Task counters from `/metrics/snapshot` keys `<prefix>/tasks_<state>` (missing → 0).
 * `unreachable` is passed in: the Mesos UI takes it from state, not metrics.
 */
export function taskCountsFromMetrics(
  metrics: MetricsSnapshot,
  prefix: 'master' | 'slave',
  unreachable: number,
): TaskCounts {
  const counts: TaskCounts = { ...ZERO_TASK_COUNTS, unreachable };
  for (const name of METRIC_COUNTERS) counts[name] = metrics[`${prefix}/tasks_${name}`] ?? 0;
  return counts;
}

const COUNTER_BY_STATE: Readonly<Record<string, keyof TaskCounts>> = {
  TASK_STAGING: 'staging',
  TASK_STARTING: 'starting',
  TASK_RUNNING: 'running',
  TASK_UNREACHABLE: 'unreachable',
  TASK_KILLING: 'killing',
  TASK_FINISHED: 'finished',
  TASK_KILLED: 'killed',
  TASK_FAILED: 'failed',
  TASK_LOST: 'lost',
};

/** Counts tasks by state. States without a counter (ERROR, DROPPED, GONE...) are not counted. */
export function taskCountsFromTasks(tasks: ReadonlyArray<{ state: string }>): TaskCounts {
  const counts: TaskCounts = { ...ZERO_TASK_COUNTS };
  for (const task of tasks) {
    const counter = COUNTER_BY_STATE[normalize(task.state)];
    if (counter) counts[counter] += 1;
  }
  return counts;
}

/** Counts by state from how many tasks are in each state. */
export function taskCountsFromStates(states: ReadonlyMap<string, number>): TaskCounts {
  const counts: TaskCounts = { ...ZERO_TASK_COUNTS };
  for (const [state, n] of states) {
    const counter = COUNTER_BY_STATE[normalize(state)];
    if (counter) counts[counter] += n;
  }
  return counts;
}

/** `TASK_RUNNING` → `RUNNING`. */
export function shortState(state: string): string {
  return state.startsWith('TASK_') ? state.slice('TASK_'.length) : state;
}

type StateGroup = 'pending' | 'running' | 'terminal' | 'unreachable' | 'other';

/** Coarse grouping for filters: pending (staging/starting), running (incl. killing), terminal, unreachable. */
export function stateGroup(state: string): StateGroup {
  const name = normalize(state);
  if (TERMINAL_SET.has(name)) return 'terminal';
  switch (name) {
    case 'TASK_STAGING':
    case 'TASK_STARTING':
      return 'pending';
    case 'TASK_RUNNING':
    case 'TASK_KILLING':
      return 'running';
    case 'TASK_UNREACHABLE':
      return 'unreachable';
    default:
      return 'other';
  }
}

type StateTone = 'ok' | 'warn' | 'bad' | 'neutral' | 'info';

/** Colour hint for a task state. */
export function stateTone(state: string): StateTone {
  switch (normalize(state)) {
    case 'TASK_FINISHED':
      return 'ok';
    case 'TASK_RUNNING':
      return 'info';
    case 'TASK_FAILED':
    case 'TASK_ERROR':
    case 'TASK_LOST':
    case 'TASK_DROPPED':
    case 'TASK_GONE':
      return 'bad';
    case 'TASK_KILLED':
    case 'TASK_KILLING':
    case 'TASK_UNREACHABLE':
    case 'TASK_GONE_BY_OPERATOR':
      return 'warn';
    default:
      return 'neutral';
  }
}

/** The parts of a task the time/health helpers need (master and agent tasks both fit). */
interface TaskLike {
  state: string;
  statuses?: StatusList;
}

/** Start time in ms: the first status's timestamp, if that status is not terminal; else null. */
export function taskStartTime(task: TaskLike): number | null {
  const statuses = task.statuses;
  const first = statuses && statusFieldsAt(statuses, 0);
  const time = statuses && statusTimeAt(statuses, 0);
  if (!first || time === undefined || isTerminalState(first.state)) return null;
  return time * 1000;
}

/** Finish time in ms: the last status's timestamp when the task is terminal; else null. */
export function taskFinishTime(task: TaskLike): number | null {
  if (!isTerminalState(task.state)) return null;
  const statuses = task.statuses;
  const time = statuses && statusTimeAt(statuses, statuses.length - 1);
  return time === undefined ? null : time * 1000;
}

/** Longest reason or message a task list carries: a hostile message can be megabytes. */
const MAX_NOTE = 300;

/** Whitespace that `oneLine` changes: other than single spaces between words. */
const NOT_ONE_LINE = /[^\S ]| {2}|^ | $/;

function oneLine(text: string | undefined): string | null {
  if (!text) return null;
  // Most notes are one line already: kept as they are, a row shares its status's (interned) string; the
  // replace would give each of 100,000 rows a copy of "Command exited with status 0".
  const line = NOT_ONE_LINE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
  if (line === '') return null;
  return line.length > MAX_NOTE ? `${line.slice(0, MAX_NOTE - 1)}…` : line;
}

/**
 * Why a task is where it is: the reason and message of its latest status that has either (`REASON_...`,
 * "Command exited with status 1"), on one line, cut for lists; null when no status says.
 */
export function taskNote(task: TaskLike): { reason: string | null; message: string | null } {
  const statuses = task.statuses ?? [];
  for (let at = statuses.length - 1; at >= 0; at -= 1) {
    const status = statusFieldsAt(statuses, at);
    if (!status) continue;
    const reason = oneLine(status.reason);
    const message = oneLine(status.message);
    if (reason !== null || message !== null) return { reason, message };
  }
  return { reason: null, message: null };
}

/** The last status's health check result; null when unknown. */
export function taskHealth(task: TaskLike): boolean | null {
  const statuses = task.statuses;
  const healthy = statuses && statusFieldsAt(statuses, statuses.length - 1)?.healthy;
  return typeof healthy === 'boolean' ? healthy : null;
}

/** The executor running a task; command-executor tasks have an empty `executor_id` (MESOS-527). */
export function executorIdOf(task: { id: string; executor_id?: string }): string {
  return task.executor_id || task.id;
}
