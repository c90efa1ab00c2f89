import { ipv4ToMesosInt, parseZooKeeperUrl } from '../../mesos/zookeeper';
import type { ClusterCore } from '../master/cluster-core';
import { LibprocessServer } from '../http/http-server';
import type { RouteHandler, ServerTraffic } from '../http/http-server';
import { nowSecs } from '../master/ids';
import { masterMetricsJson, masterStatePieces } from '../master/master-json';
import { piecesResult } from '../http/master-routes';
import { MESOS_VERSION } from '../version';
import type { Election } from './election';
import { LocalElection } from './election';
import type { ServerSecurity } from './http-auth';
import { standbyAwareRoutes } from './standby-routes';
import type { StandbyStyle } from './standby-routes';
import { ZooKeeperElection } from './zookeeper-election';

export interface MasterSetOptions {
  core: ClusterCore;
  /** The leading master's endpoints; every master serves them while it leads. */
  routes: ReadonlyMap<string, RouteHandler>;
  count: number;
  /** Port of the first master (0 = free); the others always take free ports. */
  firstPort: number;
  security: ServerSecurity;
  /** `zk://host:port/path`: elect through this ZooKeeper, as Mesos does; otherwise in process. */
  zk: string | undefined;
  electionDelayMs: number;
  standbyStyle: StandbyStyle;
  /** A fresh master id (the first master takes the core's). */
  newId: () => string;
  log: ((line: string) => void) | undefined;
}

/** One master process of the set: its own id, start time and HTTP server. */
interface MasterNode {
  id: string;
  startTime: number;
  server: LibprocessServer;
  /** False once killed (until revived): its server is stopped and it has left the election. */
  alive: boolean;
}

/**
 * The local cluster's masters: one or more, each its own HTTP server on its own port, one of them elected
 * leader. The leader serves the cluster (the shared core); the others answer as Mesos standbys do. Killing the
 * leader stops its server and makes it leave the group, and the election picks the next one.
 */
export class MasterSet {
  private readonly nodes: MasterNode[] = [];
  private election!: Election;
  private readonly scheme: 'http' | 'https';

  private constructor(private readonly options: MasterSetOptions) {
    this.scheme = options.security.tls ? 'https' : 'http';
  }

  static async start(options: MasterSetOptions): Promise<MasterSet> {
    const set = new MasterSet(options);
    await set.init();
    return set;
  }

  /** Every master's base URL, in start order (the first one leads at start). */
  get urls(): string[] {
    return this.nodes.map((node) => this.url(node));
  }

  /** The elected master's URL (even if its server is stopped), or null during an election. */
  leaderUrl(): string | null {
    const leader = this.leaderNode();
    return leader ? this.url(leader) : null;
  }

  /** Stops the leader's server and takes it out of the election; resolves with its URL at once. */
  async killLeader(): Promise<string> {
    const leader = this.leaderNode();
    if (!leader) throw new Error('No master is leading right now');
    leader.alive = false;
    await leader.server.stop();
    await this.election.leave(leader.id);
    this.options.log?.(`master ${this.url(leader)} killed`);
    return this.url(leader);
  }

  /** Brings a killed master back; it rejoins the group as a standby (behind every live master). */
  async revive(url: string): Promise<void> {
    const node = this.nodes.find((n) => this.url(n) === url);
    if (!node) throw new Error(`No master at ${url}; masters: ${this.urls.join(', ')}`);
    if (node.alive) return;
    node.startTime = nowSecs();
    await node.server.start();
    node.alive = true;
    await this.election.join(node.id, this.masterInfo(node));
  }

