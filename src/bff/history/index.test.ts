import { EventEmitter } from 'node:events';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseMasterState } from '../../mesos';
import { rawFixture } from '../../mesos/test-fixtures';
import type { ClusterPoller } from '../reading/cluster-poller';
import { buildSnapshot } from '../model/cluster-snapshot';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { registerHistory } from '.';
import { MIN_SAMPLE_SPACING_MS } from './cluster-history';

/** The part of the poller the history uses: 'snapshot' events, the latest snapshot and the connection status. */
class FakePoller extends EventEmitter {
  snapshot: ClusterSnapshot | null = null;
  status = { connected: false, lastSuccessAt: null as number | null };
}

const snapshotAt = (fetchedAt: number) =>
  buildSnapshot({
    version: 1,
    fetchedAt,
    leaderUrl: 'http://10.66.1.158:5050',
    state: parseMasterState(rawFixture('v0.27.1-capgemini/master-state.json')),
    metrics: null,
  });

describe('registerHistory', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2025, 0, 6, 12) }));
  afterEach(() => vi.useRealTimers());

  it('records every published snapshot, and a quiet one too while the poller confirms it is current', async () => {
    const poller = new FakePoller();
    const app = Fastify();
    const history = await registerHistory(app, {
      poller: poller as unknown as ClusterPoller,
      dataDir: null,
      mode: 'local',
      masters: [],
    });
    const start = Date.now();
    poller.snapshot = snapshotAt(start);
    poller.status = { connected: true, lastSuccessAt: start };
    poller.emit('snapshot', poller.snapshot);
    expect(history.size).toBe(1);

    // Nothing changes in the cluster, so no new snapshot; the stream keeps confirming it.
    for (let i = 1; i <= 6; i += 1) {
      poller.status.lastSuccessAt = start + i * MIN_SAMPLE_SPACING_MS;
      await vi.advanceTimersByTimeAsync(MIN_SAMPLE_SPACING_MS);
    }
    expect(history.size).toBeGreaterThanOrEqual(6);
    expect(history.latest()?.t).toBe(start + 6 * MIN_SAMPLE_SPACING_MS);

    // Disconnected: no more samples, so the charts show the gap.
    poller.status.connected = false;
    const before = history.size;
    await vi.advanceTimersByTimeAsync(5 * MIN_SAMPLE_SPACING_MS);
    expect(history.size).toBe(before);
    await app.close();
  });
});
