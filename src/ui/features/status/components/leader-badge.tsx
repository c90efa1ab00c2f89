/** The leading master in the header: the one the data on the page comes from. */
export function LeaderBadge({ leader }: { leader: { hostname: string; port: number } | null }) {
  if (!leader) return null;
  return (
    <span className="cluster-badge-leader mono" title="Leading master" data-testid="leader-badge">
      <span className="cluster-badge-label">leader</span> {leader.hostname}:{leader.port}
    </span>
  );
}