  /** Resolves with the leader's URL once a live master is elected; rejects after `timeoutMs`. */
  async waitForLeader(timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const leader = this.leaderNode();
      if (leader?.alive) return this.url(leader);
      if (Date.now() > deadline) throw new Error(`No master was elected within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops or starts the elected master's server only (no election: clients see connection refused). */
  /** What every master's server has been asked and has sent, added up. */
  traffic(): ServerTraffic {
    const total: ServerTraffic = { requests: 0, bytesSent: 0, byPath: {} };
    for (const node of this.nodes) {
      const traffic = node.server.traffic;
      total.requests += traffic.requests;
      total.bytesSent += traffic.bytesSent;
      for (const [path, count] of Object.entries(traffic.byPath)) {
        total.byPath[path] = (total.byPath[path] ?? 0) + count;
      }
    }
    return total;
  }

  async stopLeaderServer(): Promise<void> {
    await this.leaderNode()?.server.stop();
  }

  async startLeaderServer(): Promise<void> {
    await this.leaderNode()?.server.start();
  }

  /** Stops or starts every live master's server (no election): the whole control plane is unreachable. */
  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.server.stop()));
  }

  async startAll(): Promise<void> {
    await Promise.all(this.nodes.filter((node) => node.alive).map((node) => node.server.start()));
  }

  async close(): Promise<void> {
    await this.election?.close();
    await Promise.all(this.nodes.map((node) => node.server.stop()));
  }

  private leaderNode(): MasterNode | null {
    const id = this.election?.leaderId;
    return this.nodes.find((node) => node.id === id) ?? null;
  }

  private url(node: MasterNode): string {
    const host = this.options.core.host;
    return `${this.scheme}://${host.includes(':') ? `[${host}]` : host}:${node.server.port}`;
  }

  private async init(): Promise<void> {
    const { core, count, security } = this.options;
    for (let i = 0; i < count; i++) {
      const node: MasterNode = {
        id: i === 0 ? core.masterId : this.options.newId(),
        startTime: i === 0 ? core.startTime : nowSecs(),
        server: undefined as unknown as LibprocessServer,
        alive: true,
      };
      const routes = standbyAwareRoutes(this.options.routes, {
        isLeader: () => node.alive && this.election.leaderId === node.id,
        leader: () => {
          const leader = this.leaderNode();
          return leader ? this.identity(leader) : null;
        },
        self: () => ({ ...this.identity(node), startTime: node.startTime }),
        clusterName: core.clusterName,
        style: this.options.standbyStyle,
        metricKeys: () => Object.keys(masterMetricsJson(core)),
        legacyLeaderState: (url) => piecesResult(url, () => masterStatePieces(core, { leaderInfo: false })),
      });
      node.server = new LibprocessServer(core.host, routes, security);
      await node.server.start(i === 0 ? this.options.firstPort : 0);
      this.nodes.push(node);
    }
    core.masterPort = this.nodes[0]?.server.port ?? 0;

    const onChange = (leaderId: string | null) => {
      const node = this.nodes.find((n) => n.id === leaderId);
      if (!node) {
        this.options.log?.('no master is leading; electing');
        return;
      }
      if (core.masterId !== node.id) {
        core.takeLeadership({ id: node.id, port: node.server.port, startTime: node.startTime });
      }
      this.options.log?.(`master ${this.url(node)} is the leader`);
    };
    if (this.options.zk) {
      const election = new ZooKeeperElection(parseZooKeeperUrl(this.options.zk), this.options.zk, onChange);
      this.election = election;
      await election.start();
    } else {
      this.election = new LocalElection(this.options.electionDelayMs, onChange);
    }
    // One after the other, so the sequence numbers (and so the order of succession) follow the start order.
    for (const node of this.nodes) await this.election.join(node.id, this.masterInfo(node));
    await this.waitForLeader();
  }

  private identity(node: MasterNode): { id: string; host: string; port: number; pid: string } {
    const host = this.options.core.host;
    return { id: node.id, host, port: node.server.port, pid: `master@${host}:${node.server.port}` };
  }

  /** The MasterInfo JSON a Mesos master writes into its `json.info_` znode. */
  private masterInfo(node: MasterNode): Record<string, unknown> {
    const { host, port, pid } = this.identity(node);
    return {
      id: node.id,
      ip: ipv4ToMesosInt(host),
      port,
      pid,
      hostname: host,
      version: MESOS_VERSION,
      address: { hostname: host, ip: host, port },
      capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
    };
  }
}
