import type { StatusView } from '../../../../bff/schemas/views';

export type Freshness =
  | { state: 'live'; since: number }
  | { state: 'waiting'; reason: string }
  | { state: 'stale'; since: number | null; reason: string };

interface FreshnessInput {
  status: StatusView | undefined;
  /** True when the last request for /api/status failed: mesoscope itself is unreachable. */
  statusFailed: boolean;
  /** When the cluster data on screen was read from the master (ms), if any is on screen. */
  dataAt: number | null;
  now: number;
  refreshMs: number;
}

/**
 * Whether what the wall shows is current, and if not, since when it is not and why. "Current" is the later of
 * when the data on screen was read and when the server last confirmed it (following the master's event
 * stream, an unchanged cluster keeps its old snapshot, which is still current). Data older than three polls
 * (or refreshes) is stale even when nothing reports an error, so a stuck poll is visible too.
 */
export function wallFreshness({ status, statusFailed, dataAt, now, refreshMs }: FreshnessInput): Freshness {
  const confirmedAt = Math.max(dataAt ?? 0, status?.lastSuccessAt ?? 0);
  const since = confirmedAt > 0 ? confirmedAt : null;
  if (statusFailed) {
    return { state: 'stale', since, reason: 'mesoscope server unreachable' };
  }
  if (status && !status.connected && status.lastAttemptAt !== null) {
    return {
      state: 'stale',
      since,
      reason: `master unreachable${status.lastError ? `: ${status.lastError}` : ''}`,
    };
  }
  if (dataAt === null || since === null) {
    return { state: 'waiting', reason: 'waiting for the first data from the cluster' };
  }
  const tolerance = 3 * Math.max(status?.pollIntervalMs ?? 0, refreshMs) + 5_000;
  if (now - since > tolerance) return { state: 'stale', since, reason: 'no fresh data' };
  return { state: 'live', since };
}
