/**
 * Fault tests of the BFF against the local cluster run the way operators run Mesos: HA masters, a real
 * ZooKeeper, HTTP basic authentication and TLS with a test CA.
 */
import diagnostics from 'node:diagnostics_channel';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../cluster';
import type { LocalCluster } from '../cluster';
import { createTestCertificates } from '../cluster/ha/test-certificates';
import type { TestCertificates } from '../cluster/ha/test-certificates';
import { findZooKeeperClasspath, startZooKeeper, ZOOKEEPER_MISSING } from '../cluster/ha/zookeeper-server';
import type { TestZooKeeper } from '../cluster/ha/zookeeper-server';
import type { OverviewView, SandboxView, StatusView } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { parseCredentials } from './upstream/credentials';
import { parseMasterSource } from './upstream/master-source';
import { eventually } from '../testing/eventually';

const status = async (bff: TestBff) => (await bff.app.inject('/api/status')).json<StatusView>();

describe('three masters, found through the URL list', () => {
  const POLL_MS = 500;
  const ELECTION_MS = 500;
  let cluster: LocalCluster;
  let bff: TestBff;

  beforeAll(async () => {
    cluster = await startCluster({ masters: 3, agents: 2, electionDelayMs: ELECTION_MS });
    bff = await buildTestBff(cluster.masterUrls, 1_000, {}, { intervalMs: POLL_MS });
    bff.poller.start();
    await eventually(() => bff.poller.status.connected, Boolean);
  }, 60_000);
  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  it('follows the new leader after a failover, never losing data, and asks the old one nothing more', async () => {
    const before = await status(bff);
    expect(before.leader?.url).toBe(cluster.masterUrls[0]);
    expect(before.leaderChangedAt).toBeNull();
    expect(before.discovery).toEqual({ mode: 'masters', degraded: null });
    const oldVersion = bff.poller.snapshot?.version ?? 0;
    const [oldLeader, newLeader] = cluster.masterUrls.map((url) => new URL(url).origin);

    // Every request mesoscope sends upstream from now on, with where it went and whether the new leader was
    // already the one the status names.
    const sent: Array<{ origin: string; switched: boolean }> = [];
    let switched = false;
    const onCreate = (message: unknown) => {
      const { request } = message as { request: { origin?: unknown } };
      sent.push({ origin: new URL(String(request.origin)).origin, switched });
    };
    diagnostics.subscribe('undici:request:create', onCreate);
    try {
      const killedAt = Date.now();
      await cluster.control.killLeader();
      let lostData = false;
      const after = await eventually(
        async () => {
          if (!bff.poller.snapshot) lostData = true;
          const overview = await bff.app.inject('/api/overview');
          if (overview.statusCode !== 200) lostData = true;
          return status(bff);
        },
        (s) => s.connected && s.leader?.url === cluster.masterUrls[1],
      );
      switched = true;
      expect(after.leader?.url).toBe(cluster.masterUrls[1]);
      expect(lostData).toBe(false);
      expect(after.leaderChangedAt).toBeGreaterThanOrEqual(killedAt);
      expect(after.previousLeader).toEqual({
        hostname: '127.0.0.1',
        port: Number(new URL(cluster.masterUrl).port),
      });
      const overview = (await bff.app.inject('/api/overview')).json<OverviewView>();
      expect(overview.master.id).toBe(after.leader?.id);
      expect(overview.agents.activated).toBe(2);

      // Reads go on, from the new leader only: a few more of them, none to the master that stepped down.
      const readsSince = () => sent.filter((r) => r.switched && r.origin === newLeader).length;
      await eventually(readsSince, (reads) => reads >= 2);
      expect(readsSince()).toBeGreaterThanOrEqual(2);
      expect(sent.filter((r) => r.switched && r.origin === oldLeader)).toEqual([]);
      const later = await status(bff);
      expect(later.leader?.url).toBe(cluster.masterUrls[1]);
      expect(later.connected).toBe(true);
      expect(bff.poller.snapshot?.version).toBeGreaterThan(oldVersion);
      expect(bff.poller.snapshot?.leaderUrl).toBe(cluster.masterUrls[1]);
    } finally {
      diagnostics.unsubscribe('undici:request:create', onCreate);
    }
  });

  it('keeps the data with a stale status while every master is down, and recovers on its own', async () => {
    await cluster.control.stopAllMasters();
    const down = await eventually(
      () => status(bff),
      (s) => !s.connected,
    );
    // The last snapshot read before the masters went away (one may have landed while they stopped).
    const lastGood = bff.poller.snapshot;
    expect(lastGood?.state.slaves.length).toBeGreaterThan(0);
    // A streamed read that changed nothing is a success without a new snapshot: not earlier than the last one.
    expect(down.lastSuccessAt).toBeGreaterThanOrEqual(lastGood?.fetchedAt ?? Infinity);
    expect(down.lastError).toMatch(/refused|closed the connection|No leading master/);
    expect((await bff.app.inject('/api/overview')).statusCode).toBe(200);
    expect(bff.poller.snapshot).toBe(lastGood);

    await cluster.control.startAllMasters();
    const back = await eventually(
      () => status(bff),
      (s) => s.connected,
    );
    expect(back.connected).toBe(true);
    expect(back.lastSuccessAt).toBeGreaterThan(lastGood?.fetchedAt ?? 0);
  });
});

