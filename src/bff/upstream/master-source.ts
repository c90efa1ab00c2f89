import { parseZooKeeperUrl, redactZooKeeperUrl } from '../../mesos/zookeeper';
import type { ZooKeeperUrl } from '../../mesos/zookeeper';

/** Where mesoscope finds the leading master: the three forms `--master` accepts. */
export type MasterSource =
  /** One or more masters; any of them names the leader (`/master/redirect`). */
  | { kind: 'masters'; urls: string[] }
  /** One base URL with a path prefix, e.g. DC/OS's `https://dcos.example/mesos`: a proxy that always reaches the
   * leader, so it is used as it is (a redirect from behind it would name an address only the proxy can reach). */
  | { kind: 'proxy'; url: string }
  /** Mesos's ZooKeeper group: the lowest `json.info_` member leads. */
  | { kind: 'zookeeper'; url: string; zk: ZooKeeperUrl; scheme: 'http:' | 'https:' };

export class MasterSourceError extends Error {}

/**
 * Parses `--master`: `zk://host:2181[,host:2181]/path`, a base URL with a path prefix, or comma-separated
 * `[http(s)://]host:port` entries. `zkScheme` says how to reach the masters ZooKeeper lists.
 */
export function parseMasterSource(text: string, zkScheme: 'http:' | 'https:' = 'http:'): MasterSource {
  const trimmed = text.trim();
  if (/^zk:\/\//i.test(trimmed)) {
    try {
      return {
        kind: 'zookeeper',
        url: redactZooKeeperUrl(trimmed),
        zk: parseZooKeeperUrl(trimmed),
        scheme: zkScheme,
      };
    } catch (error) {
      throw new MasterSourceError((error as Error).message);
    }
  }
  const urls = trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(normalizeMasterUrl);
  if (urls.length === 0) throw new MasterSourceError('no master given');
  const [only] = urls;
  if (urls.length === 1 && only !== undefined && new URL(only).pathname !== '/')
    return { kind: 'proxy', url: only };
  return { kind: 'masters', urls };
}

/** `host:port` → `http://host:port`; keeps https and any path prefix; refuses anything else. */
export function normalizeMasterUrl(entry: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `http://${entry}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MasterSourceError(
      `'${entry.replace(/\/\/[^@/]*@/, '//')}' is not a URL (expected http(s)://host:port)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MasterSourceError(
      `unsupported scheme '${url.protocol}' in '${url.host}' (use http://, https:// or zk://)`,
    );
  }
  if (url.username || url.password) {
    throw new MasterSourceError(
      `do not put credentials in the URL of ${url.host}; they would end up in logs (use --credentials-file)`,
    );
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** What the source is, as it may be shown (never credentials). */
export function sourceLabels(source: MasterSource): string[] {
  switch (source.kind) {
    case 'masters':
      return source.urls;
    case 'proxy':
      return [source.url];
    case 'zookeeper':
      return [source.url];
  }
}

/** True when the masters are reached over TLS (and so, as Mesos enables TLS per process, the agents too). */
export function sourceUsesTls(source: MasterSource): boolean {
  switch (source.kind) {
    case 'masters':
      return source.urls.some((url) => url.startsWith('https:'));
    case 'proxy':
      return source.url.startsWith('https:');
    case 'zookeeper':
      return source.scheme === 'https:';
  }
}
