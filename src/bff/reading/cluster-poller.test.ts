import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ZooKeeperElection } from '../../cluster/ha/zookeeper-election';
import { findZooKeeperClasspath, startZooKeeper, ZOOKEEPER_MISSING } from '../../cluster/ha/zookeeper-server';
import { parseZooKeeperUrl } from '../../mesos/zookeeper';
import { eventually } from '../../testing/eventually';
import { parseMasterSource } from '../upstream/master-source';
import { FIXTURE_NAMES, rawFixture } from '../../mesos/test-fixtures';
import { json, startFakeUpstream } from '../upstream/fake-upstream';
import type { FakeHandler, FakeUpstream } from '../upstream/fake-upstream';
import { LeaderDiscovery } from '../upstream/leader-discovery';
import type { MasterSource } from '../upstream/master-source';
import { MesosClient } from '../upstream/mesos-client';
import { ClusterPoller } from './cluster-poller';
import { parseMasterState } from '../../mesos';
import type { Raw } from '../../mesos/test-fixtures';
import { buildSnapshot } from '../model/cluster-snapshot';
import type { ClusterSnapshot } from '../model/cluster-snapshot';
import { taskIndex } from '../model/task-index';
import { visible } from '../model/test-task-index';

/** A real 0.27.1 master state (no `leader_info`), re-addressed to a fake master on this machine. */
function stateOf(url: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const state = structuredClone(rawFixture('v0.27.1-capgemini/master-state.json')) as Record<string, unknown>;
  const { host, port } = new URL(url);
  state['pid'] = `master@${host}`;
  state['leader'] = `master@${host}`;
  state['hostname'] = '127.0.0.1';
  state['id'] = `master-${port}`;
  return { ...state, ...patch };
}

/** A fake master: its own state, `/master/redirect` to itself, and whatever `override` says instead. */
function master(self: () => string, override?: FakeHandler): FakeHandler {
  return (req, res) => {
    if (override) return override(req, res);
    if (req.url?.startsWith('/master/redirect')) {
      return res.writeHead(307, { location: `//${new URL(self()).host}` }).end();
    }
    if (req.url?.startsWith('/master/state')) return json(stateOf(self()))(req, res);
    return json({ 'master/elected': 1 })(req, res);
  };
}

const started: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

async function fakeMaster(override?: FakeHandler): Promise<FakeUpstream> {
  let url = '';
  const fake = await startFakeUpstream(master(() => url, override));
  url = fake.url;
  started.push(fake);
  return fake;
}

function poller(source: MasterSource | string[], timeoutMs = 1_000) {
  const client = new MesosClient({ timeoutMs });
  const discovery = new LeaderDiscovery(source, client);
  const result = new ClusterPoller({ client, discovery, intervalMs: 60_000 });
  started.push({ close: () => client.close() }, { close: () => discovery.close() });
  return { poller: result, discovery };
}

