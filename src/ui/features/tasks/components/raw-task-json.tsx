import { useState } from 'react';
import type { TaskJsonSource } from '../../../../bff/schemas/views';
import { escapeBidiInJson } from '../../../components/cluster-text/reveal-bidi';
import { useTaskJson } from '../api/get-task-json';

const JSON_SOURCES: Record<TaskJsonSource, string> = {
  master: 'As the leading master reports it.',
  history: 'As the task history recorded it.',
  mesoscope: 'The part mesoscope keeps of it.',
};

/**
 * The task's JSON, read from the master when the section is first opened (not on every poll): mesoscope keeps
 * only part of each task. When that read fails, the part mesoscope keeps is shown, saying so.
 */
export function RawTaskJson({
  frameworkId,
  taskId,
  compact,
}: {
  frameworkId: string;
  taskId: string;
  compact: Record<string, unknown>;
}) {
  const [opened, setOpened] = useState(false);
  const full = useTaskJson(frameworkId, taskId, opened);
  const shown = full.data?.task ?? compact;
  let where: string;
  if (full.data) {
    const { source, problem } = full.data;
    where = `${JSON_SOURCES[source]}${problem ? ` Not the master's: ${problem}.` : ''}`;
  } else if (full.isError) {
    where = `Could not read the task's JSON (${full.error.message}); showing the part mesoscope keeps of it.`;
  } else {
    where = 'Reading the task from the master…';
  }
  return (
    <details
      className="panel raw-json"
      data-testid="task-raw-json"
      onToggle={(event) => {
        if (event.currentTarget.open) setOpened(true);
      }}
    >
      <summary>The task as JSON</summary>
      {opened && (
        <>
          <p className="muted small raw-json-source" data-testid="task-raw-json-source" role="status">
            {where}
          </p>
          <pre className="mono">{escapeBidiInJson(JSON.stringify(shown, null, 2))}</pre>
        </>
      )}
    </details>
  );
}
