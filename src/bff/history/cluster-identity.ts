import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fnv1a, hex32 } from '../../mesos/hash';

/**
 * Which cluster a history belongs to, as the key that names its file (`history-<key>.bin`).
 *
 * Mesos gives a cluster no id: `MasterInfo.id` is a UUID each master process draws when it starts, so a
 * master restart or a leader change (another master, another id) would look like a new cluster, and agent
 * and framework ids embed the id of whichever master registered them. What does survive a leader change
 * while telling two clusters apart is where mesoscope finds the masters (the ZooKeeper URL with its path,
 * where one cluster's masters and no other's elect, or the configured master URLs) together with the name
 * the operator gave the cluster (`--cluster`, the `cluster` field of the master's state). So a real
 * cluster's key is made of both: the same URLs now serving a differently named cluster start a new
 * history, and a leader change does not.
 *
 * The embedded local cluster is started by mesoscope itself, and what it is follows from how it was
 * started: its scenario and size (its ids and names come from a fixed seed). Its key says exactly that, so
 * `--scenario large` and then the demo never share a history.
 */
export function localClusterKey(identity: string): string {
  return `local-${slug(identity)}`;
}

/**
 * The key of a real cluster, once its state (and so its name) is known. A state that does not say the name
 * (the event stream without the right to read the master's flags, say) does not make it another cluster: it
 * keeps `current` when that is a cluster read through the same masters.
 */
export function remoteClusterKey(
  masters: readonly string[],
  clusterName: string | null | undefined,
  current: string | null = null,
): string {
  if (!clusterName && current?.startsWith(remotePrefix(masters))) return current;
  const name = clusterName ?? '';
  return `${remotePrefix(masters)}${slug(name) || 'unnamed'}-${hex32(fnv1a(`${sourceText(masters)}\n${name}`))}`;
}

/**
 * The key of the cluster last read through these masters: its history is served from the start, before the
 * first answer of the cluster says whether it is still the same one. Null when there is none.
 */
export function lastRemoteClusterKey(dataDir: string | null, masters: readonly string[]): string | null {
  if (dataDir === null) return null;
  const prefix = `history-${remotePrefix(masters)}`;
  let newest: { key: string; mtime: number } | null = null;
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return null;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.bin')) continue;
    try {
      const mtime = statSync(path.join(dataDir, name)).mtimeMs;
      if (!newest || mtime > newest.mtime)
        newest = { key: name.slice('history-'.length, -'.bin'.length), mtime };
    } catch {
      // Removed meanwhile.
    }
  }
  return newest?.key ?? null;
}

function remotePrefix(masters: readonly string[]): string {
  return `cluster-${hex32(fnv1a(sourceText(masters)))}-`;
}

function sourceText(masters: readonly string[]): string {
  return [...masters].sort().join(',');
}

/** Safe in a file name on every system, and short. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
}
