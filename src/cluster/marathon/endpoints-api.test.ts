import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-helpers';
import { call, noDeployments, settled, startMarathonCluster } from './test-marathon';
import type { Json } from './test-marathon';

const app = (id: string, extra: Json = {}) => ({ id, cmd: 'sleep 600', cpus: 0.05, mem: 8, ...extra });

describe('local Marathon: the rest of the endpoints', () => {
  let cluster: Awaited<ReturnType<typeof startMarathonCluster>>;
  let m: string;
  beforeAll(async () => {
    cluster = await startMarathonCluster();
    m = cluster.marathonUrl;
  });
  afterAll(() => cluster.close());

  it('updates several apps with PUT /v2/apps, creating what is missing', async () => {
    const res = await call(m, 'PUT', '/v2/apps', [app('/bulk/a'), app('/bulk/b', { instances: 2 })]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      version: expect.any(String),
      deploymentId: res.headers.get('marathon-deployment-id'),
    });
    await settled(m, '/bulk/b', 2);
    const again = await call(m, 'PUT', '/v2/apps?partialUpdate=false', [app('/bulk/a', { instances: 2 })]);
    expect(again.status).toBe(200);
    await settled(m, '/bulk/a', 2);
  });

  it('kills exactly the tasks named with scale=true, and by host', async () => {
    await call(m, 'POST', '/v2/apps', app('/picky', { instances: 3 }));
    const before = (await settled(m, '/picky', 3)).tasks as Json[];
    const victim = before[0] as Json;
    const res = await call(m, 'DELETE', `/v2/apps/picky/tasks/${victim.id}?scale=true`);
    expect(res.body).toMatchObject({ deploymentId: expect.any(String) });
    const after = await settled(m, '/picky', 2);
    expect((after.tasks as Json[]).map((t) => t.id).sort()).toEqual(
      before
        .slice(1)
        .map((t) => t.id)
        .sort(),
    );
    const host = (after.tasks as Json[])[0]?.host as string;
    const byHost = await call(m, 'DELETE', `/v2/apps/picky/tasks?host=${host}`);
    expect((byHost.body.tasks as Json[]).every((t) => t.host === host)).toBe(true);
    expect((byHost.body.tasks as Json[]).length).toBeGreaterThan(0);
  });

  it('serves versions, embeds and task listings', async () => {
    await call(m, 'POST', '/v2/apps', app('/versioned'));
    await settled(m, '/versioned', 1);
    await call(m, 'PUT', '/v2/apps/versioned', { cmd: 'sleep 601' });
    await noDeployments(m);
    const versions = (await call(m, 'GET', '/v2/apps/versioned/versions')).body.versions as string[];
    expect(versions).toHaveLength(2);
    const oldest = await call(m, 'GET', `/v2/apps/versioned/versions/${versions[1]}`);
    expect(oldest.body).toMatchObject({ id: '/versioned', cmd: 'sleep 600', version: versions[1] });
    const listed = (await call(m, 'GET', '/v2/apps?embed=apps.taskStats&embed=apps.tasks&id=versioned')).body
      .apps as Json[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      tasksRunning: 1,
      deployments: [],
      tasks: [{ appId: '/versioned', state: 'TASK_RUNNING' }],
      taskStats: { totalSummary: { stats: { counts: { running: 1 } } } },
    });
    expect(((await call(m, 'GET', '/v2/apps?cmd=601')).body.apps as Json[]).map((a) => a.id)).toEqual([
      '/versioned',
    ]);
    const running = (await call(m, 'GET', '/v2/tasks?status=running')).body.tasks as Json[];
    expect(running.some((t) => t.appId === '/versioned')).toBe(true);
    expect(((await call(m, 'GET', '/v2/tasks?status=staging')).body.tasks as Json[]).length).toBe(0);
    const plain = await call(m, 'GET', '/v2/apps/versioned');
    expect(Object.keys(plain.body.app)).toEqual(
      expect.arrayContaining([
        'tasks',
        'deployments',
        'tasksRunning',
        'versionInfo',
        'readinessCheckResults',
      ]),
    );
  });

  it('streams deployment and status events over /v2/events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${m}/v2/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body?.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        text += Buffer.from(chunk.value).toString('utf8');
      }
    })().catch(() => undefined);
    await call(m, 'POST', '/v2/apps', app('/evented'));
    await eventually(async () => (text.includes('event: deployment_success') ? true : undefined));
    controller.abort();
    await reading;
    for (const type of [
      'event_stream_attached',
      'api_post_event',
      'deployment_info',
      'status_update_event',
    ]) {
      expect(text).toContain(`event: ${type}\n`);
    }
    const status = /event: status_update_event\ndata: (.*)\n/.exec(text)?.[1] ?? '{}';
    expect(JSON.parse(status)).toMatchObject({
      eventType: 'status_update_event',
      appId: '/evented',
      taskId: expect.stringMatching(/^evented\.instance-/),
      timestamp: expect.any(String),
    });
  });
});
