import { useQueryClient } from '@tanstack/react-query';
import type { QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { followSnapshots } from '../../../lib/polling';
import { useSnapshotVersion } from '../../status/api/get-status';

/**
 * Asks again for `queryKey` as soon as the status shows a new snapshot of the cluster: a task's change then
 * reaches the page one status poll after the server has it, where a timer of the page's own would add up to its
 * whole period; and a cluster that does not change is not asked about every few seconds.
 */
export function useRefetchOnNewSnapshot(queryKey: QueryKey): void {
  const client = useQueryClient();
  const version = useSnapshotVersion();
  const seen = useRef(version);
  const key = JSON.stringify(queryKey);
  // The status is then asked just after each of the server's reads, not on the beat.
  useEffect(() => followSnapshots(), []);
  useEffect(() => {
    if (version === undefined || version === null || version === seen.current) return;
    const first = seen.current === undefined || seen.current === null;
    seen.current = version;
    // The first version comes with the page's first answers.
    if (first) return;
    void client.refetchQueries({ queryKey: JSON.parse(key) as QueryKey, exact: true, type: 'active' });
  }, [client, version, key]);
}