describe('ClusterPoller against misbehaving masters', () => {
  it.each([
    ['slow (5 s)', 'timeout', ((_req, res) => setTimeout(() => res.end('{}'), 5_000).unref()) as FakeHandler],
    ['malformed JSON', 'malformed', ((_req, res) => res.end('{"slaves": [')) as FakeHandler],
    ['HTTP 500', 'http', ((_req, res) => res.writeHead(500).end('oops')) as FakeHandler],
    ['valid JSON that is no master state', 'invalid', json({ slaves: 'none' })],
    ['HTTP 401', 'unauthorized', ((_req, res) => res.writeHead(401).end()) as FakeHandler],
  ])('keeps the last good data when the leader turns %s, and says why', async (_what, kind, handler) => {
    const fake = await fakeMaster();
    const { poller: p } = poller([fake.url], 800);
    await p.pollOnce();
    const good = p.snapshot;
    expect(p.status).toMatchObject({ connected: true, lastError: null });
    expect(good?.state.slaves.length).toBe(3);

    fake.answer((req, res) =>
      req.url?.startsWith('/master/redirect') ? master(() => fake.url)(req, res) : handler(req, res),
    );
    const before = Date.now();
    await p.pollOnce();
    expect(Date.now() - before).toBeLessThan(2_500);
    expect(p.snapshot).toBe(good);
    expect(p.status).toMatchObject({ connected: false, lastErrorKind: kind, lastSuccessAt: good?.fetchedAt });
    expect(p.status.lastError).toBeTruthy();

    fake.answer(master(() => fake.url));
    await p.pollOnce();
    expect(p.status.connected).toBe(true);
    expect(p.snapshot?.version).toBe((good?.version ?? 0) + 1);
  });

  it('follows a 307 from a standby, records the new leader and when it changed', async () => {
    const next = await fakeMaster();
    const first = await fakeMaster();
    const { poller: p } = poller([first.url, next.url]);
    await p.pollOnce();
    expect(p.status.leader).toMatchObject({ url: first.url, id: `master-${new URL(first.url).port}` });
    expect(p.status.leaderChangedAt).toBeNull();

    // The first master lost the election: it now redirects everything to the next one.
    first.answer((req, res) =>
      res.writeHead(307, { location: `//${new URL(next.url).host}${req.url}` }).end(),
    );
    const before = Date.now();
    await p.pollOnce();
    expect(p.status.leader).toMatchObject({ url: next.url, id: `master-${new URL(next.url).port}` });
    expect(p.status.previousLeader?.url).toBe(first.url);
    expect(p.status.leaderChangedAt).toBeGreaterThanOrEqual(before);
  });

  it('reads the leader a Mesos 0.2x standby names in its own state (leader pid, no leader_info)', async () => {
    const leader = await fakeMaster();
    const standby = await fakeMaster((req, res) => {
      // Old masters answer /master/redirect with an absolute URL, and serve their own state.
      if (req.url?.startsWith('/master/redirect')) {
        return res.writeHead(307, { location: `http://${new URL(standby.url).host}` }).end();
      }
      const own = stateOf(standby.url, {
        leader: `master@${new URL(leader.url).host}`,
        slaves: [],
        frameworks: [],
      });
      return json(own)(req, res);
    });
    const { poller: p, discovery } = poller([standby.url, leader.url]);
    await p.pollOnce();
    expect(p.status.connected).toBe(true);
    expect(p.snapshot?.leaderUrl).toBe(leader.url);
    expect(p.snapshot?.state.slaves).toHaveLength(3);
    expect(discovery.leader).toBe(leader.url);

    // The same standby, when mesoscope was not given that leader: an error naming it, and nothing sent there.
    const { poller: alone } = poller([standby.url]);
    const asked = leader.requests.length;
    await alone.pollOnce();
    expect(alone.status).toMatchObject({ connected: false, lastErrorKind: 'redirect' });
    expect(alone.status.lastError).toContain(new URL(leader.url).host);
    expect(leader.requests.length).toBe(asked);
  });

  it('follows one standby only: a 307 to a 0.2x standby that names yet another master is an error', async () => {
    const leader = await fakeMaster();
    const standby = await fakeMaster((req, res) =>
      json(stateOf(standby.url, { leader: `master@${new URL(leader.url).host}`, slaves: [] }))(req, res),
    );
    // It says it leads (/master/redirect), then redirects its state: it lost the election meanwhile.
    const first = await fakeMaster((req, res) => {
      const to = req.url?.startsWith('/master/redirect') ? first.url : standby.url;
      res.writeHead(307, { location: `//${new URL(to).host}${req.url}` }).end();
    });
    const { poller: p } = poller([first.url, standby.url, leader.url]);
    await p.pollOnce();
    expect(p.status).toMatchObject({ connected: false, lastErrorKind: 'redirect' });
    expect(p.status.lastError).toContain(`it points to ${new URL(leader.url).host}`);
    expect(leader.requests.map((r) => r.path)).not.toContain('/master/state');
  });

  it('says there is no leader when a master knows none', async () => {
    const lonely = await fakeMaster((req, res) => {
      if (req.url?.startsWith('/master/redirect')) return res.writeHead(404).end();
      const { leader: _none, ...state } = stateOf(lonely.url);
      return json(state)(req, res);
    });
    const { poller: p } = poller([lonely.url]);
    await p.pollOnce();
    expect(p.status).toMatchObject({ connected: false, lastErrorKind: 'no-leader' });
    expect(p.status.lastError).toMatch(/not leading and knows no leader/);
  });

  it('uses a master without /master/redirect (404) as the candidate', async () => {
    const plain = await fakeMaster((req, res) =>
      req.url?.startsWith('/master/redirect') ? res.writeHead(404).end() : json(stateOf(plain.url))(req, res),
    );
    const { poller: p } = poller([plain.url]);
    await p.pollOnce();
    expect(p.status.connected).toBe(true);
  });

  it('reads a proxied master (DC/OS /mesos) under its prefix without chasing redirects', async () => {
    const proxy = await fakeMaster((req, res) => {
      if (!req.url?.startsWith('/mesos/')) return res.writeHead(404).end();
      // Behind the proxy, the leader would redirect to an address only the proxy can reach.
      if (req.url.startsWith('/mesos/master/redirect'))
        return res.writeHead(307, { location: '//10.0.0.9:5050' }).end();
      return json(stateOf('http://10.0.0.9:5050'))(req, res);
    });
    const { poller: p } = poller({ kind: 'proxy', url: `${proxy.url}/mesos` });
    await p.pollOnce();
    expect(p.status.connected).toBe(true);
    expect(p.snapshot?.leaderUrl).toBe(`${proxy.url}/mesos`);
    expect(proxy.requests.map((r) => r.path)).not.toContain('/mesos/master/redirect');
  });

  it.each(FIXTURE_NAMES.filter((name) => /master-state\.json$/.test(name)))(
    "accepts %s as the leader's state, as served (leader pid, no leader_info before 1.0)",
    async (name) => {
      const raw = rawFixture(name) as { pid: string; id: string };
      const fake = await fakeMaster(json(raw));
      const { poller: p } = poller({ kind: 'proxy', url: fake.url });
      await p.pollOnce();
      expect(p.status).toMatchObject({ connected: true, lastError: null });
      const [, ip, port] = /@(.+):(\d+)$/.exec(raw.pid) ?? [];
      expect(p.status.leader).toMatchObject({ url: fake.url, id: raw.id, port: Number(port) });
      expect(typeof ip).toBe('string');
    },
  );

  it('compares each poll of a master without the event stream with the one before: one task changed, one entry made anew', async () => {
    let state = stateOf('http://127.0.0.1:1');
    const fake = await fakeMaster((req, res) =>
      req.url?.startsWith('/master/state') ? json(state)(req, res) : json({ 'master/elected': 1 })(req, res),
    );
    state = stateOf(fake.url);
    const client = new MesosClient({ timeoutMs: 1_000 });
    const discovery = new LeaderDiscovery({ kind: 'proxy', url: fake.url }, client);
    const p = new ClusterPoller({ client, discovery, intervalMs: 60_000, read: 'poll' });
    started.push({ close: () => client.close() }, { close: () => discovery.close() });
    await p.pollOnce();
    const first = p.snapshot as ClusterSnapshot;
    const before = new Set(taskIndex(first).all());
    expect(before.size).toBeGreaterThan(20);

    // The next poll: one running task has failed, and nothing else changed.
    const frameworks = structuredClone(state['frameworks']) as Array<{
      tasks: Raw[];
      completed_tasks: Raw[];
    }>;
    const framework = frameworks.find((f) => f.tasks.length > 0) as { tasks: Raw[]; completed_tasks: Raw[] };
    const [failed] = framework.tasks.splice(0, 1) as [Raw];
    failed['state'] = 'TASK_FAILED';
    failed['statuses'] = [
      ...(failed['statuses'] as Raw[]),
      { state: 'TASK_FAILED', timestamp: 1_700_000_000 },
    ];
    framework.completed_tasks.push(failed);
    state = { ...state, frameworks };
    await p.pollOnce();
    const second = p.snapshot as ClusterSnapshot;
    expect(second).not.toBe(first);
    const after = taskIndex(second).all();
    const anew = after.filter((entry) => !before.has(entry));
    expect(anew.map((entry) => [entry.row.id, entry.row.state, entry.group])).toEqual([
      [failed['id'], 'TASK_FAILED', 'completed'],
    ]);
    expect(after).toHaveLength(before.size);
    // And the index is the one a fresh read of the same state makes.
    const fresh = buildSnapshot({
      version: 0,
      fetchedAt: 0,
      leaderUrl: fake.url,
      state: parseMasterState(structuredClone(state)),
      metrics: null,
    });
    expect(visible(taskIndex(second), second)).toEqual(visible(taskIndex(fresh), fresh));
  });
});

