import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { screenshotBothThemes } from './accessibility';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

/**
 * A web server for the apps below, on $PORT0. It starts listening once $READY_FILE exists (when set), so the
 * test decides how long a deployment stays under way, and answers 500 while `sick-<task id>` exists in
 * $SICK_DIR, so the test decides which task fails its health check.
 */
const SERVER = `
const fs = require('node:fs');
const path = require('node:path');
const taskId = process.env.MESOS_TASK_ID;
const sick = () => !!process.env.SICK_DIR && fs.existsSync(path.join(process.env.SICK_DIR, 'sick-' + taskId));
function serve() {
  require('node:http')
    .createServer((request, response) => {
      response.writeHead(sick() ? 500 : 200);
      response.end('ok');
    })
    .listen(Number(process.env.PORT0), '127.0.0.1', () => console.log('hello from ' + taskId + ' on port ' + process.env.PORT0));
}
function waitForReady() {
  if (!process.env.READY_FILE || fs.existsSync(process.env.READY_FILE)) serve();
  else setTimeout(waitForReady, 200);
}
waitForReady();
`;

interface MarathonTask {
  id: string;
  host: string;
}

async function marathonCall(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function tasksOf(base: string, appId: string): Promise<MarathonTask[]> {
  const response = await marathonCall(base, 'GET', `/v2/apps${appId}/tasks`);
  return ((await response.json()) as { tasks: MarathonTask[] }).tasks;
}

/** The Marathon URL the server printed for its local cluster. */
async function localMarathonUrl(bff: BffProcess): Promise<string> {
  let url = '';
  await expect(() => {
    const match = /local Marathon at (http:\/\/[^\s"]+)/.exec(bff.output());
    expect(match, bff.output()).not.toBeNull();
    url = match![1]!;
  }).toPass({ timeout: 30_000 });
  return url;
}

function appRow(page: Page, appId: string) {
  return page
    .getByTestId('marathon-apps')
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: `App ${appId}`, exact: true }) });
}

function taskRows(page: Page) {
  return page.getByRole('table', { name: 'Tasks', exact: true }).getByRole('row');
}

async function screenAt1280(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshotBothThemes(page, `${name}-1280`);
}

/**
 * The workshop, end to end, against the local cluster's own Marathon: apps posted to its API are deployed,
 * scaled, spread by a constraint, healed after a kill and after failing health checks, and the dashboard shows
 * each of these as it happens, down to the instances' logs.
 */
