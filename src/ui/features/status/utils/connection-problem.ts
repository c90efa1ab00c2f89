import type { StatusView } from '../../../../bff/schemas/views';

/** What the connection banner says, if anything. */
export type ConnectionProblem =
  | {
      kind: 'server-unreachable';
      /** When the data on screen was last fetched (ms), or null when nothing was ever fetched. */
      dataFrom: number | null;
    }
  | {
      /** The server answers but cannot read the cluster (`unauthorized`: Mesos refused its credentials). */
      kind: 'master-unreachable' | 'unauthorized';
      lastError: string;
      /** When the mesoscope server last fetched cluster data successfully (ms), or null if never. */
      lastSuccessAt: number | null;
    };

/** What the banner reads of the status. */
export type ConnectionFields = Pick<
  StatusView,
  'connected' | 'lastErrorKind' | 'lastError' | 'lastSuccessAt'
>;

interface StatusQueryState {
  data: ConnectionFields | undefined;
  /** True when the latest attempt to fetch `/api/status` failed. */
  isError: boolean;
  /** When `/api/status` last answered (ms), 0 if never. */
  dataUpdatedAt: number;
}

/**
 * Decides the connection banner from the `/api/status` query: the mesoscope server itself cannot be
 * reached (the query fails), or it answers but cannot read the cluster (`connected: false`), in particular
 * because Mesos refuses its credentials.
 */
export function connectionProblem(query: StatusQueryState): ConnectionProblem | null {
  if (query.isError) {
    return { kind: 'server-unreachable', dataFrom: query.dataUpdatedAt > 0 ? query.dataUpdatedAt : null };
  }
  const status = query.data;
  if (!status || status.connected) return null;
  return {
    kind: status.lastErrorKind === 'unauthorized' ? 'unauthorized' : 'master-unreachable',
    lastError: status.lastError ?? 'no response',
    lastSuccessAt: status.lastSuccessAt,
  };
}

/** How long after a leader change the page keeps saying so. */
const LEADER_NOTICE_MS = 10 * 60_000;

/** What of the status the notices under the header read (see `StatusNotices`). */
export type NoticesStatus = Pick<StatusView, 'leader' | 'leaderChangedAt' | 'previousLeader' | 'discovery'>;

/** The "Leader changed to X" notice, while the change is recent; null otherwise. */
export function leaderChange(
  status: NoticesStatus | undefined,
  now: number,
): { leader: string; previous: string | null; at: number } | null {
  const at = status?.leaderChangedAt;
  const leader = status?.leader;
  if (!at || !leader || now - at > LEADER_NOTICE_MS) return null;
  const previous = status.previousLeader;
  return {
    leader: `${leader.hostname}:${leader.port}`,
    previous: previous ? `${previous.hostname}:${previous.port}` : null,
    at,
  };
}
