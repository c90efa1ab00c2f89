import { NavLink, Outlet, useLocation } from 'react-router';
import { paths } from '../../config/paths';
import { useQuery } from '@tanstack/react-query';
import type { OverviewView } from '../../../bff/schemas/views';
import { getOverviewQueryOptions } from '../../features/overview/api/get-overview';
import { ClusterName } from '../../features/overview/components/cluster-info';
import {
  usePolledStatusNotices,
  useStatusFrame,
  useStatusLeader,
} from '../../features/status/api/get-status';
import { ConnectionBanner } from '../../features/status/components/connection-banner';
import { LeaderBadge } from '../../features/status/components/leader-badge';
import { LoadingBanner } from '../../features/status/components/loading-banner';
import { StatusNotices } from '../../features/status/components/status-notices';
import { connectionProblem } from '../../features/status/utils/connection-problem';
import { useKiosk } from '../../features/wall/hooks/use-kiosk';
import { KnownMarathonsProvider } from '../marathon/task-app-link';
import { HeaderTools } from './header-tools';

const TABS = [
  { to: paths.overview.build(), label: 'Overview', end: true },
  { to: paths.frameworks.build(), label: 'Frameworks', end: false },
  { to: paths.agents.build(), label: 'Agents', end: false },
  { to: paths.roles.build(), label: 'Roles', end: false },
  { to: paths.offers.build(), label: 'Offers', end: false },
  { to: paths.maintenance.build(), label: 'Maintenance', end: false },
  { to: paths.tasks.build(), label: 'Tasks', end: false },
  { to: paths.failures.build(), label: 'Failures', end: false },
  { to: paths.metrics.build(), label: 'Metrics', end: false },
  { to: paths.flags.build(), label: 'Flags', end: false },
];
/** Shown only when mesoscope knows a Marathon. */
const MARATHON_TAB = { to: paths.marathonApps.build(), label: 'Marathon', end: false };
/** Shown only when the server allows operations. */
const AUDIT_TAB = { to: paths.audit.build(), label: 'Audit', end: false };

const badgeOf = (overview: OverviewView) => ({
  cluster: overview.master.cluster,
  leader: overview.master.leader,
});

function ClusterBadge() {
  // Only the name and the leader: a poll that changes counts does not render the badge again.
  const master = useQuery({ ...getOverviewQueryOptions(), select: badgeOf }).data;
  const leader = useStatusLeader() ?? master?.leader ?? null;
  return (
    <div className="cluster-badge" aria-label="Cluster">
      <span className="cluster-badge-name">{master ? <ClusterName cluster={master.cluster} /> : '…'}</span>
      <LeaderBadge leader={leader} />
    </div>
  );
}

/** The status notices, from the status that this polls for the whole page. */
function PolledStatusNotices() {
  return <StatusNotices status={usePolledStatusNotices()} />;
}

/** The frame of every page: header with the brand, tabs and cluster, the connection banner, and the page. */
export function AppShell({
  onTabIntent,
}: {
  /** The pointer rests on a tab, or it has focus: its page may start loading. */
  onTabIntent?: (to: string) => void;
}) {
  const status = useStatusFrame();
  const problem = connectionProblem({
    data: status.data?.connection,
    isError: status.isError,
    // Read only when the status fails: reading it always would render the frame again at every poll.
    get dataUpdatedAt() {
      return status.dataUpdatedAt;
    },
  });
  const location = useLocation();
  // ?kiosk: no navigation chrome, for screens nobody touches (see docs/wall.md).
  const kiosk = useKiosk();
  const agentsActive = location.pathname.startsWith('/agents');
  const marathonActive = location.pathname.startsWith('/marathon/');
  const tabs = [
    ...TABS.slice(0, 7),
    ...(status.data?.marathons ? [MARATHON_TAB] : []),
    ...TABS.slice(7),
    ...(status.data?.operations ? [AUDIT_TAB] : []),
  ];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header" style={kiosk ? { display: 'none' } : undefined}>
        <NavLink to={paths.overview.build()} className="brand" aria-label="mesoscope home">
          <img src="/favicon.svg" alt="" width="20" height="20" />
          <span>mesoscope</span>
        </NavLink>
        <nav className="tabs" aria-label="Main">
          {tabs.map((tab) => (
            <NavLink
              key={tab.to}
              to={tab.to}
              end={tab.end}
              onMouseEnter={() => onTabIntent?.(tab.to)}
              onFocus={() => onTabIntent?.(tab.to)}
              className={({ isActive }) =>
                isActive ||
                (tab.to === paths.agents.build() && agentsActive) ||
                (tab === MARATHON_TAB && marathonActive)
                  ? 'tab tab-active'
                  : 'tab'
              }
            >
              {tab.label}
            </NavLink>
          ))}
        </nav>
        <HeaderTools />
        <ClusterBadge />
      </header>
      <ConnectionBanner problem={problem} />
      {!problem && <LoadingBanner loading={status.data?.loading} />}
      <PolledStatusNotices />
      <main id="main" className={problem ? 'app-main is-stale' : 'app-main'} tabIndex={-1}>
        <KnownMarathonsProvider>
          <Outlet />
        </KnownMarathonsProvider>
      </main>
    </div>
  );
}
