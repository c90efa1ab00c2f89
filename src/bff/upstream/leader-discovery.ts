import { EventEmitter } from 'node:events';
import type { MasterSource } from './master-source';
import { sourceLabels } from './master-source';
import type { MesosClient } from './mesos-client';
import { isRedirect, origin } from './mesos-client';
import { UpstreamError } from './upstream-error';
import { ZooKeeperLeader } from './zookeeper-leader';

/** How the leader is found, and whether that is impaired right now (for `/api/status`). */
interface DiscoveryStatus {
  mode: 'masters' | 'proxy' | 'zookeeper';
  /** The configured source, as it may be shown (URLs or the zk:// URL, no credentials). */
  source: string[];
  /** Set while discovery cannot do its job fully, e.g. ZooKeeper is down but a leader is known. */
  degraded: { since: number; message: string } | null;
}

/**
 * Finds the leading master, however it is published (see master-source.ts): by asking the masters
 * (`/master/redirect`), through a proxy that always reaches the leader (used as it is), or by watching Mesos's
 * ZooKeeper group. Emits `change` when the leader it names changes, so the poller can read the new one at once.
 */
export class LeaderDiscovery extends EventEmitter<{ change: [leader: string | null, byWatch: boolean] }> {
  private current: string | null = null;
  /** How many leaders ZooKeeper's watch has named: a request that failed before the latest one says nothing of it. */
  private named = 0;
  private readonly source: MasterSource;
  private readonly zookeeper: ZooKeeperLeader | null = null;
  /** A leader ZooKeeper still names but that failed us while ZooKeeper was down: ask the masters instead. */
  private suspect: string | null = null;

  constructor(
    source: MasterSource | readonly string[],
    private readonly client: MesosClient,
  ) {
    super();
    this.source = isSourceList(source) ? fromUrls(source) : source;
    if (this.source.kind === 'zookeeper') {
      const zookeeper = new ZooKeeperLeader({
        zk: this.source.zk,
        label: this.source.url,
        scheme: this.source.scheme,
      });
      zookeeper.on('change', (leader) => {
        this.suspect = null;
        if (leader === null) return;
        this.named += 1;
        this.setCurrent(leader, true);
      });
      zookeeper.start();
      this.zookeeper = zookeeper;
    }
  }

  /** The leader found last, if any. */
  get leader(): string | null {
    return this.current;
  }

  /** The masters known: the configured ones, or those registered in ZooKeeper (leader first). */
  get masters(): readonly string[] {
    if (this.source.kind === 'zookeeper') return this.zookeeper?.members ?? [];
    return this.source.kind === 'proxy' ? [this.source.url] : this.source.urls;
  }

  get status(): DiscoveryStatus {
    const mode = this.source.kind;
    const since = this.zookeeper?.unreachableSince ?? null;
    const degraded =
      since === null
        ? null
        : {
            since,
            message: `ZooKeeper ${this.source.kind === 'zookeeper' ? this.source.url : ''} cannot be reached; ${
              this.current
                ? `mesoscope keeps using the last known leader, ${origin(this.current)}`
                : 'no leader is known'
            }`,
          };
    return { mode, source: sourceLabels(this.source), degraded };
  }

  /** Pass to {@link forget} as it was when a request to the leader started. */
  get namedByWatch(): number {
    return this.named;
  }

  /**
   * Forget the leader (it failed); the next `find()` looks again. Unless ZooKeeper's watch has named another
   * since the failed request started (`namedBefore`): that one has not failed. Says whether it forgot.
   */
  forget(namedBefore: number): boolean {
    if (namedBefore !== this.named) return false;
    if (this.zookeeper && !this.zookeeper.connected && this.current) this.suspect = this.current;
    this.current = null;
    return true;
  }

  /**
   * Takes a master's word for where the leader is (a 307/302 `Location`, or the leader a standby's state names),
   * and makes that the leader. Only a master mesoscope was given (the URL list) or found in ZooKeeper may be
   * the leader, and behind a path-prefix proxy none is chased: anything else is an UpstreamError naming the
   * host, and mesoscope sends it nothing (no request, no credentials). Returns the master's URL as configured.
   */
  follow(from: string, location: string): string {
    return this.setCurrent(this.trustedRedirect(from, location));
  }

  /** Returns the current leader, looking for one when none is known. */
  async find(): Promise<string> {
    if (this.current) return this.current;
    switch (this.source.kind) {
      case 'proxy':
        return this.setCurrent(this.source.url);
      case 'masters':
        return this.setCurrent(await askMasters(this.source.urls, this.client, this.trust));
      case 'zookeeper':
        return this.setCurrent(await this.fromZooKeeper());
    }
  }

