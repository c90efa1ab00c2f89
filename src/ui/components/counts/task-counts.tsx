import type { TaskCounts } from '../../../mesos/task-state';
import { paths } from '../../config/paths';
import { CountTable, type CountRow } from './count-table';

const ROWS: ReadonlyArray<{ key: keyof TaskCounts; label: string; tone?: CountRow['tone'] }> = [
  { key: 'staging', label: 'Staging', tone: 'info' },
  { key: 'starting', label: 'Starting', tone: 'info' },
  { key: 'running', label: 'Running', tone: 'ok' },
  { key: 'unreachable', label: 'Unreachable', tone: 'warn' },
  { key: 'killing', label: 'Killing', tone: 'warn' },
  { key: 'finished', label: 'Finished' },
  { key: 'killed', label: 'Killed' },
  { key: 'failed', label: 'Failed', tone: 'bad' },
  { key: 'lost', label: 'Lost', tone: 'bad' },
];

/** The Tasks page listing the tasks a counter counts, within `scope` (`{ agent: id }`, `{ framework: id }`). */
function taskCountLink(key: keyof TaskCounts, scope: Record<string, string> = {}): string {
  const search = new URLSearchParams(scope);
  // Unreachable tasks are a group of their own (their state may still say RUNNING).
  if (key === 'unreachable') search.set('group', 'unreachable');
  else search.set('state', `TASK_${key.toUpperCase()}`);
  return paths.tasks.build(search.toString());
}

/**
 * The Tasks counter table, each count a link to the tasks it counts; `omit` drops rows a page does not have
 * (agents have no Unreachable counter), `scope` narrows the links to one agent or framework.
 */
export function TaskCountsTable({
  tasks,
  omit = [],
  scope,
}: {
  tasks: TaskCounts | undefined;
  omit?: ReadonlyArray<keyof TaskCounts>;
  scope?: Record<string, string>;
}) {
  return (
    <CountTable
      title="Tasks"
      rows={ROWS.filter((row) => !omit.includes(row.key)).map((row) => ({
        label: row.label,
        value: tasks?.[row.key],
        testId: `tasks-${row.key}`,
        tone: row.tone,
        to: taskCountLink(row.key, scope),
      }))}
    />
  );
}
