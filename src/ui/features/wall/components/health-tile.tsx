import type { WallView } from '../../../../bff/schemas/wall';
import { wholeNumber } from '../utils/wall-format';
import { TileWaiting, WallTile } from './wall-tile';

type Tone = 'ok' | 'warn' | 'bad';

/** One word for the cluster's state, and why. */
export function clusterHealth(wall: WallView, masterReachable: boolean): { tone: Tone; word: string } {
  if (!masterReachable) return { tone: 'bad', word: 'Master unreachable' };
  const { agents } = wall;
  if (agents.total === 0) return { tone: 'bad', word: 'No agents' };
  if (agents.unreachable > 0 || agents.unlisted > 0) return { tone: 'warn', word: 'Agents unreachable' };
  if (agents.draining > 0) return { tone: 'warn', word: 'Draining' };
  return { tone: 'ok', word: 'Healthy' };
}

function Count({ value, label, tone }: { value: number; label: string; tone?: Tone }) {
  return (
    <div className={`wall-count${tone && value > 0 ? ` wall-tone-${tone}` : ''}`}>
      <span className="wall-count-value">{wholeNumber(value)}</span>
      <span className="wall-count-label">{label}</span>
    </div>
  );
}

/** Leader, agents by state, frameworks and tasks, with an overall word. */
export function HealthTile({
  wall,
  masterReachable,
}: {
  wall: WallView | undefined;
  masterReachable: boolean;
}) {
  if (!wall) {
    return (
      <WallTile title="Cluster" testId="tile-health">
        <TileWaiting />
      </WallTile>
    );
  }
  const health = clusterHealth(wall, masterReachable);
  const { agents, tasks } = wall;
  return (
    <WallTile
      title="Cluster"
      testId="tile-health"
      figure={<span className={`wall-health wall-tone-${health.tone}`}>{health.word}</span>}
    >
      <p className="wall-leader">
        <span className="muted">Leader</span> <span className="mono">{wall.cluster.leader ?? 'none'}</span>
      </p>
      <div className="wall-counts">
        <Count value={agents.active} label="agents active" />
        <Count value={agents.unreachable + agents.unlisted} label="unreachable" tone="bad" />
        <Count value={agents.draining} label="draining" tone="warn" />
        <Count value={wall.frameworks.active} label="frameworks" />
        <Count value={tasks.running} label="tasks running" />
        <Count value={tasks.staging + tasks.starting} label="starting" />
      </div>
    </WallTile>
  );
}
