import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../cluster';
import type { LocalCluster } from '../../cluster';
import { buildApp } from '../app';
import { ClusterPoller } from '../reading/cluster-poller';
import type { WallView, HistoryView } from '../schemas/wall';
import { LeaderDiscovery } from '../upstream/leader-discovery';
import { MesosClient } from '../upstream/mesos-client';

/** A BFF as server.ts builds it, with a poller whose clock moves 10 s per poll (past the sample spacing). */
async function startBff(masterUrl: string, dataDir: string, clockStart: number) {
  let clock = clockStart;
  const client = new MesosClient({ timeoutMs: 2_000 });
  const discovery = new LeaderDiscovery([masterUrl], client);
  const poller = new ClusterPoller({ client, discovery, intervalMs: 60_000, now: () => clock });
  const warnings: string[] = [];
  const app: FastifyInstance = await buildApp({
    poller,
    discovery,
    client,
    mode: 'remote',
    masters: [masterUrl],
    version: 'test',
    uiDir: null,
    dataDir,
    warn: (message) => warnings.push(message),
  });
  return {
    app,
    warnings,
    poll: async () => {
      clock += 10_000;
      await poller.pollOnce();
    },
    close: async () => {
      poller.stop();
      await app.close();
      await client.close();
    },
  };
}

const filled = (view: HistoryView) => view.points.filter((point) => point.cpusTotal !== null);

describe('history across a BFF restart (real local cluster)', () => {
  let cluster: LocalCluster;
  let dataDir: string;

  beforeAll(async () => {
    cluster = await startCluster({ agents: 2 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-data-'));
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the samples recorded before the restart at once, before the first poll', async () => {
    const start = Date.now() - 5 * 60_000;
    const first = await startBff(cluster.masterUrl, dataDir, start);
    for (let i = 0; i < 4; i += 1) await first.poll();
    const before = (await first.app.inject('/api/history?window=1h')).json<HistoryView>();
    expect(before.samples).toBe(4);
    expect(before.persistence).toBe('disk');
    expect(filled(before)).toHaveLength(4);
    expect(filled(before)[0]?.cpusTotal).toBe(8); // 2 agents × 4 cpus
    const wall = (await first.app.inject('/api/wall')).json<WallView>();
    expect(wall.agentCells).toHaveLength(2);
    await first.close();

    const second = await startBff(cluster.masterUrl, dataDir, start + 60_000);
    // No poll yet: the cluster views have nothing, the history has everything.
    expect((await second.app.inject('/api/wall')).statusCode).toBe(503);
    const after = (await second.app.inject('/api/history?window=1h')).json<HistoryView>();
    expect(after.samples).toBe(4);
    // (The window may have slid by a step in between: compare the points that hold samples.)
    expect(filled(after)).toEqual(filled(before));
    expect(after.latestAt).toBe(before.latestAt);

    await second.poll();
    const grown = (await second.app.inject('/api/history?window=1h')).json<HistoryView>();
    expect(grown.samples).toBe(5);
    expect(second.warnings).toEqual([]);
    await second.close();
  });

  it('answers 304 to an unchanged history and 400 to an unknown window', async () => {
    const bff = await startBff(cluster.masterUrl, dataDir, Date.now());
    const first = await bff.app.inject('/api/history?window=6h');
    expect(first.statusCode).toBe(200);
    const etag = first.headers['etag'] as string;
    const again = await bff.app.inject({ url: '/api/history?window=6h', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    const bad = await bff.app.inject('/api/history?window=7d');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: expect.stringMatching(/1h, 6h, 24h/) });
    await bff.close();
  });

  it('keeps the history of another cluster behind the same URL apart, and counts no failures across', async () => {
    const port = new URL(cluster.masterUrl).port;
    const dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-data-'));
    const start = Date.now() - 5 * 60_000;
    const ours = await startBff(cluster.masterUrl, dir, start);
    for (let i = 0; i < 3; i += 1) await ours.poll();
    await ours.close();
    await cluster.close();

    // Another cluster, by another name, now answers at the very same address.
    const other = await startCluster({ agents: 1, masterPort: Number(port), clusterName: 'elsewhere' });
    try {
      const bff = await startBff(other.masterUrl, dir, start + 60_000);
      // Before its first answer, the last cluster seen there is the best guess.
      expect((await bff.app.inject('/api/history?window=1h')).json<HistoryView>().samples).toBe(3);
      await bff.poll();
      await bff.poll();
      const view = (await bff.app.inject('/api/history?window=1h')).json<HistoryView>();
      expect(view.samples).toBe(2);
      expect(filled(view).map((point) => point.cpusTotal)).toEqual([4, 4]);
      expect(view.failures.every((bar) => bar.perMinute === null || bar.perMinute === 0)).toBe(true);
      expect(bff.warnings.join('\n')).toMatch(/the cluster is now cluster-[0-9a-f]{8}-elsewhere-/);
      await bff.close();
    } finally {
      await other.close();
      cluster = await startCluster({ agents: 2 });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
