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

export function TaskCountsTable({ tasks }: { tasks: TaskCounts | undefined }) {
  return (
    <CountTable
      title="Tasks"
      rows={ROWS.map((row) => ({
        label: row.label,
        value: tasks?.[row.key],
        testId: `tasks-${row.key}`,
        tone: row.tone,
      }))}
    />
  );
}
