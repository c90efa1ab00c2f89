import type { LoadingView } from '../../../../bff/schemas/views';
import { formatBytes } from '../../../components/resources/format';
import { formatCount } from '../../../components/counts/format-count';

/** How far the snapshot has got, as a fraction (bytes say it exactly; the task estimate otherwise). */
function fractionRead(loading: LoadingView): number | null {
  if (loading.bytes) return loading.bytesRead / loading.bytes;
  if (loading.tasksExpected) return Math.min(1, loading.tasksRead / loading.tasksExpected);
  return null;
}

/**
 * Shown while mesoscope is still reading the first snapshot of a big cluster: agents and frameworks are there,
 * tasks are not yet, and every count of tasks is short until it is in.
 */
export function LoadingBanner({ loading }: { loading: LoadingView | null | undefined }) {
  if (!loading) return null;
  const fraction = fractionRead(loading);
  const tasks = formatCount(loading.tasksRead);
  const expected = loading.tasksExpected === null ? '' : ` of ~${formatCount(loading.tasksExpected)}`;
  const bytes =
    loading.bytes === null
      ? ' (the master is preparing its state)'
      : ` (${formatBytes(loading.bytesRead)} of ${formatBytes(loading.bytes)})`;
  return (
    <div className="loading-banner" role="status" data-testid="loading-banner">
      <span className="loading-pill">Loading</span>
      <span>
        Reading the cluster: {tasks}
        {expected} tasks{bytes}. Agents and frameworks are shown; tasks appear when the whole state is in.
      </span>
      {fraction !== null && (
        <progress max={1} value={fraction} aria-label="Cluster state read" className="loading-progress" />
      )}
    </div>
  );
}
