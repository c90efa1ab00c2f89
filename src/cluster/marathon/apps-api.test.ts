import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, getJson } from '../test-helpers';
import type { MasterStateJson } from '../test-helpers';
import { call, settled, startMarathonCluster } from './test-marathon';
import type { Json } from './test-marathon';

describe('local Marathon: apps', () => {
  let cluster: Awaited<ReturnType<typeof startMarathonCluster>>;
  let m: string;
  beforeAll(async () => {
    cluster = await startMarathonCluster();
    m = cluster.marathonUrl;
  });
  afterAll(() => cluster.close());

  it('registers as the framework `marathon` with its URL and answers /ping, /v2/info, /v2/leader', async () => {
    expect((await call(m, 'GET', '/ping')).text).toBe('pong');
    const info = (await call(m, 'GET', '/v2/info')).body;
    expect(info).toMatchObject({ name: 'marathon', elected: true, leader: new URL(m).host });
    expect((await call(m, 'GET', '/v2/leader')).body).toEqual({ leader: new URL(m).host });
    const state = await getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);
    const frameworks = state.frameworks.filter((f) => f.name === 'marathon');
    expect(frameworks).toMatchObject([{ id: info.frameworkId, webui_url: m, active: true }]);
  });

  it('creates an app, runs its tasks with the environment Marathon sets, scales and deletes it', async () => {
    const created = await call(m, 'POST', '/v2/apps', {
      id: 'env-app',
      cmd: 'env > env.txt; sleep 600',
      instances: 2,
      cpus: 0.1,
      mem: 16,
      env: { GREETING: 'hi' },
      portDefinitions: [{ port: 0, name: 'http' }, { port: 0 }],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v2/apps/env-app');
    const deploymentId = created.headers.get('marathon-deployment-id');
    expect(created.body).toMatchObject({
      id: '/env-app',
      instances: 2,
      deployments: [{ id: deploymentId }],
      tasksRunning: 0,
      versionInfo: { lastConfigChangeAt: created.body.version },
    });
    const servicePorts = (created.body.portDefinitions as Json[]).map((p) => p.port);
    expect(servicePorts.every((p) => p >= 10000)).toBe(true);
    expect((await call(m, 'POST', '/v2/apps', { id: '/env-app', cmd: 'x' })).status).toBe(409);

    const app = await settled(m, '/env-app', 2);
    const task = (app.tasks as Json[])[0] as Json;
    expect(task).toMatchObject({
      appId: '/env-app',
      state: 'TASK_RUNNING',
      servicePorts,
      version: app.version,
    });
    expect(task.id).toMatch(/^env-app\.instance-[0-9a-f-]+\._app\.1$/);
    const agent = cluster.agents.find((a) => a.id === task.slaveId);
    const env = await eventually(async () => {
      const sandbox = readSandbox(agent?.workDir ?? '', task.id);
      return sandbox.includes('PORTS=') ? sandbox : undefined;
    });
    const [p0, p1] = task.ports as number[];
    expect(env).toContain(`PORT0=${p0}`);
    expect(env).toContain(`PORT1=${p1}`);
    expect(env).toContain(`PORT=${p0}`);
    expect(env).toContain(`PORTS=${p0},${p1}`);
    expect(env).toContain(`PORT_HTTP=${p0}`);
    expect(env).toContain(`PORT_${servicePorts[0]}=${p0}`);
    expect(env).toContain('MARATHON_APP_ID=/env-app');
    expect(env).toContain(`MARATHON_APP_VERSION=${app.version}`);
    expect(env).toContain(`MESOS_TASK_ID=${task.id}`);
    expect(env).toContain(`HOST=${task.host}`);
    expect(env).toContain('GREETING=hi');

    const scaled = await call(m, 'PUT', '/v2/apps/env-app', { instances: 3 });
    expect(scaled.status).toBe(200);
    expect(scaled.body).toEqual({
      version: expect.any(String),
      deploymentId: scaled.headers.get('marathon-deployment-id'),
    });
    const three = await settled(m, '/env-app', 3);
    // Scaling is not a config change: the first tasks keep running.
    expect((three.tasks as Json[]).map((t) => t.id)).toEqual(expect.arrayContaining([task.id]));
    expect(three.versionInfo.lastConfigChangeAt).toBe(app.versionInfo.lastConfigChangeAt);
    expect((await call(m, 'GET', '/v2/apps/env-app/versions')).body.versions).toHaveLength(2);

    await call(m, 'PUT', '/v2/apps/env-app?force=TRUE', { instances: 0 });
    const suspended = await settled(m, '/env-app', 0);
    expect(suspended.instances).toBe(0);

    const deleted = await call(m, 'DELETE', '/v2/apps/env-app');
    expect(deleted.status).toBe(200);
    await eventually(async () =>
      (await call(m, 'GET', '/v2/apps/env-app')).status === 404 ? true : undefined,
    );
    expect((await call(m, 'GET', '/v2/apps/env-app')).body).toEqual({
      message: "App '/env-app' does not exist",
    });
  });

  it('gives instances on agents of one machine different host ports, so that each can listen on its own', async () => {
    await call(m, 'POST', '/v2/apps', {
      id: '/listeners',
      cmd: 'exec python3 -m http.server "$PORT0" --bind 127.0.0.1',
      instances: 3,
      cpus: 0.1,
      mem: 32,
      constraints: [['hostname', 'UNIQUE']],
      portDefinitions: [{ port: 0 }],
      healthChecks: [
        {
          protocol: 'TCP',
          portIndex: 0,
          gracePeriodSeconds: 30,
          intervalSeconds: 1,
          maxConsecutiveFailures: 0,
        },
      ],
    });
    const app = await settled(m, '/listeners', 3, 30_000);
    const tasks = app.tasks as Json[];
    expect(new Set(tasks.map((t) => t.host)).size).toBe(3);
    expect(new Set(tasks.map((t) => (t.ports as number[])[0])).size).toBe(3);
    const { body } = await call(m, 'GET', '/v2/apps/listeners?embed=app.lastTaskFailure');
    expect(body.app.lastTaskFailure).toBeUndefined();
    await call(m, 'DELETE', '/v2/apps/listeners?force=true');
  });

  it('replaces a task that exits, after the app backoff, and records the failure', async () => {
    await call(m, 'POST', '/v2/apps', {
      id: '/flaky',
      cmd: 'sleep 0.3; exit 3',
      cpus: 0.1,
      mem: 16,
      backoffSeconds: 1,
      backoffFactor: 2,
      maxLaunchDelaySeconds: 4,
    });
    const app = await eventually(async () => {
      const { body } = await call(m, 'GET', '/v2/apps/flaky?embed=app.lastTaskFailure&embed=app.counts');
      return body.app.lastTaskFailure ? (body.app as Json) : undefined;
    });
    expect(app.lastTaskFailure).toMatchObject({
      appId: '/flaky',
      state: 'TASK_FAILED',
      host: expect.any(String),
    });
    const queue = await eventually(async () => {
      const { body } = await call(m, 'GET', '/v2/queue');
      const item = (body.queue as Json[]).find((q) => q.app.id === '/flaky');
      return item && item.delay.timeLeftSeconds > 0 ? item : undefined;
    });
    expect(queue).toMatchObject({ count: 1, delay: { overdue: false } });
    expect((await call(m, 'DELETE', '/v2/queue/flaky/delay')).status).toBe(204);
    await call(m, 'DELETE', '/v2/apps/flaky?force=true');
  });

  it('kills a task and replaces it, or scales down with scale=true', async () => {
    await call(m, 'POST', '/v2/apps', { id: '/killme', cmd: 'sleep 600', instances: 2, cpus: 0.1, mem: 16 });
    const app = await settled(m, '/killme', 2);
    const [first, second] = app.tasks as [Json, Json];
    const killed = await call(m, 'DELETE', `/v2/apps/killme/tasks/${first.id}`);
    expect(killed.body.task).toMatchObject({ id: first.id });
    const replaced = await eventually(async () => {
      const current = await settled(m, '/killme', 2);
      const ids = (current.tasks as Json[]).map((t) => t.id);
      return !ids.includes(first.id) ? ids : undefined;
    });
    expect(replaced).toContain(second.id);
    const scaled = await call(m, 'POST', '/v2/tasks/delete?scale=true', { ids: [second.id] });
    expect(scaled.body).toMatchObject({ deploymentId: expect.any(String) });
    const one = await settled(m, '/killme', 1);
    expect(one.instances).toBe(1);
    const all = (await call(m, 'GET', '/v2/tasks')).body.tasks as Json[];
    expect(all.filter((t) => t.appId === '/killme')).toHaveLength(1);
    await call(m, 'DELETE', '/v2/apps/killme');
  });

  it('restarts an app: every task is replaced by one of the new version', async () => {
    await call(m, 'POST', '/v2/apps', {
      id: '/restartme',
      cmd: 'sleep 600',
      instances: 2,
      cpus: 0.1,
      mem: 16,
    });
    const before = await settled(m, '/restartme', 2);
    const restarted = await call(m, 'POST', '/v2/apps/restartme/restart');
    expect(restarted.status).toBe(200);
    expect(restarted.body.deploymentId).toBe(restarted.headers.get('marathon-deployment-id'));
    const after = await eventually(async () => {
      const app = await settled(m, '/restartme', 2);
      return app.versionInfo.lastConfigChangeAt !== before.versionInfo.lastConfigChangeAt ? app : undefined;
    });
    const oldIds = (before.tasks as Json[]).map((t) => t.id);
    expect((after.tasks as Json[]).some((t) => oldIds.includes(t.id))).toBe(false);
    await call(m, 'DELETE', '/v2/apps/restartme');
  });
});

function readSandbox(agentWorkDir: string, taskId: string): string {
  try {
    const base = join(agentWorkDir, 'slaves');
    const found = execFileSync('find', [base, '-path', `*${taskId}*`, '-name', 'env.txt'])
      .toString()
      .trim()
      .split('\n')[0];
    return found ? readFileSync(found, 'utf8') : '';
  } catch {
    return '';
  }
}
