import { memo } from 'react';
import { Link } from 'react-router';
import type { MasterInfoView } from '../../../../bff/schemas/views';
import { CopyButton } from '../../../components/copy-button';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths, serverUrls } from '../../../config/paths';

const UNNAMED_TOOLTIP = 'To name this cluster, set the --cluster flag when starting the master.';

export function ClusterName({ cluster }: { cluster: string | null }) {
  if (cluster) return <>{cluster}</>;
  return (
    <span className="muted" title={UNNAMED_TOOLTIP}>
      (Unnamed)
    </span>
  );
}

/**
 * The master's summary, as in the left column of the Mesos home page. Rendered again only when the master's part
 * of the overview changed: a poll keeps an unchanged part's identity, and most polls change only the counts.
 */
export const ClusterInfo = memo(function ClusterInfo({ master }: { master: MasterInfoView }) {
  return (
    <dl className="info-list">
      <dt>Cluster</dt>
      <dd data-testid="cluster-name">
        <ClusterName cluster={master.cluster} />
      </dd>
      <dt>Master</dt>
      <dd className="mono break small" data-testid="master-id">
        {master.id} <CopyButton value={master.id} />
      </dd>
      <dt>Leader</dt>
      <dd className="mono" data-testid="leader">
        {master.leader ? (
          `${master.leader.hostname}:${master.leader.port}`
        ) : (
          <span className="muted">(Unknown)</span>
        )}
      </dd>
      <dt>Version</dt>
      <dd>{master.version}</dd>
      <dt>Built</dt>
      <dd>
        {master.buildTime !== null ? (
          <RelativeTime ms={secondsToMs(master.buildTime)} />
        ) : (
          (master.buildDate ?? '-')
        )}
        {master.buildUser && <> by {master.buildUser}</>}
      </dd>
      <dt>Started</dt>
      <dd>
        <RelativeTime ms={secondsToMs(master.startTime)} />
      </dd>
      <dt>Elected</dt>
      <dd>
        <RelativeTime ms={secondsToMs(master.electedTime)} />
      </dd>
      {master.logAvailable && (
        <>
          <dt>Leading Master Log</dt>
          <dd className="link-list">
            <Link to={paths.masterLog.build()}>View</Link>
            <a href={serverUrls.masterLogDownload()} download>
              Download
            </a>
          </dd>
        </>
      )}
    </dl>
  );
});
