import { truncateMesosId } from '../../mesos/ids';
import { CellLink } from './data-table/cell-link';
import { CopyButton } from './copy-button';

/** A Mesos ID shown truncated ("…7d3507a6f0ca-S9") with the full ID in its tooltip, a link and a copy button. */
export function MesosId({ id, to }: { id: string; to?: string }) {
  const short = truncateMesosId(id);
  return (
    <span className="mesos-id">
      {to ? (
        <CellLink to={to} title={id}>
          {short}
        </CellLink>
      ) : (
        <span title={id}>{short}</span>
      )}
      <CopyButton value={id} />
    </span>
  );
}
