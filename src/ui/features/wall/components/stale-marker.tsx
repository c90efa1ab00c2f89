import { format } from 'date-fns';
import { relativeTime } from '../../../../mesos/time';
import type { Freshness } from '../utils/freshness';

const DAY = 86_400_000;

function sinceText(since: number, now: number): string {
  const clock = format(since, now - since > DAY ? 'yyyy-MM-dd HH:mm' : 'HH:mm:ss');
  return `${clock} (${relativeTime(since, now)})`;
}

/** "Live" while data is current; otherwise a loud "Stale since <time>" with the reason, readable from afar. */
export function StaleMarker({ freshness, now }: { freshness: Freshness; now: number }) {
  if (freshness.state === 'live') {
    return (
      <span className="wall-live" data-testid="wall-freshness" data-state="live">
        <span className="wall-live-dot" aria-hidden="true" /> Live
      </span>
    );
  }
  if (freshness.state === 'waiting') {
    return (
      <span className="wall-stale" role="status" data-testid="wall-freshness" data-state="waiting">
        {freshness.reason}
      </span>
    );
  }
  return (
    <span className="wall-stale" role="alert" data-testid="wall-freshness" data-state="stale">
      <strong>
        {freshness.since === null ? 'No data yet' : `Stale since ${sinceText(freshness.since, now)}`}
      </strong>
      <span className="wall-stale-reason">{freshness.reason}</span>
    </span>
  );
}
