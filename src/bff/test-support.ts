import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { ClusterPoller } from './model/cluster-poller';
import { LeaderDiscovery } from './upstream/leader-discovery';
import { MesosClient } from './upstream/mesos-client';

export interface TestBff {
  app: FastifyInstance;
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  close(): Promise<void>;
}

/** A BFF over the given masters, polled by hand (`poller.pollOnce()`), for `app.inject` tests. */
export async function buildTestBff(masters: string[], timeoutMs = 2_000): Promise<TestBff> {
  const client = new MesosClient({ timeoutMs });
  const discovery = new LeaderDiscovery(masters, client);
  const poller = new ClusterPoller({ client, discovery, intervalMs: 60_000 });
  const app = await buildApp({
    poller,
    discovery,
    client,
    mode: 'remote',
    masters,
    version: 'test',
    uiDir: null,
  });
  return {
    app,
    poller,
    discovery,
    close: async () => {
      poller.stop();
      await app.close();
      await client.close();
    },
  };
}
