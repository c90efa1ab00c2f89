import type { ReactNode } from 'react';
import type { FrameworkDetailView } from '../../../../bff/schemas/detail-views';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { truncateMesosId } from '../../../../mesos/ids';
import { humanDuration } from '../../../../mesos/time';
import { CopyButton } from '../../../components/copy-button';
import { QueryFallback } from '../../../components/query-fallback';
import { ResourceMatrix } from '../../../components/resources/resource-matrix';
import { formatShare } from '../../../components/resources/format';
import { RelativeTime, secondsToMs } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { TaskCountsTable } from '../../../components/counts/task-counts';
import { useFramework } from '../api/get-framework';
import { FrameworkJobs } from './framework-jobs';
import { FrameworkApps } from './framework-apps';
import { ExternalLink } from '../../../components/external-link';
import { FrameworkHost } from './framework-columns';
import { FrameworkRoles } from '../../../components/roles/framework-roles';
import { safeHttpUrl } from '../utils/safe-url';
import { formatCount } from '../../../components/counts/format-count';

function Summary({ view }: { view: FrameworkDetailView }) {
  const { framework } = view;
  const webUi = safeHttpUrl(framework.webuiUrl);
  return (
    <section className="panel" aria-label="Framework" data-testid="framework-summary">
      <dl className="info-list">
        <dt>ID</dt>
        <dd className="mono break">
          {framework.id} <CopyButton value={framework.id} />
        </dd>
        <dt>Name</dt>
        <dd className="break">
          {framework.name ? <ClusterText text={framework.name} /> : <span className="muted">-</span>}
        </dd>
        <dt>Host</dt>
        <dd className="break clamp">
          <FrameworkHost framework={framework} />
        </dd>
        {webUi && (
          <>
            <dt>Web UI</dt>
            <dd className="break clamp">
              <ExternalLink href={webUi}>{webUi}</ExternalLink>
            </dd>
          </>
        )}
        <dt>User</dt>
        <dd className="break">{framework.user ? <ClusterText text={framework.user} /> : '-'}</dd>
        <dt>Roles</dt>
        <dd>
          <FrameworkRoles roles={framework.roles} frameworkId={framework.id} />
        </dd>
        <dt>Principal</dt>
        <dd className="break">{framework.principal ? <ClusterText text={framework.principal} /> : '-'}</dd>
        <dt>Registered</dt>
        <dd>
          <RelativeTime ms={secondsToMs(framework.registeredTime)} />
        </dd>
        <dt>Re-registered</dt>
        <dd>
          <RelativeTime ms={secondsToMs(framework.reregisteredTime)} />
        </dd>
        {view.terminated && (
          <>
            <dt>Unregistered</dt>
            <dd>
              <RelativeTime ms={secondsToMs(framework.unregisteredTime)} />
            </dd>
          </>
        )}
        <dt>Active tasks</dt>
        <dd data-testid="framework-active-tasks">{framework.activeTasks}</dd>
        <dt>Max share</dt>
        <dd>{formatShare(framework.maxShare)}</dd>
        <dt>Failover</dt>
        <dd title={view.failoverTimeout === null ? undefined : `${formatCount(view.failoverTimeout)} s`}>
          {view.failoverTimeout === null ? '-' : humanDuration(view.failoverTimeout)}
        </dd>
        <dt>Checkpoint</dt>
        <dd>{view.checkpoint === null ? '-' : view.checkpoint ? 'yes' : 'no'}</dd>
        <dt>Capabilities</dt>
        <dd className="small break">
          {view.capabilities.length > 0 ? view.capabilities.join(', ') : <span className="muted">-</span>}
        </dd>
      </dl>
    </section>
  );
}

/**
 * One framework: its summary, task counters, Allocated/Offered resources, its apps and `tasks` (its task
 * tables, from the tasks feature): the Mesos framework page.
 */
export function FrameworkDetail({
  frameworkId,
  tasks,
  actions,
}: {
  frameworkId: string;
  tasks?: ReactNode;
  /** What an operator may do with the framework (shown under the title). */
  actions?: ReactNode;
}) {
  const query = useFramework(frameworkId);
  const view = query.data;
  if (!view) {
    return (
      <>
        <h1 className="page-title">
          Framework <span className="mono break">{frameworkId}</span>
        </h1>
        <QueryFallback
          error={query.error}
          loadingLabel="Loading the framework…"
          notFound={{
            title: `No framework found with ID: ${frameworkId}`,
            backTo: paths.frameworks.build(),
            backLabel: 'All frameworks',
          }}
          onRetry={() => void query.refetch()}
        />
      </>
    );
  }
  return (
    <>
      <h1 className="page-title clamp">
        Framework{' '}
        <span className="break">
          <ClusterText text={view.framework.name || frameworkId} max={80} />
        </span>{' '}
        <span className="mono muted small">{truncateMesosId(frameworkId)}</span>
      </h1>
      {actions}
      <div className="two-column">
        <aside className="side-column" aria-label="Framework summary">
          {view.terminated && (
            <p className="notice" role="status">
              This framework has terminated!
            </p>
          )}
          <Summary view={view} />
          <TaskCountsTable tasks={view.tasks} scope={{ framework: frameworkId }} />
          <ResourceMatrix
            title="Resources"
            testId="framework-resources"
            series={[
              { label: 'Allocated', values: view.allocated },
              { label: 'Offered', values: view.offered },
            ]}
          />
        </aside>
        <div className="main-column">
          <FrameworkApps frameworkId={frameworkId} apps={view.apps} omitted={view.appsOmitted} />
          <FrameworkJobs frameworkId={frameworkId} name={view.framework.name} />
          {tasks}
        </div>
      </div>
    </>
  );
}
