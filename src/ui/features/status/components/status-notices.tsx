import { RelativeTime } from '../../../components/time/relative-time';
import { useTime } from '../../../components/time/time-context';
import { leaderChange, type NoticesStatus } from '../utils/connection-problem';

/**
 * Quieter news under the header: the leading master changed (for a while after it did), and leader discovery
 * is degraded (ZooKeeper down while a leader is known). Neither hides data.
 */
export function StatusNotices({ status }: { status: NoticesStatus | undefined }) {
  const { now } = useTime();
  const change = leaderChange(status, now);
  const degraded = status?.discovery.degraded ?? null;
  if (!change && !degraded) return null;
  return (
    <div className="status-notices">
      {change && (
        <p className="status-notice status-notice-info" role="status" data-testid="leader-change">
          Leader changed to <strong className="mono">{change.leader}</strong> <RelativeTime ms={change.at} />
          {change.previous && <span className="muted"> (was {change.previous})</span>}.
        </p>
      )}
      {degraded && (
        <p className="status-notice status-notice-warn" role="status" data-testid="discovery-degraded">
          <strong>Discovery degraded:</strong> {degraded.message}, since <RelativeTime ms={degraded.since} />.
        </p>
      )}
    </div>
  );
}
