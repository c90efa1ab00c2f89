import type { FastifyInstance } from 'fastify';
import type { ClusterPoller } from '../reading/cluster-poller';
import { ClusterHistory, MIN_SAMPLE_SPACING_MS } from './cluster-history';
import { lastRemoteClusterKey, localClusterKey, remoteClusterKey } from './cluster-identity';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { sampleFromSnapshot } from './history-sample';
import type { HistorySample } from './history-sample';
import { registerHistoryRoutes } from './history-routes';

export { ClusterHistory, HISTORY_CAPACITY, MIN_SAMPLE_SPACING_MS } from './cluster-history';
export { remoteClusterKey } from './cluster-identity';
export type { HistorySample } from './history-sample';

interface HistoryDeps {
  poller: ClusterPoller;
  /** Where the history file lives; null keeps history in memory only. */
  dataDir: string | null;
  mode: 'local' | 'remote';
  masters: readonly string[];
  /** What the embedded cluster is (scenario and size), which names its history; not used for a real cluster. */
  localIdentity?: string;
  warn?: (message: string) => void;
}

/**
 * Opens the history, records a sample on every snapshot the poller emits, serves /api/history, and closes
 * the file with the app. Following the master's event stream, the poller publishes a snapshot only when
 * something changed; so while it is connected, the latest snapshot is also sampled every few seconds,
 * stamped with the time it was last confirmed current: a quiet cluster is not a gap in the charts.
 */
export async function registerHistory(app: FastifyInstance, deps: HistoryDeps): Promise<ClusterHistory> {
  const localKey = deps.mode === 'local' ? localClusterKey(deps.localIdentity ?? 'cluster') : null;
  const history = await ClusterHistory.open({
    dataDir: deps.dataDir,
    key: localKey ?? lastRemoteClusterKey(deps.dataDir, deps.masters),
    warn: deps.warn,
  });
  // While the history changes cluster, samples wait: one taken of the new cluster must not land in the old one.
  let switching: Promise<void> | null = null;
  const record = (snapshot: ClusterSnapshot, t: number) => {
    const key = localKey ?? remoteClusterKey(deps.masters, snapshot.state.cluster, history.clusterKey);
    if (key !== history.clusterKey && !switching) {
      if (history.clusterKey !== null) {
        deps.warn?.(
          `history: the cluster is now ${key}, no longer ${history.clusterKey}: its history starts apart`,
        );
      }
      switching = history.switchCluster(key).finally(() => {
        switching = null;
      });
    }
    // A sample is a walk of every agent and framework (10,000 and 1,000 at the biggest scale), and snapshots
    // come more often than samples are kept: one that would be dropped is not taken.
    if (!switching && !history.keeps(t)) return;
    const sample: HistorySample = { ...sampleFromSnapshot(snapshot), t };
    if (switching) void switching.then(() => history.record(sample));
    else history.record(sample);
  };
  const onSnapshot = (snapshot: ClusterSnapshot) => record(snapshot, snapshot.fetchedAt);
  deps.poller.on('snapshot', onSnapshot);
  // A snapshot taken before the app was built is not lost.
  if (deps.poller.snapshot) onSnapshot(deps.poller.snapshot);
  const quietTick = setInterval(() => {
    const { snapshot, status } = deps.poller;
    if (!snapshot || !status.connected || status.lastSuccessAt === null) return;
    record(snapshot, Math.max(snapshot.fetchedAt, status.lastSuccessAt));
  }, MIN_SAMPLE_SPACING_MS);
  quietTick.unref();
  app.addHook('onClose', async () => {
    clearInterval(quietTick);
    deps.poller.off('snapshot', onSnapshot);
    await switching;
    await history.close();
  });
  registerHistoryRoutes(app, history, () => switching);
  return history;
}
