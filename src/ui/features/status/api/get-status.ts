import { queryOptions, useQuery } from '@tanstack/react-query';
import type { StatusView } from '../../../../bff/schemas/views';
import { apiGet } from '../../../lib/api-client';
import { POLL_IN_BACKGROUND, STATUS_POLL } from '../../../lib/polling';
import { queryKeys } from '../../../lib/query-keys';
import type { NoticesStatus } from '../utils/connection-problem';

export function getStatus({ signal }: { signal?: AbortSignal } = {}): Promise<StatusView> {
  return apiGet<StatusView>('/api/status', { signal });
}

export function getStatusQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.status(),
    queryFn: ({ signal }) => getStatus({ signal }),
    // On the beat with the views, or, while the Tasks page follows the snapshots, just after the server's next
    // publish (see STATUS_POLL).
    refetchInterval: STATUS_POLL,
    refetchIntervalInBackground: POLL_IN_BACKGROUND,
    // The banner must react to an outage at the next tick, not after a retry ladder.
    retry: false,
  });
}

export function useStatus() {
  return useQuery(getStatusQueryOptions());
}

const noticesOf = ({ leader, leaderChangedAt, previousLeader, discovery }: StatusView): NoticesStatus => ({
  leader,
  leaderChangedAt,
  previousLeader,
  discovery,
});

/**
 * The status as the notices under the header read it, polled for the whole page: its value keeps its identity while
 * those parts do not change, so a poll (new times every 2 s) does not render the notices again.
 */
export function usePolledStatusNotices() {
  return useQuery({ ...getStatusQueryOptions(), select: noticesOf }).data;
}

/**
 * A part of the status, for components that are many (a link in every task row): it keeps its value while the
 * part does not change, so a status poll (new times every 2 s) does not re-render them. They only read what
 * the shell's own status query polls: no timer each (a refetch interval and a stale timer per row were 75
 * timer tasks a second on the Overview).
 */
function useStatusPart<T>(select: (status: StatusView) => T) {
  return useQuery({ ...getStatusQueryOptions(), select, refetchInterval: false, staleTime: Infinity }).data;
}

/**
 * What the frame of every page reads of the status: the banners' inputs and which tabs to show. Its value keeps
 * its identity while none of them changes (the times of a connected cluster are left out), so the header and its
 * tabs are not rendered again at every status poll.
 */
function frameOf(status: StatusView) {
  return {
    connection: status.connected
      ? { connected: true, lastErrorKind: null, lastError: null, lastSuccessAt: null }
      : {
          connected: false,
          lastErrorKind: status.lastErrorKind,
          lastError: status.lastError,
          lastSuccessAt: status.lastSuccessAt,
        },
    loading: status.loading ?? null,
    marathons: (status.marathons?.length ?? 0) > 0,
    operations: status.operations?.enabled ?? false,
  };
}

/** The status as the frame of every page reads it (see `frameOf`); the status is polled by `useStatus`. */
export function useStatusFrame() {
  return useQuery({ ...getStatusQueryOptions(), select: frameOf, refetchInterval: false });
}

const leaderOf = (status: StatusView) => status.leader;

/** The leading master, as the status says. */
export function useStatusLeader() {
  return useStatusPart(leaderOf);
}

const marathonFrameworks = (status: StatusView) =>
  (status.marathons ?? []).map(({ key, frameworkId }) => ({ key, frameworkId }));

/** The known Marathons' keys and framework ids, for the many task rows that link to a Marathon app. */
export function useMarathonFrameworks() {
  return useStatusPart(marathonFrameworks);
}

const operationsOf = (status: StatusView) => status.operations;

export function useStatusOperations() {
  return useStatusPart(operationsOf);
}

const snapshotVersionOf = (status: StatusView) => status.snapshotVersion ?? null;

/** The version of the cluster snapshot the server's views are made from: it changes when the cluster does. */
export function useSnapshotVersion() {
  return useStatusPart(snapshotVersionOf);
}
