import type { HistoryView } from '../../../../bff/schemas/wall';
import type { ResourceKind } from '../../../components/resources/format';

export const RESOURCE_LABELS: Record<ResourceKind, string> = {
  cpus: 'CPU',
  mem: 'Memory',
  disk: 'Disk',
  gpus: 'GPU',
};

/** Failures in the window, from the per-minute rates. */
export function failuresInWindow(history: HistoryView): number {
  const minutes = history.failureStepMs / 60_000;
  return Math.round(history.failures.reduce((sum, bar) => sum + (bar.perMinute ?? 0) * minutes, 0));
}
