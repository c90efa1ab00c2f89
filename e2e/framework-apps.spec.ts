import { expect, test } from './fixtures';
import { screenshotEverySize } from './support/screens';

test("a framework's page lists its apps with their instances, each count a link, and the logs of all instances", async ({
  page,
  ownedBff,
}) => {
  test.setTimeout(90_000);
  const control = ownedBff.cluster.control;
  const [a] = await Promise.all([
    control.launchTask({ framework: 'e2e-apps-page', name: 'web.prod', cmd: 'sleep 600' }),
    control.launchTask({ framework: 'e2e-apps-page', name: 'web.prod', cmd: 'sleep 600' }),
    control.launchTask({ framework: 'e2e-apps-page', name: 'worker.prod', cmd: 'exit 2' }),
  ]);
  if (!a) throw new Error('tasks did not start');
  await page.goto(`${ownedBff.baseUrl}/frameworks/${encodeURIComponent(a.frameworkId)}`);
  const apps = page.getByTestId('apps');
  const web = apps.locator('tbody tr', { hasText: 'web.prod' });
  await expect(web.locator('td').nth(1)).toHaveText('2', { timeout: 30_000 });
  const worker = apps.locator('tbody tr', { hasText: 'worker.prod' });
  await expect(worker.locator('td').nth(4)).toHaveText('1', { timeout: 30_000 });
  await expect(page).toHaveTitle('Framework e2e-apps-page · mesoscope');
  await screenshotEverySize(page, 'framework-apps');

  await web.getByRole('link', { name: 'stdout' }).click();
  await expect(page.getByRole('heading', { name: 'web.prod: stdout of every instance' })).toBeVisible();
  await expect(page.getByTestId('file-content')).toHaveCount(2);

  await page.goBack();
  await worker.locator('td').nth(4).getByRole('link').click();
  await expect(page).toHaveURL(/state=TASK_FAILED/);
  const tasks = page.getByTestId('all-tasks');
  await expect(tasks.locator('.table-count')).toHaveText('1');
  await expect(tasks.locator('tbody tr').first()).toContainText('worker.prod');
  await expect(tasks.locator('tbody tr').first()).toContainText(/exited|status 2|failed/i);
});
