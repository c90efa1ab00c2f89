import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, screenshotBothThemes } from './accessibility';

test('metrics of the master and of an agent, grouped, filtered from the URL', async ({ page }) => {
  await page.goto('/mesos-metrics');
  const master = page.getByRole('region', { name: /^master/ });
  await expect(master.getByRole('rowheader', { name: 'master/tasks_running' })).toBeVisible();
  await expect(page.getByRole('region', { name: /^system/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'the metrics page');
  await screenshotBothThemes(page, 'metrics');

  await page.getByRole('searchbox', { name: 'Filter metrics by key' }).fill('tasks_');
  await expect(page).toHaveURL(/q=tasks_/);
  await expect(page.getByRole('region', { name: /^system/ })).toBeHidden();
  const keys = await page.getByRole('rowheader').allInnerTexts();
  expect(keys.length).toBeGreaterThan(5);
  for (const key of keys) expect(key).toContain('tasks_');

  await page.getByRole('combobox', { name: 'Source' }).selectOption({ index: 1 });
  await expect(page).toHaveURL(/agent=/);
  await expect(
    page
      .getByRole('region', { name: /^slave/ })
      .getByRole('rowheader')
      .first(),
  ).toContainText('slave/tasks_');
  await expect(page.getByRole('status')).toContainText('from agent');
});

test('flags of the master and of an agent, filterable', async ({ page }) => {
  await page.goto('/flags');
  const master = page.getByRole('table', { name: 'Master flags' });
  await expect(master.getByRole('row', { name: /--work_dir/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page, 'the flags page');
  await screenshotBothThemes(page, 'flags');

  await page.getByRole('searchbox', { name: 'Filter Master flags' }).fill('timeout');
  await expect(page).toHaveURL(/flags\.q=timeout/);
  const names = await master.locator('tbody tr td:first-child').allInnerTexts();
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(name).toContain('timeout');

  await page.getByRole('combobox', { name: 'Source' }).selectOption({ index: 1 });
  await expect(page).toHaveURL(/agent=/);
  await expect(page.getByRole('table', { name: 'Agent flags' })).toBeVisible();
});
