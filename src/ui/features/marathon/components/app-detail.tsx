import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import type {
  MarathonAppView,
  MarathonHealthResult,
  MarathonTaskRow,
} from '../../../../bff/schemas/marathon';
import { truncateMesosId } from '../../../../mesos/ids';
import { TaskStateBadge } from '../../../components/badges/task-state-badge';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import { escapeBidiInJson } from '../../../components/cluster-text/reveal-bidi';
import { CopyButton } from '../../../components/copy-button';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { Section } from '../../../components/detail/detail-parts';
import { QueryFallback } from '../../../components/query-fallback';
import { formatResource } from '../../../components/resources/format';
import { RelativeTime } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { useMarathonApp, useMarathonVersions } from '../api/get-marathon';
import { DeploymentSteps } from './deployments-table';
import {
  InstancesText,
  isoMs,
  MarathonFreshnessNotice,
  MarathonNav,
  MarathonStatusBadge,
} from './marathon-parts';
import { formatCount } from '../../../components/counts/format-count';

/** Marathon's ISO times as ms, for `<RelativeTime>`. */
function healthTitle(results: MarathonHealthResult[]): string {
  return results
    .map((result) =>
      result.alive
        ? `alive, last success ${result.lastSuccess ?? '-'}`
        : `failing (${result.consecutiveFailures} in a row)${result.lastFailureCause ? `: ${result.lastFailureCause}` : ''}`,
    )
    .join('\n');
}

function taskColumns(view: MarathonAppView): DataColumn<MarathonTaskRow>[] {
  const column = createColumnHelper<MarathonTaskRow>();
  return [
    column.accessor('id', {
      id: 'id',
      header: 'Task ID',
      meta: { className: 'cell-truncate' },
      cell: ({ row }) => {
        const task = row.original;
        return task.mesos ? (
          <Link className="mono" to={paths.task.build(task.mesos.frameworkId, task.id)} title={task.id}>
            <ClusterText text={task.id} max={Infinity} />
          </Link>
        ) : (
          <span className="mono" title={task.id}>
            <ClusterText text={task.id} max={Infinity} />
          </span>
        );
      },
    }),
    column.accessor('state', {
      id: 'state',
      header: 'State',
      cell: (info) => <TaskStateBadge state={info.getValue()} />,
    }),
    column.accessor((row) => row.health ?? '', {
      id: 'health',
      header: 'Health',
      meta: { className: 'cell-truncate' },
      cell: ({ row }) => {
        const { health, healthResults } = row.original;
        if (health === null) return <span className="muted">-</span>;
        const failing = healthResults.find((result) => !result.alive);
        return (
          <span title={healthTitle(healthResults)}>
            {health === 'healthy' ? (
              <span className="health-ok">healthy</span>
            ) : (
              <span className="health-bad">unhealthy</span>
            )}
            {failing?.lastFailureCause && <span className="muted small"> {failing.lastFailureCause}</span>}
          </span>
        );
      },
    }),
    column.accessor('host', {
      id: 'host',
      header: 'Agent',
      meta: { className: 'cell-truncate' },
      cell: ({ row }) => {
        const task = row.original;
        return task.agentId ? (
          <Link to={paths.agent.build(task.agentId)} title={task.agentId}>
            <ClusterText text={task.host || task.agentId} max={Infinity} />
          </Link>
        ) : (
          <ClusterText text={task.host} max={Infinity} />
        );
      },
    }),
    column.accessor((row) => row.ports.join(', '), {
      id: 'ports',
      header: 'Ports',
      enableSorting: false,
      meta: { className: 'mono small', priority: 'medium' },
    }),
    column.accessor((row) => isoMs(row.startedAt ?? row.stagedAt), {
      id: 'started',
      header: 'Started',
      meta: { firstOrder: 'desc' },
      cell: (info) => <RelativeTime ms={info.getValue() as number | null} />,
    }),
    column.accessor((row) => row.version ?? '', {
      id: 'version',
      header: 'Version',
      meta: { className: 'mono small', priority: 'low' },
      cell: (info) => {
        const version = info.getValue() as string;
        const current = view.app.version;
        return version === current ? (
          <span title={version}>current</span>
        ) : (
          <span className="tone-text-warn">{version}</span>
        );
      },
    }),
    column.display({
      id: 'sandbox',
      header: () => <span className="visually-hidden">Sandbox</span>,
      cell: ({ row }) => {
        const { mesos, id } = row.original;
        if (!mesos)
          return (
            <span className="muted" title="Not in the cluster's state">
              Sandbox
            </span>
          );
        return (
          <Link to={paths.taskSandbox.build(mesos.agentId, mesos.frameworkId, mesos.executorId, id)}>
            Sandbox
          </Link>
        );
      },
    }),
  ];
}

