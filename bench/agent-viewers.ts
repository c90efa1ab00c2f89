/**
 * `npm run bench -- agent-viewers [--smoke]`: what many browsers on one agent's page cost the agent. The Mesos
 * UI has every browser read the agent's state, metrics and monitor itself (the monitor twice); mesoscope
 * reads each agent once per interval for everyone. Counts the requests that reach the agent for 1 viewer and
 * for N viewers asking at once (cold, then again within the interval), with the BFF's answer times.
 */
import { startCluster } from '../src/cluster';
import { buildApp } from '../src/bff/app';
import { ClusterPoller } from '../src/bff/reading/cluster-poller';
import { LeaderDiscovery } from '../src/bff/upstream/leader-discovery';
import { MesosClient } from '../src/bff/upstream/mesos-client';
import type { Bench, BenchResult } from './bench-table';

/** A Mesos client that counts the requests it sends to one address. */
class CountingClient extends MesosClient {
  count = 0;
  constructor(private readonly watched: string) {
    super({ timeoutMs: 5_000 });
  }
  override async getText(base: string, path: string): ReturnType<MesosClient['getText']> {
    if (base.startsWith(this.watched)) this.count += 1;
    return super.getText(base, path);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const agentViewersBench: Bench = {
  name: 'agent-viewers',
  description:
    'requests reaching an agent when N browsers open its page at once (single flight, shared cache)',
  async run({ smoke }): Promise<BenchResult> {
    const viewers = smoke ? 20 : 500;
    const cluster = await startCluster({ agents: 1, scenario: 'empty' });
    const agent = cluster.agents[0];
    if (!agent) throw new Error('no agent');
    const client = new CountingClient(agent.url);
    const discovery = new LeaderDiscovery([cluster.masterUrl], client);
    const poller = new ClusterPoller({ client, discovery, intervalMs: 60_000 });
    const app = await buildApp({
      poller,
      discovery,
      client,
      mode: 'remote',
      masters: [cluster.masterUrl],
      version: 'bench',
      uiDir: null,
    });
    try {
      for (let i = 0; i < 4; i += 1) {
        await cluster.control.launchTask({ name: `sleeper-${i}`, cmd: 'while true; do sleep 1; done' });
      }
      await poller.pollOnce();
      const url = `/api/agents/${encodeURIComponent(agent.id)}`;
      const round = async (count: number) => {
        const before = client.count;
        const times = await Promise.all(
          Array.from({ length: count }, async () => {
            const started = performance.now();
            const response = await app.inject({ method: 'GET', url });
            if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
            return performance.now() - started;
          }),
        );
        return { requests: client.count - before, times };
      };
      const single = await round(1);
      // Let the shared reading go stale (2 s), so the crowd arrives cold.
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      const crowdCold = await round(viewers);
      const crowdWarm = await round(viewers);
      const direct = performance.now();
      await client.getJson(agent.url, '/slave(1)/state');
      const directMs = performance.now() - direct;
      const row = (label: string, result: { requests: number; times: number[] }) => ({
        viewers: label,
        'requests to the agent': result.requests,
        'per viewer': result.requests / result.times.length,
        'answer p50 ms': percentile(result.times, 50),
        'answer p95 ms': percentile(result.times, 95),
      });
      return {
        title: `${viewers} browsers on one agent page`,
        rows: [
          row('1 (cold)', single),
          row(`${viewers} at once (cold)`, crowdCold),
          row(`${viewers} at once (within 2 s)`, crowdWarm),
        ],
        notes: [
          `The Mesos UI: every browser sends 4 requests per refresh (state, metrics, monitor twice) = ${4 * viewers} for ${viewers} browsers.`,
          `A cold read includes the 500 ms between the two monitor samples (CPU as a rate); one direct /state read took ${directMs.toFixed(1)} ms.`,
        ],
      };
    } finally {
      poller.stop();
      await app.close();
      await client.close();
      await cluster.close();
    }
  },
};
