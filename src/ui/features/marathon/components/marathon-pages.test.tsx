import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MarathonAppView, MarathonAppsView, MarathonTreeRow } from '../../../../bff/schemas/marathon';
import { renderWithRouter } from '../../../testing/test-utils';
import { MarathonAppDetail } from './app-detail';
import { MarathonAppsTable } from './apps-table';

const instances = { wanted: 3, running: 2, healthy: 1, unhealthy: 1, staged: 0 };
const appRow = (
  id: string,
  status: 'Running' | 'Waiting',
  parent = '/prod',
): Extract<MarathonTreeRow, { kind: 'app' }> => ({
  kind: 'app',
  id,
  parent,
  depth: parent === '/' ? 0 : 1,
  status,
  instances,
  cpus: 0.5,
  mem: 256,
  disk: 0,
  constraints: ['hostname:UNIQUE'],
  cmd: './serve',
  image: null,
  version: '2026-01-05T10:00:00.000Z',
  delaySeconds: null,
  lastFailure: null,
});

const freshness = (connected: boolean) => ({
  key: 'marathon.example.com:8080',
  url: 'http://marathon.example.com:8080',
  fetchedAt: Date.now() - 60_000,
  connected,
  lastError: connected ? null : 'Marathon at http://marathon.example.com:8080 did not answer within 5000 ms',
});

