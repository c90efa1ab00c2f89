import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { expectNoSeriousA11yViolations, screenshotBothThemes } from './accessibility';

interface Row {
  id: string;
  name: string;
  frameworkId: string;
  frameworkName: string | null;
  state: string;
}

async function findRow(page: Page, match: (row: Row) => boolean): Promise<Row> {
  let found: Row | undefined;
  await expect(async () => {
    const response = await page.request.get('/api/tasks?group=all&limit=500');
    const rows = ((await response.json()) as { rows: Row[] }).rows;
    found = rows.find(match);
    expect(found).toBeDefined();
  }).toPass({ timeout: 30_000 });
  return found!;
}

test("a Chronos framework's page lists its jobs, read from its own API", async ({ page }) => {
  const task = await findRow(page, (row) => row.frameworkName === 'chronos');
  await page.goto(`/frameworks/${encodeURIComponent(task.frameworkId)}`);
  const jobs = page.getByTestId('framework-chronos-jobs');
  await expect(jobs).toBeVisible({ timeout: 20_000 });
  const backup = jobs.getByRole('row').filter({ hasText: 'nightly-backup' });
  await expect(backup).toContainText('R/');
  await expect(backup).toContainText('PT20S');
  await expect(jobs.getByRole('row').filter({ hasText: 'report-mailer' })).toContainText(/failed|never ran/);
  await expect(backup).toContainText(/succeeded|never ran/);
  await expectNoSeriousA11yViolations(page, 'the Chronos framework page');
  await screenshotBothThemes(page, 'chronos-framework');
});

test("a task page says whether each of the task's Mesos-DNS names resolves now", async ({ page }) => {
  const web = await findRow(page, (row) => row.name === 'web' && row.state === 'TASK_RUNNING');
  await page.goto(`/tasks/${encodeURIComponent(web.frameworkId)}/${encodeURIComponent(web.id)}`);
  const served = page.getByTestId('task-dns-served');
  await expect(served).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/Asked of the Mesos-DNS at http:\/\/127\.0\.0\.1:\d+/)).toBeVisible();
  const row = served.getByRole('row').filter({ hasText: 'web.marathon.mesos' }).first();
  await expect(row).toContainText('yes');
  await expect(
    served
      .getByRole('row')
      .filter({ hasText: /web-[a-z0-9]{5}-s\d\.marathon\.mesos/ })
      .first(),
  ).toContainText('yes');
  await expectNoSeriousA11yViolations(page, 'the task page with Mesos-DNS names');
  await screenshotBothThemes(page, 'task-mesos-dns');
});