  close(): void {
    this.zookeeper?.close();
    this.removeAllListeners();
  }

  private async fromZooKeeper(): Promise<string> {
    const zookeeper = this.zookeeper;
    const label = this.source.kind === 'zookeeper' ? this.source.url : 'ZooKeeper';
    if (!zookeeper) throw new UpstreamError('no-leader', 'ZooKeeper discovery is not running');
    // Right after start, give ZooKeeper a moment to answer before calling it unreachable.
    await zookeeper.firstRead(this.client.options.timeoutMs);
    const named = zookeeper.leader;
    if (zookeeper.connected) {
      if (named) return named;
      throw new UpstreamError(
        'no-leader',
        `No leading master: ${zookeeper.groupProblem ?? 'none elected yet'}`,
      );
    }
    // ZooKeeper is down: trust its last answer until that master fails, then ask the masters it listed.
    if (named && named !== this.suspect) return named;
    if (zookeeper.members.length > 0) return askMasters(zookeeper.members, this.client, this.trust);
    throw new UpstreamError('no-leader', `ZooKeeper ${label} cannot be reached and no leader is known yet`);
  }

  private readonly trust = (from: string, location: string): string => this.trustedRedirect(from, location);

  /** The known master a redirect names, or an UpstreamError naming the host it pointed at. */
  private trustedRedirect(from: string, location: string): string {
    const host = redirectHost(from, location);
    if (this.source.kind === 'proxy') {
      throw new UpstreamError(
        'redirect',
        `${origin(from)} redirected to ${host}; behind a path-prefix --master mesoscope does not follow redirects`,
      );
    }
    const known = this.masters.find((url) => hostOf(url) === host);
    if (known) return known;
    const which =
      this.source.kind === 'zookeeper'
        ? 'a master registered in ZooKeeper'
        : 'one of the masters given with --master';
    throw new UpstreamError(
      'redirect',
      `${origin(from)} redirected to ${host}, which is not ${which}; mesoscope does not follow it`,
    );
  }

  private setCurrent(url: string, byWatch = false): string {
    if (url !== this.current) {
      this.current = url;
      this.emit('change', url, byWatch);
    }
    return url;
  }
}

function isSourceList(source: MasterSource | readonly string[]): source is readonly string[] {
  return Array.isArray(source);
}

function fromUrls(urls: readonly string[]): MasterSource {
  if (urls.length === 0) throw new Error('at least one master URL is required');
  return { kind: 'masters', urls: [...urls] };
}

/**
 * Asks each master in turn who leads. A Mesos master answers `/master/redirect` with a 307 to the leader
 * (`//host:port` since 0.23, `http://host:port` before), or 503 while none is elected. A master that has no
 * such endpoint (404) is taken as a candidate: the poller checks the state it serves and follows its
 * `leader` field. `trust` turns a redirect into a known master (or throws, naming the host).
 */
async function askMasters(
  masters: readonly string[],
  client: MesosClient,
  trust: (from: string, location: string) => string,
): Promise<string> {
  const failures: string[] = [];
  for (const master of masters) {
    try {
      const { status, location } = await client.getText(master, '/master/redirect');
      if (isRedirect(status) && location) return trust(master, location);
      if (status === 404) return master;
      if (status === 503) failures.push(`${origin(master)}: no leader elected`);
      else failures.push(`${origin(master)}: ${client.statusError(status, '/master/redirect').message}`);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new UpstreamError('no-leader', `No leading master found (${failures.join('; ')})`);
}

/**
 * The host (`host:port`, as a URL spells it) a `Location` from `from` points at: `//host:port[/path]` (what
 * Mesos sends) or an absolute URL. An unreadable or non-HTTP location is an UpstreamError.
 */
export function redirectHost(from: string, location: string): string {
  let resolved: URL;
  try {
    resolved = new URL(location, from);
  } catch {
    throw new UpstreamError('redirect', `${origin(from)} redirected to a location that is not a URL`);
  }
  if ((resolved.protocol !== 'http:' && resolved.protocol !== 'https:') || !resolved.host) {
    throw new UpstreamError(
      'redirect',
      `${origin(from)} redirected to a ${resolved.protocol.slice(0, 20)} URL; mesoscope follows none`,
    );
  }
  return resolved.host.slice(0, 300);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
