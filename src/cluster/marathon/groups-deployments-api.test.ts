import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-helpers';
import { call, noDeployments, settled, startMarathonCluster } from './test-marathon';
import type { Json } from './test-marathon';

const app = (id: string, extra: Json = {}) => ({ id, cmd: 'sleep 600', cpus: 0.05, mem: 8, ...extra });

describe('local Marathon: groups and deployments', () => {
  let cluster: Awaited<ReturnType<typeof startMarathonCluster>>;
  let m: string;
  const events: Json[] = [];
  let stopEvents: () => void = () => undefined;
  beforeAll(async () => {
    cluster = await startMarathonCluster();
    m = cluster.marathonUrl;
    const controller = new AbortController();
    stopEvents = () => controller.abort();
    const res = await fetch(`${m}/v2/events`, { signal: controller.signal });
    const reader = res.body?.getReader();
    let buffer = '';
    void (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        buffer += Buffer.from(chunk.value).toString('utf8');
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, end));
          if (data?.[1]) events.push(JSON.parse(data[1]) as Json);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    })().catch(() => undefined);
  });
  afterAll(async () => {
    stopEvents();
    await cluster.close();
  });

  it('starts a group in dependency order, scales it by a factor and stops it', async () => {
    const created = await call(m, 'POST', '/v2/groups', {
      id: '/shop',
      apps: [app('web', { dependencies: ['/shop/api'] }), app('api', { dependencies: ['db'] }), app('db')],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v2/groups/shop');
    const deploymentId = created.body.deploymentId as string;
    const plan = ((await call(m, 'GET', '/v2/deployments')).body as Json[]).find(
      (d) => d.id === deploymentId,
    );
    expect(plan?.steps).toEqual([
      { actions: expect.arrayContaining([{ action: 'StartApplication', app: '/shop/db' }]) },
      { actions: [{ action: 'ScaleApplication', app: '/shop/db' }] },
      { actions: [{ action: 'ScaleApplication', app: '/shop/api' }] },
      { actions: [{ action: 'ScaleApplication', app: '/shop/web' }] },
    ]);
    await noDeployments(m);
    const started = (id: string) =>
      events.find(
        (e) => e.eventType === 'status_update_event' && e.appId === id && e.taskStatus === 'TASK_RUNNING',
      );
    const order = ['/shop/db', '/shop/api', '/shop/web'].map((id) => events.indexOf(started(id) as Json));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(events.some((e) => e.eventType === 'deployment_success' && e.id === deploymentId)).toBe(true);

    const group = (await call(m, 'GET', '/v2/groups/shop')).body;
    expect(group).toMatchObject({ id: '/shop', dependencies: [], groups: [], pods: [] });
    expect((group.apps as Json[]).map((a) => a.id)).toEqual(['/shop/api', '/shop/db', '/shop/web']);
    expect(((await call(m, 'GET', '/v2/groups')).body.groups as Json[]).map((g) => g.id)).toEqual(['/shop']);

    const scaled = await call(m, 'PUT', '/v2/groups/shop', { scaleBy: 2 });
    expect(scaled.status).toBe(200);
    await settled(m, '/shop/web', 2);

    const cyclic = await call(m, 'PUT', '/v2/groups/shop', {
      apps: [app('a', { dependencies: ['/shop/b'] }), app('b', { dependencies: ['/shop/a'] })],
    });
    expect(cyclic.status).toBe(422);
    expect(cyclic.body).toEqual({
      message: 'Object is not valid',
      details: [{ path: '/', errors: ['Dependency graph has cyclic dependencies.'] }],
    });
    expect((await call(m, 'GET', '/v2/apps/shop/web')).body.app.instances).toBe(2);

    const deleted = await call(m, 'DELETE', '/v2/groups/shop');
    expect(deleted.status).toBe(200);
    await noDeployments(m);
    expect((await call(m, 'GET', '/v2/apps')).body.apps).toEqual([]);
    expect((await call(m, 'GET', '/v2/groups/shop')).status).toBe(404);
  });

  it('rolls back a deployment that cannot finish, and deletes one with force', async () => {
    await call(m, 'POST', '/v2/apps', app('/rb', { instances: 1 }));
    await settled(m, '/rb', 1);
    // 200 instances cannot fit on three agents with 4 CPUs each: this deployment stays.
    const big = await call(m, 'PUT', '/v2/apps/rb', { instances: 200, cpus: 0.1 });
    const stuck = big.body.deploymentId as string;
    await new Promise((r) => setTimeout(r, 1000));
    expect(((await call(m, 'GET', '/v2/deployments')).body as Json[]).map((d) => d.id)).toContain(stuck);
    const locked = await call(m, 'PUT', '/v2/apps/rb', { instances: 2 });
    expect(locked.status).toBe(409);
    expect(locked.body).toMatchObject({
      message: expect.stringContaining('App is locked by one or more deployments.'),
      deployments: [{ id: stuck }],
    });
    const rollback = await call(m, 'DELETE', `/v2/deployments/${stuck}`);
    expect(rollback.status).toBe(200);
    expect(rollback.body.deploymentId).not.toBe(stuck);
    const restored = await settled(m, '/rb', 1);
    expect(restored).toMatchObject({ instances: 1, cpus: 0.05 });

    const again = await call(m, 'PUT', '/v2/apps/rb', { instances: 200 });
    const forced = await call(m, 'DELETE', `/v2/deployments/${again.body.deploymentId}?force=true`);
    expect(forced.status).toBe(202);
    expect((await call(m, 'GET', '/v2/deployments')).body).toEqual([]);
    expect((await call(m, 'DELETE', '/v2/deployments/nope')).body).toEqual({
      message: 'DeploymentPlan nope does not exist',
    });
    await call(m, 'DELETE', '/v2/apps/rb?force=true');
  });

  it('restarts within upgradeStrategy: never fewer healthy than minimumHealthCapacity', async () => {
    await call(
      m,
      'POST',
      '/v2/apps',
      app('/rolling', {
        instances: 4,
        upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
      }),
    );
    await settled(m, '/rolling', 4);
    let lowest = 4;
    let highest = 0;
    let done = false;
    const watch = (async () => {
      while (!done) {
        const { body } = await call(m, 'GET', '/v2/apps/rolling');
        lowest = Math.min(lowest, body.app.tasksRunning as number);
        highest = Math.max(highest, (body.app.tasks as Json[]).length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await call(m, 'PUT', '/v2/apps/rolling', { cmd: 'sleep 601' });
    await eventually(async () => {
      const a = await settled(m, '/rolling', 4);
      return a.cmd === 'sleep 601' && (a.tasks as Json[]).every((t) => t.version === a.version)
        ? a
        : undefined;
    }, 30_000);
    done = true;
    await watch;
    expect(lowest).toBeGreaterThanOrEqual(2);
    expect(highest).toBeLessThanOrEqual(4);
  });
});
