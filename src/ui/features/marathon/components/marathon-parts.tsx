import { NavLink, useSearchParams } from 'react-router';
import type {
  MarathonAppStatus,
  MarathonFreshness,
  MarathonInstances,
} from '../../../../bff/schemas/marathon';
import { FreshnessNotice } from '../../../components/freshness-notice';
import { paths } from '../../../config/paths';
import { useStatus } from '../../status/api/get-status';
import { formatCount } from '../../../components/counts/format-count';

const STATUS_TONE: Record<MarathonAppStatus, string> = {
  Running: 'ok',
  Deploying: 'info',
  Suspended: 'neutral',
  Waiting: 'warn',
  Delayed: 'bad',
};

export function MarathonStatusBadge({ status }: { status: MarathonAppStatus }) {
  return <span className={`badge tone-${STATUS_TONE[status]}`}>{status}</span>;
}

/** `3/3` running of wanted, with the healthy, unhealthy and staged counts when there are any. */
export function InstancesText({ instances }: { instances: MarathonInstances }) {
  const { running, wanted, healthy, unhealthy, staged } = instances;
  const short = running < wanted ? 'tone-text-warn' : undefined;
  return (
    <span className="instances">
      <span className={short} title={`${running} running of ${wanted} wanted`}>
        {formatCount(running)}/{formatCount(wanted)}
      </span>
      {healthy > 0 && <span className="tone-text-ok small"> {healthy} healthy</span>}
      {unhealthy > 0 && <span className="tone-text-bad small"> {unhealthy} unhealthy</span>}
      {staged > 0 && <span className="tone-text-info small"> {staged} staged</span>}
    </span>
  );
}

/** Says the Marathon data shown is the last good one, and why, when Marathon stopped answering. */
export function MarathonFreshnessNotice({ marathon }: { marathon: MarathonFreshness | undefined }) {
  if (!marathon) return null;
  return (
    <FreshnessNotice
      source={`Marathon at ${marathon.url}`}
      freshness={{
        fetchedAt: marathon.fetchedAt ?? 0,
        problem: marathon.connected ? null : (marathon.lastError ?? 'no answer'),
      }}
    />
  );
}

/** The `?marathon=` of the page: which Marathon (null: the first one known). */
export function useMarathonKey(): string | null {
  const [params] = useSearchParams();
  return params.get('marathon');
}

/** The Marathon pages' own tabs (Apps, Deployments), and a choice of Marathon when mesoscope knows several. */
export function MarathonNav({ marathon }: { marathon: string | null }) {
  const status = useStatus();
  const known = status.data?.marathons ?? [];
  const [params, setParams] = useSearchParams();
  return (
    <nav className="marathon-nav" aria-label="Marathon">
      <NavLink
        to={paths.marathonApps.build(marathon)}
        className={({ isActive }) => (isActive ? 'subnav-link subnav-active' : 'subnav-link')}
        end
      >
        Apps
      </NavLink>
      <NavLink
        to={paths.marathonDeployments.build(marathon)}
        className={({ isActive }) => (isActive ? 'subnav-link subnav-active' : 'subnav-link')}
      >
        Deployments
      </NavLink>
      {known.length > 1 && (
        <label className="marathon-picker">
          Marathon{' '}
          <select
            value={marathon ?? known[0]?.key ?? ''}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              next.set('marathon', event.target.value);
              setParams(next);
            }}
          >
            {known.map((candidate) => (
              <option key={candidate.key} value={candidate.key}>
                {candidate.name ?? 'marathon'} ({candidate.key})
              </option>
            ))}
          </select>
        </label>
      )}
    </nav>
  );
}

/** Marathon writes times as ISO 8601; absent or unparsable is null. */
export function isoMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}
