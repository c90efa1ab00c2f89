import { MARATHON_APP_STATUSES } from '../../../../bff/schemas/marathon';
import type { MarathonAppStatus } from '../../../../bff/schemas/marathon';
import { CountTable } from '../../../components/counts/count-table';
import { paths } from '../../../config/paths';
import { useMarathonFrameworks } from '../../status/api/get-status';
import { useMarathonSummary } from '../api/get-marathon';

const TONES: Record<MarathonAppStatus, 'ok' | 'warn' | 'bad' | 'info' | undefined> = {
  Running: 'ok',
  Deploying: 'info',
  Suspended: undefined,
  Waiting: 'warn',
  Delayed: 'bad',
};

/** The Overview's count of each Marathon's apps by status, each count a link to those apps. */
export function OverviewMarathon() {
  const known = (useMarathonFrameworks()?.length ?? 0) > 0;
  const summary = useMarathonSummary(known);
  if (!known) return null;
  const marathons = summary.data?.marathons ?? [];
  const several = marathons.length > 1;
  return (
    <>
      {marathons.map(({ marathon, counts, apps }) => (
        <CountTable
          key={marathon.key}
          title={`Marathon apps${several ? ` (${marathon.key})` : ''}${marathon.connected ? '' : ' (stale)'}`}
          rows={[
            ...MARATHON_APP_STATUSES.map((value) => ({
              label: value,
              value: counts?.[value],
              testId: `marathon-${value.toLowerCase()}`,
              tone: TONES[value],
              to: paths.marathonApps.build(several ? marathon.key : null, `apps.status=${value}`),
            })),
            {
              label: 'All',
              value: counts ? apps : undefined,
              testId: 'marathon-all',
              to: paths.marathonApps.build(several ? marathon.key : null),
            },
          ]}
        />
      ))}
    </>
  );
}
