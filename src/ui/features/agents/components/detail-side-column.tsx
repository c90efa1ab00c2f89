import type { ReactNode } from 'react';
import type { Freshness, UsedResources } from '../../../../bff/schemas/detail-views';
import type { Resources } from '../../../../bff/schemas/views';
import { FreshnessNotice } from '../../../components/freshness-notice';
import { ResourceMatrix } from '../../../components/resources/resource-matrix';
import { usedAndAllocated } from './used-and-allocated';

/**
 * The side column of the framework-on-agent and executor pages: whether the agent still answers, whether the
 * thing has ended (`endedNotice`, null while it runs), its summary and its resources.
 */
export function DetailSideColumn({
  label,
  view,
  endedNotice,
  resourcesTestId,
  children,
}: {
  label: string;
  view: Freshness & { resources: { used: UsedResources; allocated: Resources } };
  endedNotice: string | null;
  resourcesTestId: string;
  children: ReactNode;
}) {
  return (
    <aside className="side-column" aria-label={label}>
      <FreshnessNotice freshness={view} source="the agent" />
      {endedNotice && (
        <p className="notice" role="status">
          {endedNotice}
        </p>
      )}
      {children}
      <ResourceMatrix title="Resources" testId={resourcesTestId} series={usedAndAllocated(view.resources)} />
    </aside>
  );
}
