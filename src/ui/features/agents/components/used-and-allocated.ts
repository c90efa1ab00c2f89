import type { UsedResources } from '../../../../bff/schemas/detail-views';
import type { Resources } from '../../../../bff/schemas/views';
import type { ResourceSeries } from '../../../components/resources/resource-matrix';

/** The Used and Allocated columns of a resource matrix; the monitor reports no GPU usage. */
export function usedAndAllocated(resources: { used: UsedResources; allocated: Resources }): ResourceSeries[] {
  return [
    { label: 'Used', values: { ...resources.used, gpus: null }, missingAs: { gpus: 'N/A' } },
    { label: 'Allocated', values: resources.allocated },
  ];
}
