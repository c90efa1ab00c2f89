import { expect, test } from '@playwright/test';
import { FileViewerPage } from './pages/file-viewer-page';
import { OverviewPage } from './pages/overview-page';
import { SandboxPage } from './pages/sandbox-page';

test('the overview shows the local cluster: 3 agents and running tasks', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.goto();
  await expect(overview.counter('agents-activated')).toHaveText('3');
  await expect.poll(() => overview.counterValue('tasks-running')).toBeGreaterThan(0);
  await expect(overview.activeTaskRow(/hello/)).toBeVisible();
  await expect(overview.activeTaskRow(/hello/)).toContainText('RUNNING');
  await page.screenshot({ path: 'test-results/screens/overview.png', fullPage: true });
});

test('a running task: sandbox, then stdout, where a new line arrives within 10 s', async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.goto();
  const row = overview.activeTaskRow(/hello/);
  await expect(row).toContainText('RUNNING');
  await row.getByRole('link', { name: 'Sandbox' }).click();

  const sandbox = new SandboxPage(page);
  await expect(page).toHaveURL(/\/agents\/[^/]+\/browse\?path=/);
  await expect(sandbox.fileLink('stdout')).toBeVisible();
  await expect(sandbox.fileLink('stderr')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/sandbox.png', fullPage: true });
  await sandbox.fileLink('stdout').click();

  const viewer = new FileViewerPage(page);
  await expect(viewer.content()).toContainText('Hey Mesos');
  // A new line shows at the bottom: the last line on screen starts further into the file.
  const before = await viewer.lastLineOffset();
  await expect
    .poll(() => viewer.lastLineOffset(), { timeout: 10_000, intervals: [250] })
    .toBeGreaterThan(before);
  await expect(viewer.followState()).toContainText(/follow/i);
  await page.screenshot({ path: 'test-results/screens/stdout.png', fullPage: true });
});

test('frameworks and agents have their own pages', async ({ page }) => {
  await page.goto('/frameworks');
  const active = page.getByRole('table', { name: 'Active Frameworks' });
  await expect(active.getByRole('row').filter({ hasText: 'marathon' })).toBeVisible();
  await expect(active.getByRole('row').filter({ hasText: 'chronos' })).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Completed Frameworks' }).getByRole('row').nth(1),
  ).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/frameworks.png', fullPage: true });

  await page.goto('/agents');
  const agents = page.getByRole('table', { name: 'Agents' });
  await expect(agents.getByRole('row').filter({ hasText: 'Active' })).toHaveCount(3);
  await page.screenshot({ path: 'test-results/screens/agents.png', fullPage: true });
});

test('a reload on a deep link lands on the same page', async ({ page }) => {
  await page.goto('/agents');
  await page.reload();
  await expect(page.getByRole('table', { name: 'Agents' })).toBeVisible();
  const response = await page.request.get('/no/such/page');
  expect(response.status()).toBe(200);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: /not found/i })).toBeVisible();
});
