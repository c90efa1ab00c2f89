import { RelativeTime } from '../../../components/time/relative-time';
import type { ConnectionProblem } from '../utils/connection-problem';
import { StaleSince } from './stale-since';

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
          {problem.kind === 'unauthorized' ? (
            <>
              {problem.lastError}. Check the credentials the mesoscope server is started with
              (--credentials-file or MESOS_CREDENTIALS).{' '}
            </>
          ) : (
            <>Cannot reach the leading master: {problem.lastError}. </>
          )}
          {problem.lastSuccessAt === null ? (
            'No cluster data has been loaded yet.'
          ) : (
            <>
              Data stale since <StaleSince ms={problem.lastSuccessAt} /> (last refreshed{' '}
              <RelativeTime ms={problem.lastSuccessAt} />
              ).
            </>
          )}
        </span>
      )}
    </div>
  );
}
