import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { FIXTURE_SETS, startFixtureCluster } from '../src/bff/testing/fixture-cluster';
import { startFixtureMarathon } from '../src/bff/testing/fixture-marathon';
import { screenshotBothThemes } from './accessibility';
import { startBffProcess } from '../src/testing/bff-process';
import { horizontalOverflow } from './support/screens';

const CAPGEMINI = FIXTURE_SETS.find((set) => set.name === 'v0.27.1-capgemini')!;

/** Screenshots at a laptop's and a desktop's width, light and dark; returns the sideways overflow at each. */
async function screens(page: Page, name: string): Promise<Record<number, number>> {
  const overflow: Record<number, number> = {};
  for (const size of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    overflow[size.width] = (await horizontalOverflow(page)).page;
    await screenshotBothThemes(page, `${name}-${size.width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return overflow;
}

/**
 * A real BFF process over a fixture Mesos (a real cluster's state with a Marathon framework) and a fixture
 * Marathon (Marathon's documented JSON, with that framework's tasks): the Apps, App and Deployments pages,
 * the links between Mesos tasks and their apps, and a Marathon that goes down while the Mesos pages carry on.
 */
test('Marathon apps, an app and deployments, linked to the Mesos tasks, stale when Marathon is down', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const cluster = await startFixtureCluster(CAPGEMINI);
  const marathon = await startFixtureMarathon({ mesosState: cluster.masterState });
  const bff = await startBffProcess([
    '--master',
    cluster.masterUrl,
    '--marathon',
    marathon.url,
    '--poll-interval',
    '1000',
  ]);
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${bff.baseUrl}/`);
    const tab = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marathon' });
    await expect(tab).toBeVisible();
    await expect(page.getByTestId('marathon-waiting')).toHaveText('2');
    await expect(page.getByTestId('marathon-delayed')).toHaveText('1');
    expect(await screens(page, 'marathon-overview')).toEqual({ 1280: 0, 1920: 0 });

    await tab.click();
    await expect(page).toHaveURL(/\/marathon\/apps$/);
    const apps = page.getByTestId('marathon-apps');
    await expect(apps.getByRole('link', { name: 'App /tools/docker/registry' })).toBeVisible();
    await expect(apps.getByText('group /tools/docker')).toBeAttached();
    const shipper = apps
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: 'App /tools/log/shipper' }) });
    await expect(shipper.getByText('Delayed')).toBeVisible();
    expect(await screens(page, 'marathon-apps')).toEqual({ 1280: 0, 1920: 0 });

    await page.getByLabel('Status').selectOption('Waiting');
    await expect(page).toHaveURL(/apps\.status=Waiting/);
    await expect(apps.getByRole('link', { name: /^App / })).toHaveCount(2);

    await page.goto(`${bff.baseUrl}/marathon/apps/stubby`);
    await expect(page.getByRole('heading', { name: 'App /stubby' })).toBeVisible();
    const tasks = page.getByRole('table', { name: 'Tasks', exact: true });
    await expect(tasks.getByRole('row')).toHaveCount(4);
    await expect(tasks.getByText('unhealthy')).toHaveCount(1);
    await expect(page.getByTestId('marathon-app-failure')).toContainText('Command exited with status 1');
    await expect(page.getByRole('link', { name: 'stdout of all instances' })).toHaveAttribute(
      'href',
      /\/frameworks\/82cde340-9d3b-40a6-87e2-953952745763-0000\/apps\/stubby\/logs\?file=stdout/,
    );
    expect(await screens(page, 'marathon-app')).toEqual({ 1280: 0, 1920: 0 });

    // The Mesos task page names its app, and the link leads back.
    const firstTask = tasks.getByRole('link', { name: /^stubby\./ }).first();
    await firstTask.click();
    await expect(page.getByTestId('task-marathon-app')).toHaveText('/stubby');
    await page.getByTestId('task-marathon-app').getByRole('link').click();
    await expect(page).toHaveURL(/\/marathon\/apps\/stubby$/);

    await page.goto(`${bff.baseUrl}/marathon/apps/myapp`);
    await expect(page.getByTestId('marathon-app-deployments')).toContainText('ScaleApplication');
    await page.goto(`${bff.baseUrl}/marathon/deployments`);
    const deployments = page.getByRole('table', { name: 'Deployments', exact: true });
    await expect(deployments.getByRole('row')).toHaveCount(3);
    await expect(deployments).toContainText('1 not ready');
    expect(await screens(page, 'marathon-deployments')).toEqual({ 1280: 0, 1920: 0 });

    // The Tasks table links Marathon's tasks to their apps.
    await page.goto(`${bff.baseUrl}/tasks?framework=82cde340-9d3b-40a6-87e2-953952745763-0000`);
    await expect(page.getByRole('link', { name: 'app' }).first()).toBeVisible();

    // Marathon goes down: its pages keep the last apps and say so; the Mesos pages do not notice.
    marathon.fail('down');
    await page.goto(`${bff.baseUrl}/marathon/apps`);
    await expect(page.getByRole('status').filter({ hasText: 'Stale' })).toContainText('Marathon at', {
      timeout: 20_000,
    });
    await expect(page.getByRole('link', { name: 'App /stubby', exact: true })).toBeVisible();
    await page.goto(`${bff.baseUrl}/frameworks`);
    await expect(page.getByRole('table', { name: 'Active Frameworks', exact: true })).toBeVisible();
    await expect(page.locator('.connection-banner')).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  } finally {
    await bff.stop();
    await marathon.close();
    await cluster.close();
  }
});
