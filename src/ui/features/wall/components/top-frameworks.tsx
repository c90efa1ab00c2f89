import type { WallView } from '../../../../bff/schemas/wall';
import { RESOURCE_LABELS } from '../utils/history-summary';
import { TileWaiting, WallTile } from './wall-tile';

/** The frameworks holding the largest dominant share of the cluster, as bars. */
export function TopFrameworks({ wall }: { wall: WallView | undefined }) {
  return (
    <WallTile title="Top frameworks" testId="tile-frameworks">
      {!wall ? (
        <TileWaiting />
      ) : wall.topFrameworks.length === 0 ? (
        <TileWaiting what="No active frameworks" />
      ) : (
        <ol className="wall-list">
          {wall.topFrameworks.map((framework) => (
            <li key={framework.id} className="wall-bar-row">
              <span className="wall-bar-name">{framework.name || framework.id}</span>
              <span className="wall-bar-value">
                {Math.round(framework.share * 100)}% {RESOURCE_LABELS[framework.dominant]}
              </span>
              <span className="wall-bar-track" aria-hidden="true">
                <span
                  className="wall-bar-fill"
                  style={{ width: `${Math.min(100, framework.share * 100)}%` }}
                />
              </span>
            </li>
          ))}
        </ol>
      )}
    </WallTile>
  );
}
