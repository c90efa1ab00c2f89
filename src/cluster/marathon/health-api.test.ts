import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-helpers';
import { call, settled, startMarathonCluster } from './test-marathon';
import type { Json } from './test-marathon';

/** A shell web server on $PORT0 answering every request with `status` (busybox-free: a node one-liner). */
const server = (status: number) =>
  `exec node -e "require('http').createServer((q,s)=>{s.writeHead(${status});s.end('ok')}).listen(process.env.PORT0,'127.0.0.1')"`;

describe('local Marathon: health checks', () => {
  let cluster: Awaited<ReturnType<typeof startMarathonCluster>>;
  let m: string;
  beforeAll(async () => {
    cluster = await startMarathonCluster();
    m = cluster.marathonUrl;
  });
  afterAll(() => cluster.close());

  const check = (protocol: string, extra: Json = {}) => ({
    protocol,
    gracePeriodSeconds: 5,
    intervalSeconds: 1,
    timeoutSeconds: 1,
    maxConsecutiveFailures: 2,
    ...extra,
  });

  it('counts tasks healthy by HTTP, TCP and COMMAND checks, with their results', async () => {
    await call(m, 'POST', '/v2/apps', {
      id: '/healthy',
      cmd: server(200),
      instances: 2,
      cpus: 0.1,
      mem: 32,
      healthChecks: [
        check('HTTP', { path: '/health', portIndex: 0 }),
        check('TCP', { portIndex: 0 }),
        check('MESOS_HTTP', { path: '/' }),
        check('COMMAND', { command: { value: 'true' } }),
      ],
    });
    const app = await settled(m, '/healthy', 2);
    expect(app.tasksHealthy).toBe(2);
    expect(app.tasksUnhealthy).toBe(0);
    const [task] = app.tasks as Json[];
    expect(task?.healthCheckResults).toHaveLength(4);
    expect(task?.healthCheckResults[0]).toMatchObject({
      alive: true,
      consecutiveFailures: 0,
      firstSuccess: expect.stringMatching(/Z$/),
      taskId: task?.id,
    });
  });

  it('kills a task whose HTTP check keeps failing and replaces it', async () => {
    const events: string[] = [];
    const stream = await fetch(`${m}/v2/events?event_type=unhealthy_task_kill_event`);
    const reader = stream.body?.getReader();
    void (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        events.push(Buffer.from(chunk.value).toString('utf8'));
      }
    })().catch(() => undefined);
    await call(m, 'POST', '/v2/apps', {
      id: '/sick',
      cmd: server(500),
      cpus: 0.1,
      mem: 32,
      backoffSeconds: 0,
      healthChecks: [check('HTTP', { gracePeriodSeconds: 0 })],
    });
    const failure = await eventually(async () => {
      const { body } = await call(m, 'GET', '/v2/apps/sick');
      return body.app.lastTaskFailure as Json | undefined;
    }, 20_000);
    expect(failure.message).toMatch(/health check failed.*500/);
    const unhealthy = (await call(m, 'GET', '/v2/apps/sick')).body.app as Json;
    expect(unhealthy.deployments).toHaveLength(1);
    expect(unhealthy.tasksHealthy).toBe(0);
    await eventually(async () =>
      events.join('').includes('event: unhealthy_task_kill_event') ? true : undefined,
    );
    await reader?.cancel();
    // A replacement was launched: a task that is not the failed one.
    await eventually(async () => {
      const tasks = (await call(m, 'GET', '/v2/apps/sick/tasks')).body.tasks as Json[];
      return tasks.some((t) => t.id !== failure.taskId) ? true : undefined;
    });
    await call(m, 'DELETE', '/v2/apps/sick?force=true');
  });

  it('records no failure of a task that has not yet answered within its grace period', async () => {
    await call(m, 'POST', '/v2/apps', {
      id: '/slow-start',
      cmd: 'sleep 600',
      cpus: 0.1,
      mem: 32,
      healthChecks: [check('HTTP', { gracePeriodSeconds: 600 })],
    });
    // Checked (and refused) at least once: the task has a result, not alive, and nothing failed yet.
    const result = await eventually(async () => {
      const tasks = (await call(m, 'GET', '/v2/apps/slow-start/tasks')).body.tasks as Json[];
      return tasks[0]?.healthCheckResults?.[0] as Json | undefined;
    }, 20_000);
    expect(result).toMatchObject({ alive: false, consecutiveFailures: 0, lastFailure: null });
    const app = (await call(m, 'GET', '/v2/apps/slow-start')).body.app as Json;
    expect(app.tasksUnhealthy).toBe(1);
    expect(app.lastTaskFailure).toBeUndefined();
    await call(m, 'DELETE', '/v2/apps/slow-start?force=true');
  });

  it('refuses a check on a port the app does not have', async () => {
    const res = await call(m, 'POST', '/v2/apps', {
      id: '/noport',
      cmd: 'sleep 1',
      portDefinitions: [],
      healthChecks: [check('HTTP', { portIndex: 0 })],
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      message: 'Object is not valid',
      details: [
        {
          path: '/healthChecks(0)',
          errors: [
            'Health check port indices must address an element of the ports array or container port mappings.',
          ],
        },
      ],
    });
    expect((await call(m, 'GET', '/v2/apps/noport')).status).toBe(404);
  });
});
