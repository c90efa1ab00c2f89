import type { TaskCounts } from '../../../../mesos/task-state';
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

/** The Tasks counter table; `omit` drops rows a page does not have (agents have no Unreachable counter). */
export function TaskCountsTable({
  tasks,
  omit = [],
}: {
  tasks: TaskCounts | undefined;
  omit?: ReadonlyArray<keyof TaskCounts>;
}) {
  return (
    <CountTable
      title="Tasks"
      rows={ROWS.filter((row) => !omit.includes(row.key)).map((row) => ({
        label: row.label,
        value: tasks?.[row.key],
        testId: `tasks-${row.key}`,
        tone: row.tone,
      }))}
    />
  );
}
