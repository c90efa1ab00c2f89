import zookeeper from 'node-zookeeper-client';
import type { Client, Event } from 'node-zookeeper-client';
import {
  masterGroupMembers,
  MASTER_INFO_LABEL,
  parseMasterInfo,
  redactZooKeeperUrl,
} from '../../mesos/zookeeper';
import type { ZooKeeperUrl } from '../../mesos/zookeeper';
import type { Election, LeaderListener } from './election';

/** Session timeout of the masters' ZooKeeper sessions (Mesos's `--zk_session_timeout` is 10 s). */
const SESSION_TIMEOUT_MS = 10_000;
/** How long joining may wait for ZooKeeper before the cluster gives up with an error. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * The election through a real ZooKeeper, exactly as Mesos masters do it: each master joins the group at the
 * URL's path with an ephemeral sequential `json.info_` znode holding its MasterInfo JSON, and the lowest
 * sequence leads. A killed master closes its session, so its znode goes and the next one leads. The leader is
 * read by a detector that watches the group's children (no polling).
 */
export class ZooKeeperElection implements Election {
  private readonly contenders = new Map<string, Client>();
  private detector: Client | undefined;
  private current: string | null = null;
  private closed = false;
  private readonly shown: string;

  constructor(
    private readonly target: ZooKeeperUrl,
    url: string,
    private readonly onChange: LeaderListener,
  ) {
    this.shown = redactZooKeeperUrl(url);
  }

  get leaderId(): string | null {
    return this.current;
  }

  /** Connects the detector and starts watching the group. */
  async start(): Promise<void> {
    this.detector = await this.connect();
    await this.mkdirp(this.detector);
    this.watchGroup();
  }

  async join(masterId: string, masterInfo: Record<string, unknown>): Promise<void> {
    const client = await this.connect();
    this.contenders.set(masterId, client);
    await this.mkdirp(client);
    await new Promise<void>((resolve, reject) =>
      client.create(
        `${this.target.path}/${MASTER_INFO_LABEL}_`,
        Buffer.from(JSON.stringify(masterInfo)),
        zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
        (error) => (error ? reject(new Error(`ZooKeeper ${this.shown}: ${String(error)}`)) : resolve()),
      ),
    );
  }

  async leave(masterId: string): Promise<void> {
    const client = this.contenders.get(masterId);
    this.contenders.delete(masterId);
    if (client) await closeClient(client);
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.contenders.values(), ...(this.detector ? [this.detector] : [])];
    this.contenders.clear();
    await Promise.all(clients.map(closeClient));
  }

  private readonly onGroupEvent = (_event: Event): void => this.watchGroup();

  private watchGroup(): void {
    const client = this.detector;
    if (!client || this.closed) return;
    client.getChildren(this.target.path, this.onGroupEvent, (error, children) => {
      if (this.closed) return;
      if (error) {
        // Connection loss: the client reconnects by itself and keeps the watch; read again once it is back.
        client.once('connected', () => this.watchGroup());
        return;
      }
      const lowest = masterGroupMembers(children)[0];
      if (!lowest) {
        this.setLeader(null);
        return;
      }
      client.getData(`${this.target.path}/${lowest.name}`, (dataError, data) => {
        if (this.closed) return;
        // A member that left between the two reads: the children watch fires and we read again.
        if (dataError) return;
        try {
          this.setLeader(parseMasterInfo(JSON.parse(data.toString('utf8'))).id);
        } catch {
          this.setLeader(null);
        }
      });
    });
  }

  private setLeader(id: string | null): void {
    if (id === this.current) return;
    this.current = id;
    this.onChange(id);
  }

  private connect(): Promise<Client> {
    const client = zookeeper.createClient(this.target.servers, {
      sessionTimeout: SESSION_TIMEOUT_MS,
      spinDelay: 250,
    });
    if (this.target.digest) client.addAuthInfo('digest', Buffer.from(this.target.digest));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new Error(`ZooKeeper ${this.shown} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
      }, CONNECT_TIMEOUT_MS);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve(client);
      });
      client.connect();
    });
  }

  private mkdirp(client: Client): Promise<void> {
    return new Promise((resolve, reject) =>
      client.mkdirp(this.target.path, (error) =>
        error ? reject(new Error(`ZooKeeper ${this.shown}: ${String(error)}`)) : resolve(),
      ),
    );
  }
}

/** Closes a session (its ephemeral znodes go at once); gives up waiting after a second if ZooKeeper is down. */
function closeClient(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const done = setTimeout(resolve, 1_000);
    done.unref();
    client.once('disconnected', () => {
      clearTimeout(done);
      resolve();
    });
    client.close();
  });
}
