import type { DepartedAgentView } from '../../../../bff/schemas/detail-views';
import { truncateMesosId } from '../../../../mesos/ids';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { CopyButton } from '../../../components/copy-button';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { ResourceMatrix } from '../../../components/resources/resource-matrix';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import type { DataColumn } from '../../../components/data-table/data-table';
import type { TaskRow } from '../../../../bff/schemas/views';
import { AgentBreadcrumb } from '../../../components/breadcrumb/agent-breadcrumb';
import { AgentStateBadge } from '../../../components/badges/agent-state-badge';
import { Dash } from '../../../components/detail/detail-parts';

/** The agent is known: no host or sandbox column (its sandboxes cannot be read), no health. */
const LEFT_OUT = new Set(['host', 'sandbox', 'health', 'role', 'mem']);

const WHAT_IT_MEANS: Record<DepartedAgentView['state'], string> = {
  Unreachable:
    'The master lost contact with this agent and marked it unreachable. Its tasks are unreachable or lost; if the agent comes back, it registers again and reappears in the list.',
  Gone: 'An operator marked this agent gone: it will not come back, and its tasks are gone.',
  Removed: 'The master removed this agent (it shut down, or was replaced by a new one on the same host).',
};

/**
 * The page of an agent the master no longer lists: it cannot be asked itself, so this is what mesoscope
 * saw of it while it was listed, and every task the master still lists on it.
 */
/** `taskColumns`: the Tasks page's columns, given by the route (a feature does not reach into another's). */
export function DepartedAgentDetail({
  view,
  taskColumns: allTaskColumns,
}: {
  view: DepartedAgentView;
  taskColumns: DataColumn<TaskRow>[];
}) {
  const taskColumns = allTaskColumns.filter((column) => !LEFT_OUT.has(column.id ?? ''));
  const name = view.hostname ?? truncateMesosId(view.agentId);
  return (
    <>
      <AgentBreadcrumb
        crumbs={[{ label: `${name} (${truncateMesosId(view.agentId)})`, title: view.agentId }]}
      />
      <h1 className="page-title">
        Agent{' '}
        <span className="break">
          <ClusterText text={name} max={80} />
        </span>{' '}
        <AgentStateBadge state={view.state} />
      </h1>
      <div className="two-column">
        <aside className="side-column" aria-label="Agent summary">
          <p className="notice" role="status" data-testid="departed-notice">
            {WHAT_IT_MEANS[view.state]}
          </p>
          <section className="panel" aria-label="Agent" data-testid="agent-summary">
            <dl className="info-list">
              <dt>ID</dt>
              <dd className="mono break">
                {view.agentId} <CopyButton value={view.agentId} />
              </dd>
              <dt>Host</dt>
              <dd className="break">
                {view.hostname ?? <span className="muted">unknown (known from its tasks only)</span>}
                {view.port !== null && <span className="muted">:{view.port}</span>}
              </dd>
              <dt>State</dt>
              <dd data-testid="agent-state">
                <AgentStateBadge state={view.state} />
              </dd>
              <dt>Since</dt>
              <dd data-testid="agent-since">
                <RelativeTime ms={secondsToMs(view.since)} />
              </dd>
              <dt>Last seen</dt>
              <dd data-testid="agent-last-seen">
                <RelativeTime ms={secondsToMs(view.lastSeen)} />
              </dd>
              <dt>Cluster</dt>
              <dd className="break">{view.cluster ?? <Dash />}</dd>
              <dt>Version</dt>
              <dd>{view.version ?? <Dash />}</dd>
            </dl>
          </section>
        </aside>
        <div className="main-column">
          {view.total && (
            <ResourceMatrix
              title="Resources when last seen"
              testId="agent-resources"
              series={[{ label: 'Total', values: view.total }]}
            />
          )}
          <UrlDataTable
            prefix="tasks"
            title="Tasks that ran here"
            columns={taskColumns}
            rows={view.tasks}
            getRowId={(task) => `${task.frameworkId}/${task.id}`}
            emptyMessage="The master lists no task on this agent any more."
          />
        </div>
      </div>
    </>
  );
}