const zooKeeperMissing = findZooKeeperClasspath() === null;
if (zooKeeperMissing && process.env['CI'] !== 'true') console.warn(ZOOKEEPER_MISSING);

describe.skipIf(zooKeeperMissing && process.env['CI'] !== 'true')(
  'ClusterPoller found through ZooKeeper',
  () => {
    /** MasterInfo as a Mesos master writes it into its group's `json.info_` znode. */
    const masterInfo = (url: string) => {
      const { hostname, port } = new URL(url);
      return {
        id: `master-${port}`,
        hostname,
        port: Number(port),
        address: { hostname, ip: hostname, port: Number(port) },
      };
    };

    it('reads a leader ZooKeeper names while a read of the old one is under way, once that read fails', async () => {
      const zk = await startZooKeeper();
      started.push(zk);
      const url = zk.url('/mesos');
      const group = new ZooKeeperElection(parseZooKeeperUrl(url), url, () => undefined);
      started.push(group);
      await group.start();

      const stuck: ServerResponse[] = [];
      const old = await fakeMaster((req, res) => {
        if (req.url?.startsWith('/master/state')) stuck.push(res);
        else res.end('{}');
      });
      const next = await fakeMaster();
      await group.join('old', masterInfo(old.url));

      const client = new MesosClient({ timeoutMs: 30_000 });
      const discovery = new LeaderDiscovery(parseMasterSource(url), client);
      // A whole minute between reads: only the watch can bring the next leader's data in time.
      const p = new ClusterPoller({ client, discovery, intervalMs: 60_000, read: 'poll' });
      started.push(
        { close: () => client.close() },
        { close: () => discovery.close() },
        { close: () => p.stop() },
      );
      p.start();
      await eventually(() => stuck.length > 0 || undefined);

      // The old leader goes and the next one is elected while mesoscope still waits for the old one's state.
      await group.join('next', masterInfo(next.url));
      await group.leave('old');
      await eventually(
        () => discovery.leader ?? undefined,
        (leader) => leader === next.url,
      );
      for (const res of stuck) res.destroy();

      const read = await eventually(
        () => p.snapshot ?? undefined,
        (snapshot) => snapshot.leaderUrl === next.url,
        5_000,
      );
      expect(read.state.slaves.length).toBe(3);
      expect(p.status.connected).toBe(true);
      expect(discovery.leader).toBe(next.url);
    }, 30_000);
  },
);