function Summary({ view }: { view: MarathonAppView }) {
  const { app } = view;
  return (
    <section className="panel" aria-label="App" data-testid="marathon-app-summary">
      <dl className="info-list">
        <dt>ID</dt>
        <dd className="mono break">
          <ClusterText text={app.id} /> <CopyButton value={app.id} />
        </dd>
        <dt>Status</dt>
        <dd>
          <MarathonStatusBadge status={app.status} />
          {app.delaySeconds !== null && (
            <span className="muted small"> launch delayed {Math.ceil(app.delaySeconds)} s more</span>
          )}
        </dd>
        <dt>Instances</dt>
        <dd>
          <InstancesText instances={app.instances} />
        </dd>
        <dt>CPUs</dt>
        <dd>{formatResource('cpus', app.cpus)}</dd>
        <dt>Mem</dt>
        <dd>{formatResource('mem', app.mem)}</dd>
        <dt>Disk</dt>
        <dd>{formatResource('disk', app.disk)}</dd>
        <dt>Constraints</dt>
        <dd className="mono small break">{app.constraints.length > 0 ? app.constraints.join(', ') : '-'}</dd>
        {app.image && (
          <>
            <dt>Image</dt>
            <dd className="mono small break">
              <ClusterText text={app.image} />
            </dd>
          </>
        )}
        <dt>Command</dt>
        <dd className="mono small break clamp">{app.cmd ? <ClusterText text={app.cmd} max={400} /> : '-'}</dd>
        <dt>Version</dt>
        <dd className="mono small">{app.version ?? '-'}</dd>
        <dt>Scaled</dt>
        <dd>
          <RelativeTime ms={isoMs(view.versionInfo.lastScalingAt)} />
        </dd>
        <dt>Changed</dt>
        <dd>
          <RelativeTime ms={isoMs(view.versionInfo.lastConfigChangeAt)} />
        </dd>
        {view.frameworkId && (
          <>
            <dt>Framework</dt>
            <dd className="break">
              <Link
                className="mono small"
                to={paths.framework.build(view.frameworkId)}
                title={view.frameworkId}
              >
                {truncateMesosId(view.frameworkId)}
              </Link>
            </dd>
          </>
        )}
        {view.frameworkId && view.mesosTaskName && (
          <>
            <dt>Logs</dt>
            <dd>
              <span className="muted small">all instances: </span>
              <span className="link-list">
                <Link
                  to={paths.appLogs.build(view.frameworkId, view.mesosTaskName, 'stdout')}
                  aria-label="stdout of all instances"
                >
                  stdout
                </Link>
                <Link
                  to={paths.appLogs.build(view.frameworkId, view.mesosTaskName, 'stderr')}
                  aria-label="stderr of all instances"
                >
                  stderr
                </Link>
              </span>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** The app's versions, newest first, the one its tasks should run marked. */
function Versions({
  marathon,
  appId,
  current,
}: {
  marathon: string | null;
  appId: string;
  current: string | null;
}) {
  const query = useMarathonVersions(marathon, appId);
  const versions = query.data?.versions;
  return (
    <Section
      title="Versions"
      testId="marathon-app-versions"
      empty={
        query.error ? 'Marathon did not list them.' : versions?.length === 0 ? 'None listed.' : undefined
      }
    >
      <ol className="plain-list small">
        {(versions ?? []).slice(0, 10).map((version) => (
          <li key={version} className="mono">
            {version} {version === current && <span className="badge tone-ok">current</span>}
          </li>
        ))}
      </ol>
      {(versions?.length ?? 0) > 10 && (
        <p className="muted small">{formatCount(versions!.length - 10)} older versions</p>
      )}
    </Section>
  );
}

/** One Marathon app: its summary, tasks with health and sandboxes, checks, last failure, deployments and JSON. */
export function MarathonAppDetail({ marathon, appId }: { marathon: string | null; appId: string }) {
  const query = useMarathonApp(marathon, appId);
  const view = query.data;
  const title = (
    <h1 className="page-title clamp">
      App <span className="mono break">{appId}</span>
    </h1>
  );
  if (!view) {
    return (
      <>
        <MarathonNav marathon={marathon} />
        {title}
        <QueryFallback
          error={query.error}
          loadingLabel="Loading the app…"
          notFound={{
            title: `No app ${appId} in Marathon`,
            backTo: paths.marathonApps.build(marathon),
            backLabel: 'All apps',
          }}
          onRetry={() => void query.refetch()}
        />
      </>
    );
  }
  const failure = view.lastTaskFailure;
  return (
    <>
      <MarathonNav marathon={marathon} />
      {title}
      <MarathonFreshnessNotice marathon={view.marathon} />
      {view.queue && (
        <p className="notice" role="status" data-testid="marathon-app-queue">
          {view.queue.delaySeconds !== null
            ? `${view.queue.count} instances wait ${Math.ceil(view.queue.delaySeconds)} s more to launch (backoff after failures).`
            : `${view.queue.count} instances wait for offers that fit (resources, ports, constraints).`}
        </p>
      )}
      <div className="two-column">
        <aside className="side-column" aria-label="App summary">
          <Summary view={view} />
          <Section
            title="Health checks"
            testId="marathon-app-checks"
            empty={view.healthChecks.length === 0 ? 'None defined.' : undefined}
          >
            <ul className="plain-list">
              {view.healthChecks.map((check, index) => (
                <li key={index}>
                  <span className="badge tone-neutral">{check.protocol}</span>{' '}
                  <span className="mono small">{check.target}</span>
                  <span className="muted small">
                    {check.interval !== null ? ` every ${check.interval} s` : ''}
                    {check.grace !== null ? `, grace ${check.grace} s` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </Section>
          <Versions marathon={marathon} appId={appId} current={view.app.version} />
          <Section
            title="Last task failure"
            testId="marathon-app-failure"
            empty={failure ? undefined : 'None.'}
          >
            {failure && (
              <dl className="info-list">
                <dt>State</dt>
                <dd>
                  <TaskStateBadge state={failure.state} />
                </dd>
                <dt>Message</dt>
                <dd className="break">
                  <ClusterText text={failure.message || '-'} />
                </dd>
                <dt>Task</dt>
                <dd className="mono small break">{failure.taskId}</dd>
                <dt>Host</dt>
                <dd className="break">{failure.host}</dd>
                <dt>When</dt>
                <dd>
                  <RelativeTime ms={isoMs(failure.timestamp)} />
                </dd>
              </dl>
            )}
          </Section>
        </aside>
        <div className="main-column">
          <UrlDataTable
            prefix="instances"
            title="Tasks"
            columns={taskColumns(view)}
            rows={view.tasks}
            getRowId={(task) => task.id}
            emptyMessage="No tasks."
            defaults={{ sort: 'id', order: 'asc' }}
          />
          <Section
            title="Deployment"
            testId="marathon-app-deployments"
            empty={view.deployments.length === 0 ? 'None under way.' : undefined}
          >
            {view.deployments.map((deployment) => (
              <div key={deployment.id}>
                <p className="mono small">
                  {deployment.id} <span className="muted">started</span>{' '}
                  <RelativeTime ms={isoMs(deployment.version)} />
                </p>
                <DeploymentSteps deployment={deployment} />
              </div>
            ))}
          </Section>
          <Section title="Definition" testId="marathon-app-json">
            <pre className="json-block">{escapeBidiInJson(JSON.stringify(view.definition, null, 2))}</pre>
          </Section>
        </div>
      </div>
    </>
  );
}
