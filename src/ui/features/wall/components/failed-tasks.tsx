import type { WallView } from '../../../../bff/schemas/wall';
import { relativeTime } from '../../../../mesos/time';
import { shortState } from '../../../../mesos/task-state';
import { useTime } from '../../../components/time/time-context';
import { TileWaiting, WallTile } from './wall-tile';

/** The latest FAILED, LOST and ERROR tasks, newest first, with why they ended. */
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
            <li key={`${task.frameworkName ?? ''}/${task.id}`} className="failed-row">
              <span className="failed-state wall-tone-bad">{shortState(task.state)}</span>
              <span className="failed-name">{task.name || task.id}</span>
              <span className="failed-when">
                {task.finishTime === null ? '' : relativeTime(task.finishTime * 1000, now)}
              </span>
              <span className="failed-detail">
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
