import zookeeper from 'node-zookeeper-client';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masterGroupMembers, parseMasterInfo } from '../../mesos/zookeeper';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { eventually } from '../test-helpers';
import { createTestCertificates } from './test-certificates';
import type { TestCertificates } from './test-certificates';
import { findZooKeeperClasspath, startZooKeeper, ZOOKEEPER_MISSING } from './zookeeper-server';
import type { TestZooKeeper } from './zookeeper-server';

interface Answer {
  status: number;
  location: string | null;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

async function get(url: string, options: { dispatcher?: Agent; auth?: string } = {}): Promise<Answer> {
  const response = await request(url, {
    dispatcher: options.dispatcher,
    headers: options.auth ? { authorization: `Basic ${Buffer.from(options.auth).toString('base64')}` } : {},
  });
  const body = await response.body.text();
  const location = response.headers['location'];
  return {
    status: response.statusCode,
    location: typeof location === 'string' ? location : null,
    body,
    json: <T>() => JSON.parse(body) as T,
  };
}

const hostPort = (url: string) => new URL(url).host;

describe('three masters without ZooKeeper', () => {
  let cluster: LocalCluster;

  beforeAll(async () => {
    cluster = await startCluster({ masters: 3, agents: 1, scenario: 'empty', electionDelayMs: 300 });
  });
  afterAll(() => cluster?.close());

  it('has one leader; standbys redirect like Mesos 1.x and stay healthy', async () => {
    const [leader, standby] = cluster.masterUrls as [string, string, string];
    expect(cluster.control.leaderUrl()).toBe(leader);
    const state = await get(`${standby}/master/state?jsonp=cb`);
    expect(state.status).toBe(307);
    expect(state.location).toBe(`//${hostPort(leader)}/master/state?jsonp=cb`);
    expect((await get(`${standby}/master/redirect`)).location).toBe(`//${hostPort(leader)}`);
    expect((await get(`${leader}/master/redirect`)).location).toBe(`//${hostPort(leader)}`);
    expect((await get(`${standby}/master/health`)).status).toBe(200);
    const metrics = (await get(`${standby}/metrics/snapshot`)).json();
    expect(metrics['master/elected']).toBe(0);

    const leaderState = (await get(`${leader}/master/state`)).json<{
      id: string;
      pid: string;
      leader_info: { id: string; port: number };
    }>();
    expect(leaderState.leader_info.id).toBe(leaderState.id);
    expect(leaderState.pid).toBe(`master@${hostPort(leader)}`);
  });

  it('elects the next master when the leader is killed, keeping agents and tasks', async () => {
    const [first, second, third] = cluster.masterUrls as [string, string, string];
    const task = await cluster.control.launchTask({ name: 'sleeper', cmd: 'sleep 30' });
    const before = (await get(`${first}/master/state`)).json<{ id: string }>();

    const killedAt = Date.now();
    expect(await cluster.control.killLeader()).toBe(first);
    await expect(get(`${first}/master/health`)).rejects.toThrow();
    // During the election nobody leads.
    expect((await get(`${second}/master/redirect`)).status).toBe(503);
    expect(await cluster.control.waitForLeader(5_000)).toBe(second);
    expect(Date.now() - killedAt).toBeLessThan(3_000);

    const after = (await get(`${second}/master/state`)).json<{
      id: string;
      pid: string;
      leader_info: { id: string; port: number };
      slaves: unknown[];
      frameworks: { tasks: { id: string }[] }[];
    }>();
    expect(after.id).not.toBe(before.id);
    expect(after.leader_info).toMatchObject({
      id: after.id,
      port: new URL(second).port ? Number(new URL(second).port) : 0,
    });
    expect(after.slaves).toHaveLength(1);
    expect(after.frameworks.flatMap((f) => f.tasks.map((t) => t.id))).toContain(task.taskId);
    expect((await get(`${third}/master/state`)).location).toBe(`//${hostPort(second)}/master/state`);

    // The old leader comes back as a standby behind the others.
    await cluster.control.reviveMaster(first);
    expect((await get(`${first}/master/redirect`)).location).toBe(`//${hostPort(second)}`);
    await cluster.control.killTask(task.taskId);
  });
});

describe('legacy (Mesos 0.2x) standbys', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startCluster({ masters: 2, agents: 1, scenario: 'empty', standbyStyle: 'legacy' });
  });
  afterAll(() => cluster?.close());

  it('serve their own state naming the leader by pid only, and redirect with an absolute URL', async () => {
    const [leader, standby] = cluster.masterUrls as [string, string];
    const state = (await get(`${standby}/master/state.json`)).json<Record<string, unknown>>();
    expect(state['leader']).toBe(`master@${hostPort(leader)}`);
    expect(state['pid']).toBe(`master@${hostPort(standby)}`);
    expect(state).not.toHaveProperty('leader_info');
    expect(state['slaves']).toEqual([]);
    expect((await get(`${standby}/master/redirect`)).location).toBe(`http://${hostPort(leader)}`);
    const leaderState = (await get(`${leader}/master/state.json`)).json<Record<string, unknown>>();
    expect(leaderState).not.toHaveProperty('leader_info');
    expect(leaderState['leader']).toBe(leaderState['pid']);
  });
});