const zooKeeperMissing = findZooKeeperClasspath() === null;
if (zooKeeperMissing && process.env['CI'] !== 'true') console.warn(ZOOKEEPER_MISSING);

describe.skipIf(zooKeeperMissing && process.env['CI'] !== 'true')(
  'three masters, found through ZooKeeper',
  () => {
    let zk: TestZooKeeper;
    let cluster: LocalCluster;
    let bff: TestBff;

    beforeAll(async () => {
      zk = await startZooKeeper(); // fails with the one-line "No ZooKeeper found" message when none is installed
      cluster = await startCluster({ masters: 3, agents: 1, scenario: 'empty', zk: zk.url('/mesos') });
      // A long interval: only the ZooKeeper watch can make the BFF notice a new leader quickly.
      bff = await buildTestBff(parseMasterSource(zk.url('/mesos')), 1_000, {}, { intervalMs: 60_000 });
      bff.poller.start();
      await eventually(() => bff.poller.status.connected, Boolean);
    }, 60_000);
    afterAll(async () => {
      await bff?.close();
      await cluster?.close();
      await zk?.close();
    });

    it('reads the leader from the group and follows a failover through the watch, not the poll interval', async () => {
      const before = await status(bff);
      expect(before.leader?.url).toBe(cluster.masterUrls[0]);
      expect(before.masters).toEqual([zk.url('/mesos')]);
      expect(before.discovery.mode).toBe('zookeeper');

      const killedAt = Date.now();
      await cluster.control.killLeader();
      const after = await eventually(
        () => status(bff),
        (s) => s.connected && s.leader?.url === cluster.masterUrls[1],
      );
      expect(after.leader?.url).toBe(cluster.masterUrls[1]);
      expect(Date.now() - killedAt).toBeLessThan(3_000);
      expect(after.leaderChangedAt).not.toBeNull();
    });

    it('keeps using the known leader while ZooKeeper is down, and says discovery is degraded', async () => {
      await zk.stop();
      try {
        const degraded = await eventually(
          () => status(bff),
          (s) => s.discovery.degraded !== null,
        );
        expect(degraded.discovery.degraded?.message).toMatch(
          /ZooKeeper .* cannot be reached; mesoscope keeps using/,
        );
        // A read of the cluster still succeeds (with an event stream, unchanged data keeps its version).
        const successBefore = bff.poller.status.lastSuccessAt ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 5));
        await bff.poller.pollOnce();
        const still = await status(bff);
        expect(still.connected).toBe(true);
        expect(still.leader?.url).toBe(cluster.masterUrls[1]);
        expect(bff.poller.status.lastSuccessAt).toBeGreaterThan(successBefore);
      } finally {
        await zk.start();
      }
      const healed = await eventually(
        () => status(bff),
        (s) => s.discovery.degraded === null,
        20_000,
      );
      expect(healed.discovery.degraded).toBeNull();
    });
  },
);

