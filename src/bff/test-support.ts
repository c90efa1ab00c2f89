import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { AppDeps } from './app';
import { ClusterPoller } from './reading/cluster-poller';
import type { ClusterPollerOptions } from './reading/cluster-poller';
import { LeaderDiscovery } from './upstream/leader-discovery';
import type { MasterSource } from './upstream/master-source';
import { sourceLabels } from './upstream/master-source';
import { MesosClient } from './upstream/mesos-client';
import type { MesosClientOptions } from './upstream/mesos-client';

export interface TestBff {
  app: FastifyInstance;
  poller: ClusterPoller;
  discovery: LeaderDiscovery;
  close(): Promise<void>;
}

/**
 * A BFF over the given masters (URLs or any `--master` source), polled by hand (`poller.pollOnce()`), for
 * `app.inject` tests; `client` adds credentials or TLS settings.
 */
export async function buildTestBff(
  source: string[] | MasterSource,
  timeoutMs = 2_000,
  client: Omit<MesosClientOptions, 'timeoutMs'> = {},
  extra: {
    intervalMs?: number;
    logger?: AppDeps['logger'];
    read?: ClusterPollerOptions['read'];
    stream?: ClusterPollerOptions['stream'];
  } & Pick<
    AppDeps,
    | 'rateLimits'
    | 'access'
    | 'acceptedHosts'
    | 'signInThrottle'
    | 'mesosDns'
    | 'marathons'
    | 'fileTailTtlMs'
    | 'taskStore'
  > = {},
): Promise<TestBff> {
  const mesos = new MesosClient({ timeoutMs, ...client });
  const discovery = new LeaderDiscovery(source, mesos);
  const masters = Array.isArray(source) ? source : sourceLabels(source);
  const poller = new ClusterPoller({
    client: mesos,
    discovery,
    intervalMs: extra.intervalMs ?? 60_000,
    read: extra.read,
    stream: extra.stream,
  });
  const app = await buildApp({
    poller,
    discovery,
    client: mesos,
    mode: 'remote',
    masters,
    version: 'test',
    uiDir: null,
    logger: extra.logger,
    rateLimits: extra.rateLimits,
    mesosDns: extra.mesosDns,
    access: extra.access,
    acceptedHosts: extra.acceptedHosts,
    signInThrottle: extra.signInThrottle,
    marathons: extra.marathons,
    fileTailTtlMs: extra.fileTailTtlMs,
    taskStore: extra.taskStore,
  });
  return {
    app,
    poller,
    discovery,
    close: async () => {
      poller.stop();
      discovery.close();
      await app.close();
      await mesos.close();
    },
  };
}
