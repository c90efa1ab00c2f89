import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { QueryFallback } from '../../../components/query-fallback';
import { RelativeTime } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { useFailures } from '../api/get-history';
import { rangeQuery } from '../../../components/filters/time-range';

const GROUPINGS = [
  { value: 'app', label: 'App' },
  { value: 'framework', label: 'Framework' },
  { value: 'reason', label: 'Reason' },
  { value: 'message', label: 'Message' },
  { value: 'agent', label: 'Agent' },
  { value: 'attribute:rack', label: 'Rack' },
] as const;
const RANGES = [
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
] as const;

/**
 * Failures (FAILED, LOST, ERROR, DROPPED, GONE, and kills nobody asked for) over a range, grouped by app,
 * framework, reason, message (ids and numbers taken out), agent or rack; each group links to its tasks, and
 * groups new since yesterday or failing more than the day before stand out.
 */
export function FailuresPage() {
  const [params, setParams] = useSearchParams();
  const [now] = useState(() => Date.now());
  const range = params.get('range') ?? '7d';
  const groupBy = params.get('groupBy') ?? 'app';
  const failures = useFailures({ ...rangeQuery(new URLSearchParams({ range }), now), groupBy });
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  };
  const data = failures.data;
  return (
    <div className="stack">
      <div className="filter-bar" role="search" aria-label="Failure grouping">
        <div className="filter-field">
          <span id="failures-range-label">Time</span>
          <div className="segmented-control" role="group" aria-labelledby="failures-range-label">
            {RANGES.map((option) => (
              <button
                key={option.value}
                type="button"
                aria-pressed={range === option.value}
                onClick={() => set('range', option.value)}
              >
                {option.label}
              </button>
            ))}
          </div>
        </div>
        <div className="filter-field">
          <span id="failures-group-label">Group by</span>
          <div className="segmented-control" role="group" aria-labelledby="failures-group-label">
            {GROUPINGS.map((option) => (
              <button
                key={option.value}
                type="button"
                aria-pressed={groupBy === option.value}
                onClick={() => set('groupBy', option.value)}
              >
                {option.label}
              </button>
            ))}
          </div>
        </div>
      </div>
      {!data ? (
        <QueryFallback
          error={failures.error}
          loadingLabel="Reading the task history…"
          notFound={{ title: 'No task history', backTo: paths.tasks.build(), backLabel: 'Tasks' }}
          onRetry={() => void failures.refetch()}
        />
      ) : data.groups.length === 0 ? (
        <p className="muted">No failure recorded in this range.</p>
      ) : (
        <table className="data-table compact-table" data-testid="failure-groups">
          <caption className="visually-hidden">Failures by {groupBy}, most first</caption>
          <thead>
            <tr>
              <th scope="col">{GROUPINGS.find((g) => g.value === groupBy)?.label ?? groupBy}</th>
              <th scope="col" className="num">
                Failures
              </th>
              <th scope="col" className="num">
                Last 24 h
              </th>
              <th scope="col" className="num">
                24 h before
              </th>
              <th scope="col">Last</th>
              <th scope="col">Example</th>
              <th scope="col">Tasks</th>
            </tr>
          </thead>
          <tbody>
            {data.groups.map((group) => {
              const search = new URLSearchParams({
                range,
                state: '',
                ...group.filter,
              });
              search.delete('state');
              return (
                <tr key={group.key} data-testid="failure-group">
                  <td className="cell-wrap">
                    <ClusterText text={group.label} />
                    <span className="history-marks">
                      {group.newSinceYesterday && (
                        <span className="badge tone-warn">new since yesterday</span>
                      )}
                      {group.gettingWorse && <span className="badge tone-bad">getting worse</span>}
                    </span>
                  </td>
                  <td className="num">{group.count}</td>
                  <td className="num">{group.last24h}</td>
                  <td className="num">{group.previous24h}</td>
                  <td>
                    <RelativeTime ms={group.lastAt} />
                  </td>
                  <td className="cell-wrap small">
                    {group.example ? <ClusterText text={group.example} /> : <span className="muted">-</span>}
                  </td>
                  <td>
                    {Object.keys(group.filter).length > 0 ? (
                      <Link to={`/tasks/history?${search.toString()}`}>tasks</Link>
                    ) : (
                      <span className="muted">-</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
