import type { ClusterSnapshot } from '../model/cluster-snapshot';
import type { MasterFlagsView } from '../schemas/views';

/**
 * The leading master's flags, from the state the BFF already holds (`/master/state` lists them under `flags`
 * in every Mesos version; `/master/flags` only exists since 0.25). Null when the master hides them from
 * mesoscope's principal (they need the VIEW_FLAGS permission).
 */
export function masterFlagsView(snapshot: ClusterSnapshot): MasterFlagsView {
  return { snapshotAt: snapshot.fetchedAt, flags: snapshot.state.flags ?? null };
}