describe('HTTP authentication and TLS', () => {
  let cluster: LocalCluster;
  let certs: TestCertificates;
  let trusting: Agent;

  beforeAll(async () => {
    certs = createTestCertificates();
    trusting = new Agent({ connect: { ca: certs.ca } });
    cluster = await startCluster({
      agents: 1,
      scenario: 'empty',
      authenticate: { principal: 'ops', secret: 's3cret-for-tests' },
      tls: { key: certs.serverKey, cert: certs.serverCert },
    });
  });
  afterAll(async () => {
    await cluster?.close();
    await trusting?.close();
    certs?.remove();
  });

  it('serves https on masters and agents, trusted through the test CA only', async () => {
    expect(cluster.masterUrl).toMatch(/^https:\/\//);
    expect(cluster.agents[0]?.url).toMatch(/^https:\/\//);
    await expect(get(`${cluster.masterUrl}/master/health`)).rejects.toThrow(/certificate/i);
    expect((await get(`${cluster.masterUrl}/master/health`, { dispatcher: trusting })).status).toBe(200);
  });

  it('answers 401 with a basic challenge without the right credentials, like --authenticate_http_readonly', async () => {
    const dispatcher = trusting;
    for (const url of [`${cluster.masterUrl}/master/state`, `${cluster.agents[0]?.url}/slave(1)/state`]) {
      const refused = await get(url, { dispatcher });
      expect(refused.status).toBe(401);
      expect((await get(url, { dispatcher, auth: 'ops:wrong' })).status).toBe(401);
      expect((await get(url, { dispatcher, auth: 'ops:s3cret-for-tests' })).status).toBe(200);
    }
    expect((await get(`${cluster.masterUrl}/master/redirect`, { dispatcher })).status).toBe(307);
  });
});

const zooKeeperMissing = findZooKeeperClasspath() === null;
if (zooKeeperMissing && process.env['CI'] !== 'true') console.warn(ZOOKEEPER_MISSING);

describe.skipIf(zooKeeperMissing && process.env['CI'] !== 'true')('election through ZooKeeper', () => {
  let zk: TestZooKeeper;
  let cluster: LocalCluster;
  let reader: zookeeper.Client;

  const children = () =>
    new Promise<string[]>((resolve, reject) =>
      reader.getChildren('/mesos', (error, names) => (error ? reject(error) : resolve(names))),
    );
  const data = (name: string) =>
    new Promise<string>((resolve, reject) =>
      reader.getData(`/mesos/${name}`, (error, bytes) => (error ? reject(error) : resolve(bytes.toString()))),
    );

  beforeAll(async () => {
    zk = await startZooKeeper(); // throws the one-line "No ZooKeeper found" message when none is installed
    cluster = await startCluster({ masters: 3, agents: 1, scenario: 'empty', zk: zk.url('/mesos') });
    reader = zookeeper.createClient(zk.servers);
    await new Promise<void>((resolve) => {
      reader.once('connected', () => resolve());
      reader.connect();
    });
  }, 60_000);
  afterAll(async () => {
    reader?.close();
    await cluster?.close();
    await zk?.close();
  });

  it('registers each master as a json.info_ znode holding its MasterInfo; the lowest leads', async () => {
    const members = masterGroupMembers(await children());
    expect(members).toHaveLength(3);
    const infos = await Promise.all(
      members.map(async (m) => parseMasterInfo(JSON.parse(await data(m.name)))),
    );
    expect(infos.map((info) => `http://${info.hostname}:${info.port}`)).toEqual(cluster.masterUrls);
    expect(infos[0]?.pid).toBe(`master@${hostPort(cluster.masterUrl)}`);
    expect(infos[0]?.address).toEqual({ hostname: '127.0.0.1', ip: '127.0.0.1', port: infos[0]?.port });
    expect(infos[0]?.ip).toBe(16777343);
    const state = (await get(`${cluster.masterUrl}/master/state`)).json<{ id: string }>();
    expect(state.id).toBe(infos[0]?.id);
  });

  it('a killed leader leaves the group and the next sequence takes over', async () => {
    const [first, second] = cluster.masterUrls as [string, string];
    await cluster.control.killLeader();
    expect(await cluster.control.waitForLeader(5_000)).toBe(second);
    const members = await eventually(async () => {
      const list = masterGroupMembers(await children());
      return list.length === 2 ? list : undefined;
    });
    const lowest = parseMasterInfo(JSON.parse(await data(members[0]?.name ?? '')));
    expect(`http://${lowest.hostname}:${lowest.port}`).toBe(second);
    expect((await get(`${second}/master/state`)).json<{ id: string }>().id).toBe(lowest.id);
    await cluster.control.reviveMaster(first);
    expect(masterGroupMembers(await children())).toHaveLength(3);
    expect(cluster.control.leaderUrl()).toBe(second);
  });
});
