import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { TaskStateBadge } from '../../../components/badges/task-state-badge';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { QueryFallback } from '../../../components/query-fallback';
import { RelativeTime } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { useHistoryTasks } from '../api/get-history';
import { rangeQuery } from '../../../components/filters/time-range';

const HISTORY_FILTERS = ['state', 'framework', 'agent', 'app', 'reason', 'q'] as const;
const LABELS: Record<(typeof HISTORY_FILTERS)[number], string> = {
  state: 'State',
  framework: 'Framework',
  agent: 'Agent',
  app: 'App',
  reason: 'Reason',
  q: 'Message or id',
};
const PAGE_SIZE = '100';

/**
 * The Tasks page over a time range: every task the history recorded alive in it, with the same filters and
 * Marathon app, reason and message, a page at a time from the server; all of it in the URL.
 */
export function HistoryTasksPage() {
  const [params, setParams] = useSearchParams();
  const [now] = useState(() => Date.now());
  const query: Record<string, string> = { ...rangeQuery(params, now), limit: PAGE_SIZE };
  for (const name of HISTORY_FILTERS) query[name] = params.get(name) ?? '';
  query['cursor'] = params.get('cursor') ?? '';
  const tasks = useHistoryTasks(query);
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('cursor');
    setParams(next, { replace: true });
  };
  const page = tasks.data;
  return (
    <div className="stack">
      <div className="filter-bar" role="search" aria-label="Task history filters">
        {HISTORY_FILTERS.map((name) => (
          <label key={name} className="filter-field">
            <span>{LABELS[name]}</span>
            <input
              className="input"
              type="search"
              defaultValue={params.get(name) ?? ''}
              maxLength={200}
              placeholder={name === 'state' ? 'TASK_FAILED' : ''}
              onKeyDown={(event) => {
                if (event.key === 'Enter') setParam(name, event.currentTarget.value.trim());
              }}
              onBlur={(event) => {
                if (event.currentTarget.value.trim() !== (params.get(name) ?? '')) {
                  setParam(name, event.currentTarget.value.trim());
                }
              }}
            />
          </label>
        ))}
      </div>
      {!page ? (
        <QueryFallback
          error={tasks.error}
          loadingLabel="Reading the task history…"
          notFound={{ title: 'No task history', backTo: paths.tasks.build(), backLabel: 'Tasks now' }}
          onRetry={() => void tasks.refetch()}
        />
      ) : page.tasks.length === 0 ? (
        <p className="muted">No task recorded in this range matches.</p>
      ) : (
        <>
          <table className="data-table compact-table" data-testid="history-tasks">
            <caption className="visually-hidden">Tasks recorded in the range, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">App</th>
                <th scope="col">Framework</th>
                <th scope="col">Agent</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col">Reason / message</th>
              </tr>
            </thead>
            <tbody>
              {page.tasks.map((task) => (
                <tr key={`${task.frameworkId}/${task.taskId}`}>
                  <td className="cell-wrap">
                    <Link to={paths.task.build(task.frameworkId, task.taskId)} className="mono">
                      {task.taskId}
                    </Link>
                  </td>
                  <td className="cell-wrap">
                    <ClusterText text={task.name} />
                  </td>
                  <td className="cell-wrap">
                    <ClusterText text={task.frameworkName ?? task.frameworkId} />
                  </td>
                  <td className="cell-wrap">
                    {task.agentId ? (
                      <Link to={paths.agent.build(task.agentId)}>{task.host ?? task.agentId}</Link>
                    ) : (
                      <span className="muted">-</span>
                    )}
                  </td>
                  <td>
                    <TaskStateBadge state={task.state} />
                  </td>
                  <td>
                    <RelativeTime ms={task.started} />
                  </td>
                  <td>
                    <RelativeTime ms={task.ended} />
                  </td>
                  <td className="cell-wrap small">
                    {task.reason && <span className="mono">{task.reason}</span>}{' '}
                    {task.message && <ClusterText text={task.message} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {(params.get('cursor') || page.next) && (
            <div className="filter-bar">
              {params.get('cursor') && (
                <button type="button" className="button" onClick={() => setParam('cursor', '')}>
                  First page
                </button>
              )}
              {page.next && (
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    const next = new URLSearchParams(params);
                    next.set('cursor', page.next ?? '');
                    setParams(next);
                  }}
                >
                  Next page
                </button>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
