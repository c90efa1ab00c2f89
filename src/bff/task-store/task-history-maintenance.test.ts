import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ClusterPoller } from '../reading/cluster-poller';
import { MEASURE_MS, TaskHistory } from './task-history';
import type { StoreStats, TaskStore } from './types';

/** A store that counts what maintenance asks of it. */
function countingStore() {
  const calls = { prune: 0, stats: 0 };
  const store = {
    kind: 'sqlite',
    location: 'memory',
    prune: async () => {
      calls.prune += 1;
      return 0;
    },
    stats: async (): Promise<StoreStats> => {
      calls.stats += 1;
      return { tasks: calls.stats, statuses: 0, bytes: 0, oldest: null };
    },
    close: async () => undefined,
  } as unknown as TaskStore;
  return { store, calls };
}

describe('the task history’s maintenance', () => {
  it('prunes every round but measures the store only once per measuring interval', async () => {
    const { store, calls } = countingStore();
    let now = 1_000_000;
    const poller = Object.assign(new EventEmitter(), { snapshot: null, status: { loading: null } });
    const history = new TaskHistory({
      poller: poller as unknown as ClusterPoller,
      mode: 'local',
      masters: [],
      dataDir: null,
      where: 'sqlite',
      retentionMs: 86_400_000,
      maxBytes: null,
      maintenanceMs: 3_600_000,
      openStore: async () => store,
      now: () => now,
    });
    await history.start();
    await history.maintain();
    expect(calls).toEqual({ prune: 2, stats: 1 });
    expect(history.stats?.tasks).toBe(1);
    now += MEASURE_MS - 1;
    await history.maintain();
    expect(calls).toEqual({ prune: 3, stats: 1 });
    now += 1;
    await history.maintain();
    expect(calls).toEqual({ prune: 4, stats: 2 });
    expect(history.stats?.tasks).toBe(2);
    await history.close();
  });
});
