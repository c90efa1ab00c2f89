import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../cluster';
import type { LocalCluster } from '../cluster';
import type { ApiErrorBody, SearchResults, TaskDetailView, TaskFacets, TaskPage } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { eventually } from '../testing/eventually';

describe('tasks, task page and search over the local cluster', () => {
  let cluster: LocalCluster;
  let bff: TestBff;

  beforeAll(async () => {
    cluster = await startCluster({ agents: 3 });
    bff = await buildTestBff([cluster.masterUrl]);
    await bff.poller.pollOnce();
  }, 60_000);

  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  const get = async <T>(url: string) => {
    const response = await bff.app.inject({ method: 'GET', url });
    return { status: response.statusCode, body: response.json<T>() };
  };
  const fresh = async <T>(url: string) => {
    await bff.poller.pollOnce();
    return (await get<T>(url)).body;
  };

  it('lists every task with group=all, and filters by state, role, framework and agent', async () => {
    const page = await eventually(
      () => fresh<TaskPage>('/api/tasks?group=all&limit=500'),
      (p) => p.rows.some((row) => row.name === 'web' && row.state === 'TASK_RUNNING'),
    );
    const groups = await Promise.all(
      ['active', 'unreachable', 'completed'].map(
        async (group) => (await get<TaskPage>(`/api/tasks?group=${group}&limit=1`)).body.total,
      ),
    );
    expect(page.total).toBe(groups.reduce((a, b) => a + b, 0));

    const running = (await get<TaskPage>('/api/tasks?group=all&state=TASK_RUNNING&limit=500')).body;
    expect(running.total).toBe(page.rows.filter((row) => row.state === 'TASK_RUNNING').length);
    expect(running.rows.every((row) => row.state === 'TASK_RUNNING')).toBe(true);

    const several = (await get<TaskPage>('/api/tasks?group=all&state=running,finished,failed&limit=500'))
      .body;
    expect(several.total).toBe(
      page.rows.filter((row) => ['TASK_RUNNING', 'TASK_FINISHED', 'TASK_FAILED'].includes(row.state)).length,
    );

    // The Find box reads the state as the State column shows it: "finished" finds the FINISHED tasks.
    const found = (await get<TaskPage>('/api/tasks?group=completed&q=finished&limit=500')).body;
    const finished = page.rows.filter((row) => row.state === 'TASK_FINISHED');
    expect(finished.length).toBeGreaterThan(0);
    expect(found.rows.map((row) => row.id)).toEqual(expect.arrayContaining(finished.map((row) => row.id)));

    const marathon = (await get<TaskPage>('/api/tasks?group=all&role=marathon&limit=500')).body;
    expect(marathon.rows.length).toBeGreaterThan(0);
    expect(marathon.rows.every((row) => row.role === 'marathon' && row.frameworkName === 'marathon')).toBe(
      true,
    );

    const web = page.rows.find((row) => row.name === 'web');
    const onAgent = (await get<TaskPage>(`/api/tasks?group=all&agent=${web?.agentId}&limit=500`)).body;
    expect(onAgent.total).toBe(page.rows.filter((row) => row.agentId === web?.agentId).length);
    const inFramework = (await get<TaskPage>(`/api/tasks?group=all&framework=${web?.frameworkId}&limit=500`))
      .body;
    expect(inFramework.total).toBe(page.rows.filter((row) => row.frameworkId === web?.frameworkId).length);

    const byName = (await get<TaskPage>('/api/tasks?group=all&sort=name&order=asc&limit=500')).body;
    const names = byName.rows.map((row) => row.name);
    expect(names).toEqual([...names].sort());
  });

  it('counts the facets the filters offer', async () => {
    const facets = (await get<TaskFacets>('/api/tasks/facets')).body;
    expect(facets.frameworks.map((f) => f.label)).toEqual(expect.arrayContaining(['marathon', 'chronos']));
    expect(facets.states.reduce((n, s) => n + s.count, 0)).toBe(facets.total);
    expect(facets.roles.map((r) => r.value)).toContain('marathon');
  });

  it('refuses bad task queries with a 400 that says which parameter', async () => {
    for (const query of ['group=bogus', 'state=<script>', 'limit=0', 'sort=nope', 'offset=-1']) {
      const { status, body } = await get<ApiErrorBody>(`/api/tasks?${query}`);
      expect(status, query).toBe(400);
      expect(body.message).toMatch(/Invalid query parameter/);
    }
  });

  it('serves a Docker-style, health-checked task with everything its page shows', async () => {
    const page = (await get<TaskPage>('/api/tasks?group=active&q=web&limit=50')).body;
    const web = page.rows.find((row) => row.name === 'web');
    expect(web).toBeDefined();
    const url = `/api/tasks/${encodeURIComponent(web?.frameworkId ?? '')}/${encodeURIComponent(web?.id ?? '')}`;
    const detail = await eventually(
      () => fresh<TaskDetailView>(url),
      (d) => d.statuses.some((s) => s.healthy === true),
    );
    expect(detail.row.id).toBe(web?.id);
    expect(detail.group).toBe('active');
    // STARTING, RUNNING, then RUNNING again when the first health check result arrives.
    expect(detail.statuses.map((s) => [s.state, s.healthy])).toEqual([
      ['TASK_STARTING', null],
      ['TASK_RUNNING', null],
      ['TASK_RUNNING', true],
    ]);
    expect(detail.statuses.find((s) => s.healthy === true)?.reason).toBe(
      'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
    );
    expect(detail.row.healthy).toBe(true);
    expect(detail.container).toMatchObject({ type: 'DOCKER', image: 'nginx:1.27-alpine', network: 'BRIDGE' });
    expect(detail.container?.portMappings).toEqual([
      { hostPort: detail.hostPorts[0], containerPort: 80, protocol: 'tcp' },
    ]);
    expect(detail.healthCheck).toMatchObject({ type: 'COMMAND', intervalSeconds: 5 });
    expect(detail.discovery?.ports).toEqual([
      { number: detail.hostPorts[0], name: 'http', protocol: 'tcp', visibility: null, labels: [] },
    ]);
    expect(detail.labels).toContainEqual({ key: 'team', value: 'storefront' });
    expect(detail.ipAddresses[0]?.ip).toMatch(/^172\.17\.0\.\d+$/);
    expect(detail.dns?.a).toBe('web.marathon.mesos');
    expect(detail.dns?.srv.map((r) => r.name)).toContain('_http._web._tcp.marathon.mesos');
    expect(detail.raw['container']).toBeDefined();
  });

  it('reports the cache task unhealthy', async () => {
    const page = (await get<TaskPage>('/api/tasks?group=active&q=cache&limit=50')).body;
    const cache = page.rows.find((row) => row.name === 'cache');
    const url = `/api/tasks/${encodeURIComponent(cache?.frameworkId ?? '')}/${encodeURIComponent(cache?.id ?? '')}`;
    const detail = await eventually(
      () => fresh<TaskDetailView>(url),
      (d) => d.row.healthy === false,
    );
    expect(detail.row.healthy).toBe(false);
    expect(detail.container).toMatchObject({ type: 'MESOS', image: 'redis:7-alpine' });
  });

  it('answers 404 for an unknown task or framework', async () => {
    const page = (await get<TaskPage>('/api/tasks?group=active&limit=1')).body;
    const task = page.rows[0];
    const unknownTask = await get<ApiErrorBody>(`/api/tasks/${task?.frameworkId}/no-such-task`);
    expect(unknownTask.status).toBe(404);
    expect(unknownTask.body.message).toContain('no-such-task');
    const unknownFramework = await get<ApiErrorBody>(`/api/tasks/no-such-framework/${task?.id}`);
    expect(unknownFramework.status).toBe(404);
  });

  it('searches tasks, frameworks and agents', async () => {
    const web = (await get<SearchResults>('/api/search?q=WEB')).body;
    expect(web.tasks[0]).toMatchObject({ kind: 'task', title: 'web' });
    const marathon = (await get<SearchResults>('/api/search?q=marath')).body;
    expect(marathon.frameworks[0]).toMatchObject({ kind: 'framework', title: 'marathon', detail: 'active' });
    const agentId = cluster.agents[0]?.id ?? '';
    const agent = (await get<SearchResults>(`/api/search?q=${encodeURIComponent(agentId)}`)).body;
    expect(agent.agents[0]).toMatchObject({ kind: 'agent', id: agentId });
    const limited = (await get<SearchResults>('/api/search?q=e&limit=2')).body;
    expect(limited.tasks.length).toBeLessThanOrEqual(2);
    expect(limited.totals.task).toBeGreaterThanOrEqual(limited.tasks.length);
  });

  it('refuses an empty or oversized search with a 400', async () => {
    for (const query of ['', 'q=', 'q=%20%20', `q=${'x'.repeat(201)}`, 'q=x&limit=100']) {
      const { status } = await get<ApiErrorBody>(`/api/search?${query}`);
      expect(status, query).toBe(400);
    }
  });
});
