import { useSearchParams } from 'react-router';
import { formatMetric, groupMetrics } from '../../../../mesos/metrics-format';
import { AgentPicker } from '../../../components/agent-picker/agent-picker';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { FilterInput } from '../../../components/data-table/filter-input';
import { ErrorState, LoadingState } from '../../../components/states';
import { useMetrics } from '../api/get-metrics';

/**
 * `/metrics/snapshot` of the leading master or of any agent, grouped by key prefix, filterable, refreshed.
 * The source (`agent`) and the filter (`q`) are in the URL.
 */
export function MetricsView() {
  const [params, setParams] = useSearchParams();
  const agentId = params.get('agent') || null;
  const filter = params.get('q') ?? '';
  const metrics = useMetrics(agentId);
  const update = (name: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: name === 'q', preventScrollReset: true },
    );

  const groups = metrics.data ? groupMetrics(metrics.data, filter) : [];
  const total = metrics.data ? Object.keys(metrics.data).length : 0;
  const shown = groups.reduce((n, group) => n + group.metrics.length, 0);
  const source = agentId === null ? 'the leading master' : `agent ${agentId}`;

  return (
    <div className="stack">
      <div className="filter-bar" role="search" aria-label="Metrics filters">
        <AgentPicker value={agentId} onChange={(id) => update('agent', id)} />
        <div className="filter-field">
          <span aria-hidden="true">Keys</span>
          <FilterInput value={filter} onChange={(q) => update('q', q)} label="Filter metrics by key" />
        </div>
        {metrics.data && (
          <span className="muted" role="status">
            {filter ? `${shown} of ${total} metrics` : `${total} metrics`} from {source}
            {metrics.isFetching ? ' · refreshing…' : ''}
          </span>
        )}
      </div>
      {metrics.isError && (
        <ErrorState
          title={`Could not read the metrics of ${source}.`}
          error={metrics.error}
          onRetry={() => void metrics.refetch()}
        />
      )}
      {!metrics.data && !metrics.isError && <LoadingState label="Loading metrics…" />}
      {metrics.data && groups.length === 0 && (
        <p className="empty-state">No metric key contains "{filter}".</p>
      )}
      <div className="metric-groups">
        {groups.map((group) => (
          <section
            key={group.prefix}
            className="panel metric-group"
            aria-labelledby={`metrics-${group.prefix}`}
          >
            <h2 id={`metrics-${group.prefix}`}>
              {group.prefix} <span className="table-count">{group.metrics.length}</span>
            </h2>
            <table className="data-table compact-table">
              <caption className="visually-hidden">{group.prefix} metrics</caption>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col" className="numeric">
                    Value
                  </th>
                </tr>
              </thead>
              <tbody>
                {group.metrics.map((metric) => (
                  <tr key={metric.key}>
                    <th scope="row" className="mono cell-wrap metric-key">
                      {/* Per-framework keys carry framework names. */}
                      <ClusterText text={metric.key} />
                    </th>
                    <td className="numeric" title={String(metric.value)}>
                      {formatMetric(metric.key, metric.value)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </div>
  );
}
