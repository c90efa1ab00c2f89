import type { WallView } from '../../../../bff/schemas/wall';
import { relativeTime } from '../../../../mesos/time';
import { shortState } from '../../../../mesos/task-state';
import { useTime } from '../../../components/time/time-context';
import { wholeNumber } from '../utils/wall-format';
import { TileWaiting, WallTile } from './wall-tile';

/**
 * The latest FAILED, LOST and ERROR tasks, newest first, with why they ended; the same failure repeated
 * (same task name, framework, state and reason) is one line with a count.
 */
export function FailedTasks({ wall }: { wall: WallView | undefined }) {
  const { now } = useTime();
  return (
    <WallTile title="Latest failed tasks" testId="tile-failed">
      {!wall ? (
        <TileWaiting />
      ) : wall.failedTasks.length === 0 ? (
        <TileWaiting what="No failed tasks" />
      ) : (
        <ol className="wall-list failed-list">
          {wall.failedTasks.map((task) => (
            <li
              key={`${task.frameworkName ?? ''}/${task.id}`}
              className="failed-row"
              data-testid="failed-row"
            >
              <span className="failed-state wall-tone-bad">{shortState(task.state)}</span>
              <span className="failed-name" title={task.name || task.id}>
                {task.name || task.id}
                {task.count > 1 && (
                  <span className="failed-count" data-testid="failed-count">
                    {' '}
                    ×{wholeNumber(task.count)}
                  </span>
                )}
              </span>
              <span className="failed-when">
                {task.finishTime === null ? '' : relativeTime(task.finishTime * 1000, now)}
              </span>
              <span className="failed-detail" title={task.message ?? task.reason ?? undefined}>
                {[task.frameworkName, task.agentHostname, task.message ?? task.reason]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          ))}
        </ol>
      )}
    </WallTile>
  );
}
