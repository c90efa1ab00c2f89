import { RelativeTime } from '../../../components/time/relative-time';
import type { ConnectionProblem } from '../utils/connection-problem';

/** A non-modal banner over the page while data cannot be refreshed; the page keeps its last data. */
export function ConnectionBanner({ problem }: { problem: ConnectionProblem | null }) {
  if (!problem) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <span className="stale-pill">Stale</span>
      {problem.kind === 'server-unreachable' ? (
        <span>
          mesoscope server unreachable, retrying…{' '}
          {problem.dataFrom === null ? (
            'No data has been loaded yet.'
          ) : (
            <>
              data shown is from <RelativeTime ms={problem.dataFrom} />
            </>
          )}
        </span>
      ) : (
        <span>
          Cannot reach the leading master: {problem.lastError}.{' '}
          {problem.lastSuccessAt === null ? (
            'No cluster data has been loaded yet.'
          ) : (
            <>
              Showing data last refreshed <RelativeTime ms={problem.lastSuccessAt} />.
            </>
          )}
        </span>
      )}
    </div>
  );
}
