import type { FastifyInstance } from 'fastify';
import type { ClusterPoller } from '../model/cluster-poller';
import { ClusterHistory, historyKey, MIN_SAMPLE_SPACING_MS } from './cluster-history';
import { sampleFromSnapshot } from './history-sample';
import { registerHistoryRoutes } from './history-routes';

export { ClusterHistory, HISTORY_CAPACITY, historyKey, MIN_SAMPLE_SPACING_MS } from './cluster-history';
export type { HistorySample } from './history-sample';

export interface HistoryDeps {
  poller: ClusterPoller;
  /** Where the history file lives; null keeps history in memory only. */
  dataDir: string | null;
  mode: 'local' | 'remote';
  masters: readonly string[];
  warn?: (message: string) => void;
}

/**
 * Opens the history, records a sample on every snapshot the poller emits, serves /api/history, and closes
 * the file with the app. Following the master's event stream, the poller publishes a snapshot only when
 * something changed; so while it is connected, the latest snapshot is also sampled every few seconds,
 * stamped with the time it was last confirmed current: a quiet cluster is not a gap in the charts.
 */
export async function registerHistory(app: FastifyInstance, deps: HistoryDeps): Promise<ClusterHistory> {
  const history = await ClusterHistory.open({
    dataDir: deps.dataDir,
    key: historyKey(deps.mode, deps.masters),
    warn: deps.warn,
  });
  const onSnapshot = (snapshot: Parameters<typeof sampleFromSnapshot>[0]) => {
    history.record(sampleFromSnapshot(snapshot));
  };
  deps.poller.on('snapshot', onSnapshot);
  // A snapshot taken before the app was built is not lost.
  if (deps.poller.snapshot) onSnapshot(deps.poller.snapshot);
  const quietTick = setInterval(() => {
    const { snapshot, status } = deps.poller;
    if (!snapshot || !status.connected || status.lastSuccessAt === null) return;
    history.record({
      ...sampleFromSnapshot(snapshot),
      t: Math.max(snapshot.fetchedAt, status.lastSuccessAt),
    });
  }, MIN_SAMPLE_SPACING_MS);
  quietTick.unref();
  app.addHook('onClose', async () => {
    clearInterval(quietTick);
    deps.poller.off('snapshot', onSnapshot);
    await history.close();
  });
  registerHistoryRoutes(app, history);
  return history;
}
