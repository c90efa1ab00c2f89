import { Link } from 'react-router';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { CopyButton } from '../../../components/copy-button';

/**
 * An executor or task ID (free text chosen by the framework, not a Mesos ID to shorten): truncated in the cell,
 * whole in the tooltip, copyable.
 */
export function FreeTextId({ id, to }: { id: string; to?: string }) {
  return (
    <span className="mesos-id">
      {to ? (
        <Link to={to} title={id} className="mono">
          <ClusterText text={id} max={Number.POSITIVE_INFINITY} />
        </Link>
      ) : (
        <span title={id} className="mono">
          <ClusterText text={id} max={Number.POSITIVE_INFINITY} />
        </span>
      )}
      <CopyButton value={id} />
    </span>
  );
}
