import type { AuditEntryView } from '../../../../bff/schemas/views';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { QueryFallback } from '../../../components/query-fallback';
import { RelativeTime } from '../../../components/time/relative-time';
import { useAudit } from '../api/get-audit';

const OUTCOME_CLASS: Record<AuditEntryView['outcome'], string> = {
  done: 'badge tone-ok',
  refused: 'badge tone-warn',
  failed: 'badge tone-bad',
};

/** The operations audit log, newest first: who asked for what, on what, when, and what came of it. */
export function AuditTable() {
  const query = useAudit();
  const entries = query.data?.entries;
  if (!entries) {
    return (
      <QueryFallback
        error={query.error}
        loadingLabel="Reading the audit log…"
        notFound={{
          title: 'Operations are off (--allow-operations)',
          backTo: '/',
          backLabel: 'Overview',
        }}
        onRetry={() => void query.refetch()}
      />
    );
  }
  if (entries.length === 0) return <p className="muted">No operation has been asked for yet.</p>;
  return (
    <table className="data-table compact-table" data-testid="audit-table">
      <caption className="visually-hidden">Operations, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">User</th>
          <th scope="col">Operation</th>
          <th scope="col">Target</th>
          <th scope="col">Outcome</th>
          <th scope="col">Answer</th>
          <th scope="col">Request</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={`${entry.requestId}-${entry.at}`}>
            <td>
              <RelativeTime ms={Date.parse(entry.at)} />
            </td>
            <td className="cell-wrap">
              {entry.user === null ? (
                <span className="muted">not signed in</span>
              ) : (
                <ClusterText text={entry.user} />
              )}
            </td>
            <td className="mono">{entry.action}</td>
            <td className="cell-wrap">
              {entry.target === null ? <span className="muted">-</span> : <ClusterText text={entry.target} />}
            </td>
            <td>
              <span className={OUTCOME_CLASS[entry.outcome]}>{entry.outcome}</span>
            </td>
            <td className="cell-wrap">
              <ClusterText text={entry.message} />
            </td>
            <td className="mono muted small">{entry.requestId}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
