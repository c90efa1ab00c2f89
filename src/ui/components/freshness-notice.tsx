import { RelativeTime } from './time/relative-time';

/**
 * Says that what is on the page is the last good data from an agent or master that has stopped answering,
 * and why. Renders nothing while reads succeed.
 */
export function FreshnessNotice({
  freshness,
  source,
}: {
  freshness: { fetchedAt: number; problem: string | null } | undefined;
  source: string;
}) {
  if (!freshness?.problem) return null;
  return (
    <p className="notice" role="status">
      <span className="stale-pill">Stale</span> Could not refresh from {source}: {freshness.problem}. Showing
      what it said <RelativeTime ms={freshness.fetchedAt} />.
    </p>
  );
}