describe('HTTP basic authentication and TLS with a test CA', () => {
  const SECRET = 'hunter2-mesoscope-secret';
  let certs: TestCertificates;
  let cluster: LocalCluster;

  beforeAll(async () => {
    certs = createTestCertificates();
    cluster = await startCluster({
      masters: 2,
      agents: 1,
      authenticate: { principal: 'mesoscope', secret: SECRET },
      tls: { key: certs.serverKey, cert: certs.serverCert },
    });
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    certs?.remove();
  });

  /** Everything a BFF logs, as text. */
  function capture(): { logger: { level: string; stream: Writable }; text(): string } {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    return { logger: { level: 'trace', stream }, text: () => text };
  }

  it('reads https masters and agents with the right credentials, passthrough included', async () => {
    const logs = capture();
    const bff = await buildTestBff(
      cluster.masterUrls,
      2_000,
      {
        credentials: parseCredentials(`mesoscope:${SECRET}`, 'test'),
        tls: { ca: certs.ca },
        httpsEverywhere: true,
      },
      { logger: logs.logger },
    );
    try {
      await bff.poller.pollOnce();
      const ok = await status(bff);
      expect(ok).toMatchObject({ connected: true, lastError: null });
      const passthrough = await bff.app.inject('/mesos/master/state');
      expect(passthrough.statusCode).toBe(200);
      const agentId = cluster.agents[0]?.id ?? '';
      const agentState = await bff.app.inject(`/agent/${agentId}/slave(1)/state`);
      expect(agentState.statusCode).toBe(200);
      const task = await cluster.control.launchTask({ name: 'tls-sleeper', cmd: 'sleep 20' });
      await bff.poller.pollOnce();
      const sandbox = await bff.app.inject(
        `/api/sandbox?agent=${task.agentId}&framework=${task.frameworkId}&executor=${task.executorId}&task=${task.taskId}`,
      );
      expect(sandbox.json<SandboxView>().directory).toBe(task.directory);
      for (const body of [JSON.stringify(ok), passthrough.body, agentState.body, sandbox.body, logs.text()]) {
        expect(body).not.toContain(SECRET);
      }
    } finally {
      await bff.close();
    }
  });

  it('says clearly that Mesos refused wrong credentials, keeps serving, and never shows the secret', async () => {
    const wrong = `${SECRET}-but-wrong`;
    const logs = capture();
    const bff = await buildTestBff(
      cluster.masterUrls,
      2_000,
      {
        credentials: parseCredentials(`mesoscope:${wrong}`, 'test'),
        tls: { ca: certs.ca },
        httpsEverywhere: true,
      },
      { logger: logs.logger },
    );
    const errors: string[] = [];
    bff.poller.on('poll-error', (message) => errors.push(message));
    try {
      await bff.poller.pollOnce();
      const refused = await status(bff);
      expect(refused).toMatchObject({
        connected: false,
        lastErrorKind: 'unauthorized',
        lastError: "Mesos refused mesoscope's credentials (HTTP 401)",
      });
      const passthrough = await bff.app.inject('/mesos/master/state');
      expect(passthrough.statusCode).toBe(401);
      expect((await bff.app.inject('/healthz')).statusCode).toBe(200);
      const overview = await bff.app.inject('/api/overview');
      for (const body of [JSON.stringify(refused), passthrough.body, overview.body, logs.text(), ...errors]) {
        expect(body).not.toContain(wrong);
        expect(body).not.toContain(Buffer.from(`mesoscope:${wrong}`).toString('base64'));
      }
    } finally {
      await bff.close();
    }
  });

  it('explains an untrusted certificate', async () => {
    const bff = await buildTestBff(cluster.masterUrls, 2_000, {
      credentials: parseCredentials(`mesoscope:${SECRET}`, 'test'),
    });
    try {
      await bff.poller.pollOnce();
      const untrusted = await status(bff);
      expect(untrusted.connected).toBe(false);
      expect(untrusted.lastError).toMatch(/certificate is not trusted.*--ca-file/);
    } finally {
      await bff.close();
    }
  });
});
