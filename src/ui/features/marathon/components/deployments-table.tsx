import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { MarathonDeploymentView } from '../../../../bff/schemas/marathon';
import { ClusterText } from '../../../components/cluster-text/cluster-text';
import type { DataColumn } from '../../../components/data-table/data-table';
import { UrlDataTable } from '../../../components/data-table/url-data-table';
import { RelativeTime } from '../../../components/time/relative-time';
import { paths } from '../../../config/paths';
import { useMarathonDeployments } from '../api/get-marathon';
import { isoMs, MarathonFreshnessNotice } from './marathon-parts';

/** A deployment's steps in order, the current one marked, each action with the app it acts on. */
export function DeploymentSteps({
  deployment,
  marathon = null,
}: {
  deployment: MarathonDeploymentView;
  marathon?: string | null;
}) {
  return (
    <ol className="deployment-steps">
      {deployment.steps.map((actions, index) => {
        const step = index + 1;
        const state =
          step < deployment.currentStep ? 'done' : step === deployment.currentStep ? 'current' : 'next';
        return (
          <li
            key={index}
            className={`deployment-step step-${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="muted small">
              {state === 'current' ? 'now' : state === 'done' ? 'done' : 'next'}
            </span>{' '}
            {actions.map((action, at) => (
              <span key={at} className="deployment-action">
                {action.action}{' '}
                {deployment.affectedApps.includes(action.target) ? (
                  <Link className="mono" to={paths.marathonApp.build(action.target, marathon)}>
                    {action.target}
                  </Link>
                ) : (
                  <span className="mono">{action.target}</span>
                )}
              </span>
            ))}
          </li>
        );
      })}
    </ol>
  );
}

function columns(marathon: string | null): DataColumn<MarathonDeploymentView>[] {
  const column = createColumnHelper<MarathonDeploymentView>();
  return [
    column.accessor('id', {
      id: 'id',
      header: 'Deployment',
      meta: { className: 'cell-truncate mono small' },
      cell: (info) => <span title={info.getValue()}>{info.getValue().slice(0, 8)}</span>,
    }),
    column.accessor((row) => row.affectedApps.join(', '), {
      id: 'apps',
      header: 'Apps',
      meta: { className: 'cell-truncate' },
      cell: ({ row }) => (
        <span className="link-list">
          {row.original.affectedApps.map((app) => (
            <Link key={app} className="mono" to={paths.marathonApp.build(app, marathon)}>
              <ClusterText text={app} max={120} />
            </Link>
          ))}
        </span>
      ),
    }),
    column.accessor((row) => row.currentStep, {
      id: 'step',
      header: 'Step',
      meta: { numeric: true },
      cell: ({ row }) => `${row.original.currentStep} of ${row.original.totalSteps}`,
    }),
    column.display({
      id: 'actions',
      header: 'Current actions',
      cell: ({ row }) => (
        <span className="link-list">
          {row.original.currentActions.map((action, index) => {
            const waiting = action.readiness.filter((result) => !result.ready).length;
            return (
              <span key={index}>
                {action.action} <span className="mono">{action.target}</span>
                {waiting > 0 && <span className="tone-text-warn small"> {waiting} not ready</span>}
              </span>
            );
          })}
        </span>
      ),
    }),
    column.display({
      id: 'steps',
      header: 'Steps',
      cell: ({ row }) => <DeploymentSteps deployment={row.original} marathon={marathon} />,
    }),
    column.accessor((row) => isoMs(row.version), {
      id: 'age',
      header: 'Started',
      meta: { firstOrder: 'desc' },
      cell: (info) => <RelativeTime ms={info.getValue() as number | null} />,
    }),
  ];
}

/** Marathon's deployments under way: what they change, their steps and what they are doing now. */
export function MarathonDeploymentsTable({ marathon }: { marathon: string | null }) {
  const query = useMarathonDeployments(marathon);
  return (
    <>
      <MarathonFreshnessNotice marathon={query.data?.marathon} />
      <UrlDataTable
        prefix="deployments"
        title="Deployments"
        columns={columns(marathon)}
        rows={query.data?.deployments}
        getRowId={(row) => row.id}
        emptyMessage="No deployments under way."
        defaults={{ sort: 'age', order: 'desc' }}
        error={query.error}
      />
    </>
  );
}
