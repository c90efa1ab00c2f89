import type { WallView } from '../../../../bff/schemas/wall';
import { wholeNumber } from '../utils/wall-format';
import { TileWaiting, WallTile } from './wall-tile';

type Tone = 'ok' | 'warn' | 'bad';

const TONE_RANK: Record<Tone, number> = { ok: 0, warn: 1, bad: 2 };
/** From this many failures a minute (over the last minutes the wall reads), failing tasks are an alarm. */
const BAD_FAILURES_PER_MINUTE = 1;
/** From this share of agents unreachable, it is an alarm. */
const BAD_UNREACHABLE_SHARE = 0.1;

const plural = (n: number, one: string, many = `${one}s`) => `${wholeNumber(n)} ${n === 1 ? one : many}`;

/**
 * One word for the cluster's state, and every reason that makes it less than healthy: the master out of
 * reach, no agents, agents unreachable, tasks failing (at any rate: warning; from one a minute: alarm), agents
 * draining. The word is the worst reason's.
 */
function clusterHealth(
  wall: WallView,
  masterReachable: boolean,
): { tone: Tone; word: string; reasons: string[] } {
  if (!masterReachable) return { tone: 'bad', word: 'Master unreachable', reasons: [] };
  const { agents, recentFailures } = wall;
  const found: Array<{ tone: Tone; word: string; reason: string }> = [];
  if (agents.total === 0) found.push({ tone: 'bad', word: 'No agents', reason: 'no agent registered' });
  const unreachable = agents.unreachable + agents.unlisted;
  if (unreachable > 0) {
    const share = unreachable / Math.max(1, agents.total + agents.unlisted);
    found.push({
      tone: share >= BAD_UNREACHABLE_SHARE ? 'bad' : 'warn',
      word: 'Agents unreachable',
      reason: `${plural(unreachable, 'agent')} unreachable`,
    });
  }
  if (recentFailures.count > 0) {
    const perMinute = recentFailures.count / recentFailures.minutes;
    found.push({
      tone: perMinute >= BAD_FAILURES_PER_MINUTE ? 'bad' : 'warn',
      word: 'Tasks failing',
      reason: `${plural(recentFailures.count, 'task')} failed in ${recentFailures.minutes} min`,
    });
  }
  if (agents.draining > 0) {
    found.push({ tone: 'warn', word: 'Draining', reason: `${plural(agents.draining, 'agent')} draining` });
  }
  if (found.length === 0) return { tone: 'ok', word: 'Healthy', reasons: [] };
  const worst = found.reduce((a, b) => (TONE_RANK[b.tone] > TONE_RANK[a.tone] ? b : a));
  return { tone: worst.tone, word: worst.word, reasons: found.map((item) => item.reason) };
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
      {health.reasons.length > 0 && (
        <p className={`wall-health-reasons wall-tone-${health.tone}`} data-testid="health-reasons">
          {health.reasons.join(' · ')}
        </p>
      )}
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
