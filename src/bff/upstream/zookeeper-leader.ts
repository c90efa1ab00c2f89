import { EventEmitter } from 'node:events';
import zookeeper from 'node-zookeeper-client';
import type { Client, Event } from 'node-zookeeper-client';
import { masterGroupMembers, masterInfoAddress, parseMasterInfo } from '../../mesos/zookeeper';
import type { ZooKeeperUrl } from '../../mesos/zookeeper';

/** mesoscope's ZooKeeper session timeout: long enough to ride out a ZooKeeper restart. */
const SESSION_TIMEOUT_MS = 10_000;
/**
 * A client that has not (re)connected for this long is replaced by a fresh one: node-zookeeper-client can
 * end up with two reconnect loops racing for one socket after a server restart, and then never reconnects.
 */
const RECONNECT_GRACE_MS = 3_000;

interface ZooKeeperLeaderOptions {
  zk: ZooKeeperUrl;
  /** The zk:// URL as it may be shown (no credentials). */
  label: string;
  /** How to reach the masters the group lists. */
  scheme: 'http:' | 'https:';
  now?: () => number;
}

/**
 * Follows the leading Mesos master through its ZooKeeper group: watches the group's children (a watch, not
 * a poll), reads the `json.info_` members' MasterInfo, and takes the lowest sequence as the leader. When
 * ZooKeeper cannot be reached it keeps the last answer and says since when it is blind; the client reconnects
 * by itself, and a new session replaces an expired one.
 */
export class ZooKeeperLeader extends EventEmitter<{ change: [string | null] }> {
  private client: Client | null = null;
  private leaderUrl: string | null = null;
  private memberUrls: string[] = [];
  private connectedNow = false;
  private downSince: number | null;
  private problem: string | null = null;
  private closed = false;
  private clientSince = 0;
  private everRead = false;
  private readonly firstReadWaiters: (() => void)[] = [];
  private watchdog: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ZooKeeperLeaderOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.downSince = this.now();
  }

  /** The leader's base URL from the last successful read, or null. */
  get leader(): string | null {
    return this.leaderUrl;
  }

  /** Every registered master, leader first. */
  get members(): readonly string[] {
    return this.memberUrls;
  }

  get connected(): boolean {
    return this.connectedNow;
  }

  /** Since when ZooKeeper has been unreachable (ms), or null while connected. */
  get unreachableSince(): number | null {
    return this.connectedNow ? null : this.downSince;
  }

  /** Why no leader can be named although ZooKeeper answers (no group, no member, unreadable data). */
  get groupProblem(): string | null {
    return this.problem;
  }

  /** Resolves once the group was read for the first time, or after `timeoutMs` (ZooKeeper down at start). */
  firstRead(timeoutMs: number): Promise<void> {
    if (this.everRead || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.firstReadWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  start(): void {
    if (this.client || this.closed) return;
    this.watchdog ??= setInterval(() => this.replaceStuckClient(), 1_000).unref();
    this.clientSince = this.now();
    const client = zookeeper.createClient(this.options.zk.servers, {
      sessionTimeout: SESSION_TIMEOUT_MS,
      spinDelay: 500,
    });
    this.client = client;
    if (this.options.zk.digest) client.addAuthInfo('digest', Buffer.from(this.options.zk.digest));
    client.on('connected', () => {
      if (this.client !== client) return;
      this.connectedNow = true;
      this.downSince = null;
      this.readGroup();
    });
    client.on('disconnected', () => {
      if (this.client !== client || this.closed) return;
      if (this.connectedNow) this.downSince = this.now();
      this.connectedNow = false;
    });
    client.on('expired', () => {
      // The session (and its watches) is gone for good: start a new one, keeping what we know meanwhile.
      if (this.client !== client || this.closed) return;
      this.client = null;
      client.close();
      this.start();
    });
    client.on('authenticationFailed', () => {
      this.problem = `ZooKeeper ${this.options.label} refused the credentials in the URL`;
    });
    client.connect();
  }

  close(): void {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.client?.close();
    this.client = null;
    this.removeAllListeners();
  }

  private replaceStuckClient(): void {
    const client = this.client;
    if (!client || this.connectedNow || this.closed) return;
    if (this.now() - this.clientSince < RECONNECT_GRACE_MS) return;
    this.client = null;
    client.close();
    this.start();
  }

  /** Runs when the group's children change; ZooKeeper watches fire once, so each read sets the next watch. */
  private readonly onGroupChanged = (_event: Event): void => this.readGroup();

  private readGroup(): void {
    const client = this.client;
    const path = this.options.zk.path;
    if (!client || this.closed) return;
    client.getChildren(path, this.onGroupChanged, (error, children) => {
      if (this.client !== client) return;
      if (error) {
        if (error instanceof zookeeper.Exception && error.getCode() === zookeeper.Exception.NO_NODE) {
          this.problem = `no Mesos master has registered at ${path} in ZooKeeper ${this.options.label}`;
          this.setMembers([]);
          // Wait for the group to appear.
          client.exists(path, this.onGroupChanged, () => undefined);
        }
        // Connection loss: the 'connected' handler reads again.
        return;
      }
      void this.readMembers(client, children);
    });
  }

  private async readMembers(client: Client, children: string[]): Promise<void> {
    const members = masterGroupMembers(children);
    const urls = await Promise.all(
      members.map(
        (member) =>
          new Promise<string | null>((resolve) =>
            client.getData(`${this.options.zk.path}/${member.name}`, (error, data) => {
              if (error) return resolve(null); // it left meanwhile: the children watch fires again
              try {
                const address = masterInfoAddress(parseMasterInfo(JSON.parse(data.toString('utf8'))));
                resolve(
                  address ? `${this.options.scheme}//${hostForUrl(address.host)}:${address.port}` : null,
                );
              } catch {
                resolve(null);
              }
            }),
          ),
      ),
    );
    if (this.client !== client) return;
    const readable = urls.filter((url): url is string => url !== null);
    if (members.length === 0) {
      this.problem = `no Mesos master is registered at ${this.options.zk.path} in ZooKeeper ${this.options.label}`;
    } else if (urls[0] === null) {
      this.problem = `the leading master's entry in ZooKeeper ${this.options.label} cannot be read`;
    } else {
      this.problem = null;
    }
    this.setMembers(urls[0] ? readable : [], readable);
  }

  private setMembers(leaderFirst: string[], all: string[] = leaderFirst): void {
    this.memberUrls = all;
    if (!this.everRead) {
      this.everRead = true;
      for (const wake of this.firstReadWaiters.splice(0)) wake();
    }
    const leader = leaderFirst[0] ?? null;
    if (leader === this.leaderUrl) return;
    this.leaderUrl = leader;
    this.emit('change', leader);
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