test('apps posted to the local Marathon deploy, scale, wait, heal and log, as the dashboard shows', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const dir = mkdtempSync(join(tmpdir(), 'mesoscope-marathon-e2e-'));
  const server = join(dir, 'server.js');
  writeFileSync(server, SERVER);
  const readyFile = join(dir, 'ready');
  const bff = await startBffProcess(['--scenario', 'empty', '--agents', '3', '--poll-interval', '1000']);
  try {
    const marathon = await localMarathonUrl(bff);
    await page.setViewportSize({ width: 1280, height: 800 });

    // POST an app: it stays Deploying until its instance answers its health check, then it is Running.
    await marathonCall(marathon, 'POST', '/v2/apps', {
      id: '/workshop/web',
      cmd: `exec node ${server}`,
      instances: 1,
      cpus: 0.1,
      mem: 64,
      env: { READY_FILE: readyFile },
      portDefinitions: [{ port: 0, name: 'http' }],
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/',
          portIndex: 0,
          gracePeriodSeconds: 120,
          intervalSeconds: 1,
          timeoutSeconds: 2,
          maxConsecutiveFailures: 0,
        },
      ],
    });
    await page.goto(`${bff.baseUrl}/marathon/apps`);
    const web = appRow(page, '/workshop/web');
    await expect(web).toContainText('Deploying', { timeout: 30_000 });
    writeFileSync(readyFile, '');
    await expect(web).toContainText('Running', { timeout: 60_000 });
    await expect(web).toContainText('1/1');
    await expect(web).toContainText('1 healthy');

    // Scale to 3.
    await marathonCall(marathon, 'PUT', '/v2/apps/workshop/web', { instances: 3 });
    await expect(web).toContainText('3/3', { timeout: 60_000 });
    await expect(web).toContainText('3 healthy', { timeout: 60_000 });
    await expect(web).toContainText('Running');

    // One instance per host, one more than there are hosts: it waits, and its deployment stays.
    await marathonCall(marathon, 'POST', '/v2/apps', {
      id: '/workshop/spread',
      cmd: 'exec sleep 3600',
      instances: 4,
      cpus: 0.05,
      mem: 16,
      constraints: [['hostname', 'UNIQUE']],
    });
    const spread = appRow(page, '/workshop/spread');
    await expect(spread).toContainText(/Waiting|Deploying/, { timeout: 30_000 });
    await expect(spread).toContainText('3/4', { timeout: 60_000 });
    await expect(spread).toContainText(/Waiting|Deploying/);
    await screenAt1280(page, 'marathon-local-apps');

    await page.goto(`${bff.baseUrl}/marathon/deployments`);
    const deployments = page.getByRole('table', { name: 'Deployments', exact: true });
    await expect(deployments.getByRole('row').filter({ hasText: '/workshop/spread' })).toBeVisible({
      timeout: 30_000,
    });
    await page.goto(`${bff.baseUrl}/marathon/apps/workshop/spread`);
    await expect(page.getByTestId('marathon-app-summary')).toContainText(/Waiting|Deploying/);
    await expect(page.getByTestId('marathon-app-deployments')).toContainText('/workshop/spread');
    await expect(taskRows(page)).toHaveCount(4, { timeout: 30_000 });
    const spreadHosts = new Set((await tasksOf(marathon, '/workshop/spread')).map((task) => task.host));
    expect(spreadHosts.size).toBe(3);

    // Kill a task: Marathon replaces it, and the App page shows the new one instead.
    await page.goto(`${bff.baseUrl}/marathon/apps/workshop/web`);
    await expect(page.getByRole('heading', { name: 'App /workshop/web' })).toBeVisible();
    await expect(taskRows(page)).toHaveCount(4, { timeout: 30_000 });
    const [victim] = await tasksOf(marathon, '/workshop/web');
    await expect(taskRows(page).filter({ hasText: victim!.id })).toHaveCount(1);
    await marathonCall(marathon, 'DELETE', `/v2/apps/workshop/web/tasks/${encodeURIComponent(victim!.id)}`);
    await expect(taskRows(page).filter({ hasText: victim!.id })).toHaveCount(0, { timeout: 60_000 });
    await expect(taskRows(page)).toHaveCount(4, { timeout: 60_000 });
    await expect(
      taskRows(page).filter({ hasText: 'healthy' }).filter({ hasNotText: 'unhealthy' }),
    ).toHaveCount(3, { timeout: 60_000 });
    // A task killed through the API is no failure, and no instance failed to start beside another.
    await expect(page.getByTestId('marathon-app-failure')).toContainText('None.');
    await screenAt1280(page, 'marathon-local-app');

    // Every instance's stdout, from the App page.
    await page.getByRole('link', { name: 'stdout of all instances' }).click();
    await expect(page.getByRole('heading', { name: 'web.workshop: stdout of every instance' })).toBeVisible();
    await expect(page.getByTestId('file-content').first()).toContainText('hello from', { timeout: 30_000 });
    const logs = (await page.getByTestId('file-content').allInnerTexts()).join('\n');
    const current = await tasksOf(marathon, '/workshop/web');
    expect(current.filter((task) => logs.includes(`hello from ${task.id}`)).length).toBeGreaterThan(0);

    // A failing HTTP health check: the task turns unhealthy, is killed, and a healthy one takes its place.
    await marathonCall(marathon, 'POST', '/v2/apps', {
      id: '/workshop/sick',
      cmd: `exec node ${server}`,
      instances: 1,
      cpus: 0.1,
      mem: 64,
      env: { SICK_DIR: dir },
      portDefinitions: [{ port: 0 }],
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/',
          portIndex: 0,
          gracePeriodSeconds: 5,
          intervalSeconds: 1,
          timeoutSeconds: 2,
          maxConsecutiveFailures: 15,
        },
      ],
    });
    await page.goto(`${bff.baseUrl}/marathon/apps/workshop/sick`);
    // Healthy first (a task in its grace period shows as not yet alive, which is not what this waits for).
    await expect(
      taskRows(page).filter({ hasText: 'healthy' }).filter({ hasNotText: 'unhealthy' }),
    ).toHaveCount(1, { timeout: 60_000 });
    const [sick] = await tasksOf(marathon, '/workshop/sick');
    writeFileSync(join(dir, `sick-${sick!.id}`), '');
    const sickRow = taskRows(page).filter({ hasText: sick!.id });
    await expect(sickRow).toContainText('unhealthy', { timeout: 30_000 });
    await expect(page.getByTestId('marathon-app-summary')).toContainText('1 unhealthy');
    await expect(sickRow).toHaveCount(0, { timeout: 90_000 });
    await expect(page.getByTestId('marathon-app-failure')).toContainText(sick!.id);
    await expect(page.getByTestId('marathon-app-failure')).toContainText('health check failed');
    await expect(
      taskRows(page).filter({ hasText: 'healthy' }).filter({ hasNotText: 'unhealthy' }),
    ).toHaveCount(1, { timeout: 60_000 });
    expect(existsSync(join(dir, `sick-${sick!.id}`))).toBe(true);
    expect(pageErrors).toEqual([]);
  } finally {
    await bff.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
