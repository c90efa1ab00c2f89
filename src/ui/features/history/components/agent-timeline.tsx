import { useState } from 'react';
import { Link } from 'react-router';
import type { HistoryTaskView } from '../../../../bff/schemas/views';
import { TaskStateBadge } from '../../../components/badges/task-state-badge';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Section } from '../../../components/detail/detail-parts';
import { RelativeTime } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { useAgentFailures, useAgentTimeline } from '../api/get-history';

const WINDOWS = [
  { value: 3_600_000, label: '1 h' },
  { value: 6 * 3_600_000, label: '6 h' },
  { value: 24 * 3_600_000, label: '24 h' },
  { value: 7 * 86_400_000, label: '7 d' },
] as const;

/** A bar from the task's start to its end (or the window's end), on the window's scale. */
function Bar({ task, from, to }: { task: HistoryTaskView; from: number; to: number }) {
  const start = Math.max(from, task.started ?? task.updated);
  const end = Math.min(to, task.ended ?? to);
  const left = ((start - from) / (to - from)) * 100;
  const width = Math.max(0.5, ((end - start) / (to - from)) * 100);
  const tone = task.failed ? 'tone-bad' : task.ended === null ? 'tone-ok' : 'tone-info';
  return (
    <div className="timeline-track" aria-hidden="true">
      <div className={`timeline-bar ${tone}`} style={{ left: `${left}%`, width: `${width}%` }} />
    </div>
  );
}

/** What ran on an agent in a window (from the task history), newest first, with its failures of the last 24 h. */
export function AgentTimeline({ agentId }: { agentId: string }) {
  const [span, setSpan] = useState<number>(24 * 3_600_000);
  const [now] = useState(() => Math.ceil(Date.now() / 60_000) * 60_000);
  const from = now - span;
  const timeline = useAgentTimeline(agentId, { from: String(from), to: String(now) });
  const failures = useAgentFailures();
  const failed24h = failures.data?.agents[agentId] ?? 0;
  if (timeline.isError) return null;
  const tasks = timeline.data?.tasks ?? [];
  return (
    <Section title="What ran here" testId="agent-timeline">
      <div className="filter-bar">
        <div className="segmented-control" role="group" aria-label="Timeline window">
          {WINDOWS.map((option) => (
            <button
              key={option.value}
              type="button"
              aria-pressed={span === option.value}
              onClick={() => setSpan(option.value)}
            >
              {option.label}
            </button>
          ))}
        </div>
        <span data-testid="agent-failures-24h" className={failed24h > 0 ? 'badge tone-bad' : 'badge'}>
          {failed24h} failures in 24 h
        </span>
      </div>
      {tasks.length === 0 ? (
        <p className="muted">
          {timeline.data ? 'No task recorded on this agent in this window.' : 'Reading…'}
        </p>
      ) : (
        <table className="data-table compact-table">
          <caption className="visually-hidden">Tasks on this agent in the window, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">State</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col" style={{ width: '35%' }}>
                Timeline
              </th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={`${task.frameworkId}/${task.taskId}`}>
                <td className="cell-wrap">
                  <Link className="mono" to={paths.task.build(task.frameworkId, task.taskId)}>
                    <ClusterText text={task.taskId} max={60} />
                  </Link>
                </td>
                <td>
                  <TaskStateBadge state={task.state} />
                </td>
                <td>
                  <RelativeTime ms={task.started} />
                </td>
                <td>
                  <RelativeTime ms={task.ended} />
                </td>
                <td>
                  <Bar task={task} from={from} to={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
