import { Link } from 'react-router';
import type { HistoryTaskView } from '../../../../bff/schemas/views';
import { TaskStateBadge } from '../../../components/badges/task-state-badge';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { Section } from '../../../components/detail/detail-parts';
import { ErrorState, LoadingState } from '../../../components/states';
import { RelativeTime } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { isApiError } from '../../../lib/api-client';
import { useSandbox } from '../../sandbox/api/get-sandbox';
import { useHistoryTask } from '../api/get-history';

function StoredSandboxLinks({ task }: { task: HistoryTaskView }) {
  const executor = typeof task.detail?.['executor'] === 'string' ? task.detail['executor'] : task.taskId;
  const sandbox = useSandbox({
    agentId: task.agentId ?? '',
    frameworkId: task.frameworkId,
    executorId: executor,
    taskId: task.taskId,
  });
  if (!task.agentId) return <span className="muted">No agent recorded: no sandbox</span>;
  if (sandbox.isError) {
    return (
      <span className="muted" data-testid="sandbox-gone">
        The agent no longer keeps this task&apos;s sandbox ({sandbox.error.message})
      </span>
    );
  }
  const directory = sandbox.data?.directory;
  if (!directory) return <span className="muted">Finding the sandbox…</span>;
  return (
    <nav className="link-list" aria-label="Sandbox">
      <Link to={paths.browse.build(task.agentId, directory)}>Sandbox</Link>
      <Link to={paths.fileView.build(task.agentId, `${directory}/stdout`)}>stdout</Link>
      <Link to={paths.fileView.build(task.agentId, `${directory}/stderr`)}>stderr</Link>
    </nav>
  );
}

/**
 * A task the master no longer lists, from mesoscope's task history: what it was, where it ran, every status,
 * and its sandbox while the agent still keeps it. Not in the history either: the master's "no such task".
 */
export function StoredTaskDetail({ frameworkId, taskId }: { frameworkId: string; taskId: string }) {
  const query = useHistoryTask(frameworkId, taskId, true);
  if (!query.data) {
    if (query.isError) {
      const missing = isApiError(query.error) && (query.error.isNotFound || query.error.status === 503);
      return (
        <ErrorState
          title={missing ? `No task '${taskId}' in framework '${frameworkId}'.` : 'Could not load the task.'}
          error={missing ? undefined : query.error}
          onRetry={missing ? undefined : () => void query.refetch()}
        />
      );
    }
    return <LoadingState label="Looking in the task history…" />;
  }
  const task = query.data;
  return (
    <div className="stack" data-testid="stored-task">
      <p className="notice" role="status">
        The master no longer lists this task (it keeps only its latest ended tasks); this is mesoscope&apos;s
        task history of it.
      </p>
      <div className="task-grid">
        <Section title="Task" testId="task-summary">
          <dl className="info-list">
            <dt>ID</dt>
            <dd className="mono break">
              <ClusterText text={task.taskId} />
            </dd>
            <dt>Name</dt>
            <dd className="break">
              <ClusterText text={task.name} />
            </dd>
            <dt>State</dt>
            <dd>
              <TaskStateBadge state={task.state} />
            </dd>
            <dt>Framework</dt>
            <dd className="break">
              <Link to={paths.framework.build(task.frameworkId)}>
                {task.frameworkName ?? task.frameworkId}
              </Link>
            </dd>
            <dt>Agent</dt>
            <dd className="break">
              {task.agentId ? (
                <Link to={paths.agent.build(task.agentId)}>{task.host ?? task.agentId}</Link>
              ) : (
                <span className="muted">-</span>
              )}
            </dd>
            <dt>Role</dt>
            <dd>{task.role ?? <span className="muted">-</span>}</dd>
            <dt>Resources</dt>
            <dd>
              {task.cpus ?? 0} CPUs, {task.mem ?? 0} MB memory
            </dd>
            <dt>Started</dt>
            <dd>
              <RelativeTime ms={task.started} />
            </dd>
            <dt>Ended</dt>
            <dd>
              <RelativeTime ms={task.ended} />
            </dd>
            <dt>Sandbox</dt>
            <dd>
              <StoredSandboxLinks task={task} />
            </dd>
          </dl>
        </Section>
        <Section title="Status updates" testId="task-statuses">
          <table className="data-table compact-table">
            <caption className="visually-hidden">Every status of the task, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">When</th>
                <th scope="col">Source</th>
                <th scope="col">Reason / message</th>
              </tr>
            </thead>
            <tbody>
              {task.statuses.map((status) => (
                <tr key={`${status.t}-${status.state}`}>
                  <td>
                    <TaskStateBadge state={status.state} />
                  </td>
                  <td>
                    <RelativeTime ms={status.t} />
                  </td>
                  <td className="small mono">{status.source ?? '-'}</td>
                  <td className="cell-wrap small">
                    {status.reason && <span className="mono">{status.reason}</span>}{' '}
                    {status.message && <ClusterText text={status.message} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {task.reason && task.statuses.length === 0 && <p className="muted">{task.reason}</p>}
        </Section>
      </div>
    </div>
  );
}
