import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-helpers';
import { call, settled, startMarathonCluster } from './test-marathon';
import type { Json } from './test-marathon';

// Agents: agent-1 (rack-1, us-east, ssd), agent-2 (rack-2, us-east, hdd), agent-3 (rack-1, eu-west, ssd).
describe('local Marathon: constraints', () => {
  let cluster: Awaited<ReturnType<typeof startMarathonCluster>>;
  let m: string;
  beforeAll(async () => {
    cluster = await startMarathonCluster();
    m = cluster.marathonUrl;
  });
  afterAll(() => cluster.close());

  const deploy = async (id: string, instances: number, constraints: string[][]) => {
    const res = await call(m, 'POST', '/v2/apps', {
      id,
      cmd: 'sleep 600',
      instances,
      cpus: 0.05,
      mem: 8,
      constraints,
    });
    expect(res.status).toBe(201);
  };
  const hosts = async (id: string) => {
    const tasks = (await call(m, 'GET', `/v2/apps${id}/tasks`)).body.tasks as Json[];
    return tasks.map((t) => t.host as string).sort();
  };
  /** Waits until `count` tasks run and stay so (nothing more gets placed). */
  const running = (id: string, count: number) =>
    eventually(async () => {
      const { body } = await call(m, 'GET', `/v2/apps${id}`);
      return body.app.tasksRunning === count ? (body.app as Json) : undefined;
    }, 20_000);

  it('reports distinct agent hostnames and attributes in offers and state', async () => {
    const state = (await (await fetch(`${cluster.masterUrl}/master/slaves`)).json()) as Json;
    const agents = (state.slaves as Json[]).map((s) => [s.hostname, s.attributes, s.pid]);
    expect(agents).toEqual([
      [
        'agent-1.mesoscope.local',
        { rack: 'rack-1', region: 'us-east', disk: 'ssd', agent_index: 0 },
        expect.stringMatching(/@127\.0\.0\.1:/),
      ],
      [
        'agent-2.mesoscope.local',
        { rack: 'rack-2', region: 'us-east', disk: 'hdd', agent_index: 1 },
        expect.stringMatching(/@127\.0\.0\.1:/),
      ],
      [
        'agent-3.mesoscope.local',
        { rack: 'rack-1', region: 'eu-west', disk: 'ssd', agent_index: 2 },
        expect.stringMatching(/@127\.0\.0\.1:/),
      ],
    ]);
  });

  it('places by every operator', async () => {
    await deploy('/c/unique', 2, [['hostname', 'UNIQUE']]);
    await deploy('/c/cluster', 2, [['rack', 'CLUSTER', 'rack-2']]);
    await deploy('/c/cluster-any', 3, [['region', 'CLUSTER']]);
    await deploy('/c/group-by', 4, [['rack', 'GROUP_BY', '2']]);
    await deploy('/c/like', 4, [['hostname', 'LIKE', 'agent-[12]\\..*']]);
    await deploy('/c/unlike', 2, [['disk', 'UNLIKE', 'ssd']]);
    await deploy('/c/max-per', 2, [['rack', 'MAX_PER', '1']]);
    await deploy('/c/is', 2, [['region', 'IS', 'eu-west']]);
    await settled(m, '/c/unique', 2);
    expect(new Set(await hosts('/c/unique')).size).toBe(2);
    await settled(m, '/c/cluster', 2);
    expect(await hosts('/c/cluster')).toEqual(['agent-2.mesoscope.local', 'agent-2.mesoscope.local']);
    await settled(m, '/c/cluster-any', 3);
    const anyRegion = await hosts('/c/cluster-any');
    const regionOf = (h: string) => (h.startsWith('agent-3') ? 'eu-west' : 'us-east');
    expect(new Set(anyRegion.map(regionOf)).size).toBe(1);
    await settled(m, '/c/group-by', 4);
    const racks = (await hosts('/c/group-by')).map((h) => (h.startsWith('agent-2') ? 'rack-2' : 'rack-1'));
    expect(racks.filter((r) => r === 'rack-2')).toHaveLength(2);
    await settled(m, '/c/like', 4);
    expect((await hosts('/c/like')).every((h) => !h.startsWith('agent-3'))).toBe(true);
    await settled(m, '/c/unlike', 2);
    expect(await hosts('/c/unlike')).toEqual(['agent-2.mesoscope.local', 'agent-2.mesoscope.local']);
    await settled(m, '/c/max-per', 2);
    expect((await hosts('/c/max-per')).some((h) => h.startsWith('agent-2'))).toBe(true);
    await settled(m, '/c/is', 2);
    expect(await hosts('/c/is')).toEqual(['agent-3.mesoscope.local', 'agent-3.mesoscope.local']);
  });

  it('leaves what cannot be placed waiting, its deployment in /v2/deployments, until it can', async () => {
    // LIKE matches the whole hostname: `agent-1` alone matches no agent.
    await deploy('/w/like-whole', 1, [['hostname', 'LIKE', 'agent-1']]);
    await deploy('/w/unique', 5, [['hostname', 'UNIQUE']]);
    await running('/w/unique', 3);
    await new Promise((r) => setTimeout(r, 1500));
    const app = (await call(m, 'GET', '/v2/apps/w/unique')).body.app as Json;
    expect(app).toMatchObject({ tasksRunning: 3, instances: 5 });
    expect(app.deployments).toHaveLength(1);
    const deployments = (await call(m, 'GET', '/v2/deployments')).body as Json[];
    expect(deployments.find((d) => d.id === app.deployments[0].id)).toMatchObject({
      affectedApps: ['/w/unique'],
      currentActions: [{ action: 'ScaleApplication', app: '/w/unique' }],
    });
    const queue = (await call(m, 'GET', '/v2/queue')).body.queue as Json[];
    expect(queue.find((q) => q.app.id === '/w/unique')).toMatchObject({ count: 2 });
    expect((await call(m, 'GET', '/v2/apps/w/like-whole')).body.app.tasksRunning).toBe(0);
    // Scaling to what fits (forced past the stuck deployment) lets it finish.
    const scaled = await call(m, 'PUT', '/v2/apps/w/unique?force=true', { instances: 3 });
    expect(scaled.status).toBe(200);
    await settled(m, '/w/unique', 3);
  });
});