function serve(routes: Record<string, unknown>) {
  const fetchMock = vi.fn(async (url: string) => {
    const path = new URL(url, 'http://x').pathname;
    const body = routes[path];
    return body === undefined
      ? new Response(JSON.stringify({ error: 'Not Found', message: 'no', statusCode: 404 }), { status: 404 })
      : new Response(JSON.stringify(body), { status: 200 });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => vi.unstubAllGlobals());

const APPS: MarathonAppsView = {
  marathon: freshness(true),
  frameworkId: 'fw-marathon',
  rows: [
    {
      kind: 'group',
      id: '/prod',
      parent: '/',
      depth: 0,
      apps: 2,
      instances,
      cpus: 3,
      mem: 1536,
      statuses: { Running: 1, Waiting: 1 },
    },
    appRow('/prod/api', 'Running'),
    appRow('/prod/db', 'Waiting'),
    appRow('/batch', 'Running', '/'),
  ],
  counts: { Running: 2, Deploying: 0, Suspended: 0, Waiting: 1, Delayed: 0 },
};

describe('MarathonAppsTable', () => {
  it('shows groups and apps as a tree with status, instances and constraints, filtered by the status in the URL', async () => {
    serve({ '/api/marathon/apps': APPS, '/api/status': { marathons: [] } });
    renderWithRouter(<MarathonAppsTable marathon={null} />, { url: '/marathon/apps?apps.status=Waiting' });
    const link = await screen.findByRole('link', { name: 'App /prod/db' });
    expect(link.getAttribute('href')).toBe('/marathon/apps/prod/db');
    const table = screen.getByTestId('marathon-apps');
    expect(within(table).queryByRole('link', { name: 'App /prod/api' })).toBeNull();
    expect(within(table).getByText('group /prod')).toBeTruthy();
    const row = link.closest('tr')!;
    expect(within(row).getByText('Waiting')).toBeTruthy();
    expect(within(row).getByText('2/3')).toBeTruthy();
    expect(within(row).getByText('1 unhealthy', { exact: false })).toBeTruthy();
    expect(within(row).getByText('hostname:UNIQUE')).toBeTruthy();
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('Waiting');
  });

  it('says the apps are stale, and why, when Marathon stopped answering', async () => {
    serve({
      '/api/marathon/apps': { ...APPS, marathon: freshness(false) },
      '/api/status': { marathons: [] },
    });
    renderWithRouter(<MarathonAppsTable marathon={null} />, { url: '/marathon/apps' });
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toContain('Stale');
    expect(notice.textContent).toContain('did not answer within 5000 ms');
    expect(screen.getByRole('link', { name: 'App /batch' })).toBeTruthy();
  });
});

const APP: MarathonAppView = {
  marathon: freshness(true),
  frameworkId: 'fw-marathon',
  app: appRow('/prod/api', 'Running'),
  tasks: [
    {
      id: 'prod_api.instance-564bd685-4c30-11e5-98c1-be5b2935a987._app.1',
      state: 'TASK_RUNNING',
      host: 'agent-1.example.com',
      agentId: 'S1',
      ports: [31001],
      stagedAt: '2026-01-05T10:00:00.000Z',
      startedAt: '2026-01-05T10:00:02.000Z',
      version: '2026-01-05T10:00:00.000Z',
      health: 'unhealthy',
      healthResults: [
        {
          alive: false,
          consecutiveFailures: 2,
          firstSuccess: null,
          lastSuccess: null,
          lastFailure: '2026-01-05T10:01:00.000Z',
          lastFailureCause: 'ConnectException: Connection refused',
        },
      ],
      mesos: {
        frameworkId: 'fw-marathon',
        executorId: 'prod_api.instance-564bd685-4c30-11e5-98c1-be5b2935a987._app.1',
        agentId: 'S1',
        name: 'api.prod',
      },
    },
  ],
  mesosTaskName: 'api.prod',
  healthChecks: [{ protocol: 'HTTP', target: 'port index 0 /health', grace: 300, interval: 20 }],
  lastTaskFailure: {
    taskId: 'prod_api.1',
    state: 'TASK_FAILED',
    message: 'Command exited with status 1',
    host: 'agent-2.example.com',
    timestamp: '2026-01-05T09:00:00.000Z',
    version: null,
  },
  versionInfo: { lastScalingAt: null, lastConfigChangeAt: null },
  deployments: [
    {
      id: 'd-1',
      version: '2026-01-05T10:00:00.000Z',
      affectedApps: ['/prod/api'],
      steps: [
        [{ action: 'StartApplication', target: '/prod/api', readiness: [] }],
        [{ action: 'ScaleApplication', target: '/prod/api', readiness: [] }],
      ],
      currentActions: [{ action: 'ScaleApplication', target: '/prod/api', readiness: [] }],
      currentStep: 2,
      totalSteps: 2,
    },
  ],
  queue: null,
  definition: { id: '/prod/api', cmd: './serve', instances: 3 },
};

describe('MarathonAppDetail', () => {
  it("links each task to its Mesos task, agent and sandbox, and the app's logs to all its instances", async () => {
    serve({
      '/api/marathon/app': APP,
      '/api/marathon/versions': { versions: ['2026-01-05T10:00:00.000Z', '2025-12-01T08:00:00.000Z'] },
      '/api/status': { marathons: [] },
    });
    renderWithRouter(<MarathonAppDetail marathon={null} appId="/prod/api" />, {
      url: '/marathon/apps/prod/api',
    });
    const taskLink = await screen.findByRole('link', { name: /prod_api\.instance/ });
    expect(taskLink.getAttribute('href')).toBe(`/tasks/fw-marathon/${encodeURIComponent(APP.tasks[0]!.id)}`);
    const row = taskLink.closest('tr')!;
    expect(within(row).getByText('unhealthy')).toBeTruthy();
    expect(within(row).getByText('ConnectException: Connection refused', { exact: false })).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'agent-1.example.com' }).getAttribute('href')).toBe(
      '/agents/S1',
    );
    expect(within(row).getByRole('link', { name: 'Sandbox' }).getAttribute('href')).toContain(
      '/agents/S1/frameworks/fw-marathon/executors/',
    );
    expect(screen.getByRole('link', { name: 'stdout of all instances' }).getAttribute('href')).toBe(
      '/frameworks/fw-marathon/apps/api.prod/logs?file=stdout',
    );
    expect(screen.getByTestId('marathon-app-failure').textContent).toContain('Command exited with status 1');
    const steps = within(screen.getByTestId('marathon-app-deployments')).getAllByRole('listitem');
    expect(steps.map((step) => step.getAttribute('aria-current'))).toEqual([null, 'step']);
    const versions = await screen.findByText('2025-12-01T08:00:00.000Z');
    expect(versions.closest('section')?.textContent).toContain('2026-01-05T10:00:00.000Z current');
    expect(screen.getByTestId('marathon-app-json').textContent).toContain('"cmd": "./serve"');
  });

  it('says an app Marathon does not have is not found', async () => {
    serve({ '/api/status': { marathons: [] } });
    renderWithRouter(<MarathonAppDetail marathon={null} appId="/gone" />, { url: '/marathon/apps/gone' });
    expect((await screen.findByTestId('not-found')).textContent).toContain('No app /gone in Marathon');
  });
});
