import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, screenshotBothThemes } from './accessibility';
import { FileViewerPage } from './pages/file-viewer-page';
import { TaskPage, TasksPage } from './pages/tasks-page';

test('the Tasks page filters from the URL, sorts by any header and keeps it all in the URL', async ({
  page,
}) => {
  const tasks = new TasksPage(page);
  await tasks.goto('group=active&state=TASK_RUNNING&role=marathon');
  await expect(tasks.taskRows().first()).toBeVisible();
  await expect(tasks.filter('State')).toHaveValue('TASK_RUNNING');
  await expect(tasks.filter('Role')).toHaveValue('marathon');
  await expect(tasks.group('Active')).toHaveAttribute('aria-pressed', 'true');
  for (const state of await tasks.columnTexts('State')) expect(state).toBe('RUNNING');
  for (const role of await tasks.columnTexts('Role')) expect(role).toBe('marathon');

  await tasks
    .table()
    .getByRole('button', { name: /Task Name/ })
    .click();
  await expect(page).toHaveURL(/tasks\.sort=name/);
  await expect(page).toHaveURL(/tasks\.order=asc/);
  await expect(tasks.table().getByRole('columnheader', { name: /Task Name/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  // The header turns before the sorted page arrives: wait for the rows themselves to be in order.
  let names: string[] = [];
  await expect
    .poll(async () => {
      names = await tasks.columnTexts('Task Name');
      return names.length > 1 && names.join('\n') === [...names].sort().join('\n');
    })
    .toBe(true);

  // The same link in a fresh page shows the same view.
  await page.reload();
  await expect(tasks.table().getByRole('columnheader', { name: /Task Name/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect.poll(() => tasks.columnTexts('Task Name')).toEqual(names);

  await tasks.findBox().fill('cache');
  await expect(page).toHaveURL(/tasks\.q=cache/);
  await expect(tasks.taskRows()).toHaveCount(1);
  await expect(tasks.taskRows().first()).toContainText('unhealthy');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/tasks(\?tasks\.sort=name&tasks\.order=asc)?$/);
  await expect(tasks.group('All')).toHaveAttribute('aria-pressed', 'true');
  await expect(tasks.taskRows().filter({ hasText: 'FINISHED' }).first()).toBeVisible();

  const chronos = tasks.filter('Framework').locator('option', { hasText: /^chronos/ });
  await tasks.filter('Framework').selectOption((await chronos.getAttribute('value')) ?? '');
  await expect(page).toHaveURL(/framework=/);
  await expect(tasks.taskRows().first()).toBeVisible();
  for (const framework of await tasks.columnTexts('Framework')) expect(framework).toBe('chronos');

  await expectNoSeriousA11yViolations(page, 'the Tasks page');
  await tasks.goto();
  await expect(tasks.taskRows().first()).toBeVisible();
  await screenshotBothThemes(page, 'tasks');
});

test('a task page: status timeline, health, container, Mesos-DNS names and its stdout', async ({ page }) => {
  const tasks = new TasksPage(page);
  await tasks.goto('group=active&tasks.q=web');
  const link = tasks
    .taskRows()
    .first()
    .getByRole('link', { name: /^web\./ });
  await link.click();
  await expect(page).toHaveURL(/\/tasks\/[^/]+\/web\./);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('web.');

  const task = new TaskPage(page);
  const timeline = task.timeline();
  await expect(timeline.getByRole('listitem').first()).toContainText('STARTING');
  await expect(timeline.getByRole('listitem').nth(1)).toContainText('RUNNING');
  // The cluster's health check reports within seconds of the launch.
  await expect(timeline.getByRole('listitem').last()).toContainText('healthy');
  await expect(timeline).toContainText('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');

  await expect(task.section('Container')).toContainText('nginx:1.27-alpine');
  await expect(task.section('Container')).toContainText('BRIDGE');
  await expect(task.section('Container').getByRole('table', { name: 'Port mappings' })).toContainText('80');
  await expect(task.section('Labels')).toContainText('storefront');
  await expect(task.section('Health check')).toContainText('grep -q');
  await expect(task.section('Network')).toContainText(/172\.17\.0\.\d+/);
  await expect(task.section('Network')).toContainText('web.marathon.mesos');
  await expect(task.section('Network')).toContainText('_http._web._tcp.marathon.mesos');
  await expect(task.section('Discovery')).toContainText('FRAMEWORK');

  await expectNoSeriousA11yViolations(page, 'a task page');
  await screenshotBothThemes(page, 'task');

  // mesoscope keeps only part of each task: opening the JSON reads the whole of it from the master.
  const raw = task.rawJson();
  await raw.getByText('The task as JSON').click();
  await expect(raw.getByTestId('task-raw-json-source')).toHaveText('As the leading master reports it.');
  await expect(raw.locator('pre')).toContainText('"container_id"');
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: 1000 });
    // From the top, so that the sticky header is not painted across the middle of the full-page shot.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshotBothThemes(page, `task-json-${width}`);
  }

  await task.section('Task').getByRole('link', { name: 'stdout' }).click();
  await expect(page).toHaveURL(/\/files\/view\?path=.*stdout/);
  // The viewer opens at the end of the file: the web app's latest access-log lines, not its first line.
  await expect(new FileViewerPage(page).content()).toContainText('GET / 200');
});

test('a task that does not exist says so', async ({ page }) => {
  await page.goto('/tasks/no-such-framework/no-such-task');
  await expect(page.getByRole('alert')).toContainText(
    "No task 'no-such-task' in framework 'no-such-framework'",
  );
});
