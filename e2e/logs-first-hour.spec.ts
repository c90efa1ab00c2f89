import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchedTask } from '../src/cluster';
import { expect, test } from './fixtures';
import { FileViewerPage } from './pages/file-viewer-page';
import { screenshotEverySize } from './support/screens';

// What an operator meets in the first hour with logs: a binary file, colours in search results, a line number
// from a colleague, a task that has ended, and where a log belongs.
test.describe('the file viewer, as an operator first uses it', () => {
  let task: LaunchedTask;

  test.beforeAll(async ({ ownedBff }) => {
    task = await ownedBff.cluster.control.launchTask({ name: 'e2e-first-hour', cmd: 'sleep 600' });
  });

  test('a binary file is not shown as noise: it is named, offered as a download, and shown only on request', async ({
    page,
    ownedBff,
  }) => {
    const file = join(task.directory, 'binary.dat');
    const bytes = Buffer.alloc(4096);
    for (let at = 0; at < bytes.length; at += 1) bytes[at] = (at * 7919) % 256;
    writeFileSync(file, bytes);
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    const notice = page.getByTestId('file-binary');
    await expect(notice).toContainText('binary.dat looks like a binary file');
    await expect(notice.getByRole('link', { name: 'Download' })).toHaveAttribute(
      'href',
      /files\/download\?path=/,
    );
    await expect(viewer.content()).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screens/logs-binary.png' });
    await notice.getByRole('button', { name: 'Show as text anyway' }).click();
    await expect(viewer.content()).toBeVisible();
  });

  test('whole-file search results read as the viewer shows the lines, without colour escapes', async ({
    page,
    ownedBff,
  }) => {
    const file = join(task.directory, 'colours.log');
    const lines = Array.from({ length: 20_000 }, (_, i) => `plain line ${i + 1}\n`);
    lines[2] = '\u001b[1;31mERROR\u001b[0m needle in \u001b[32mgreen\u001b[0m text\n';
    writeFileSync(file, lines.join(''));
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    await expect(viewer.line('plain line 20000')).toBeVisible();
    await viewer.searchBox().fill('needle');
    await page.getByRole('button', { name: 'Whole file' }).first().click();
    const results = viewer.wholeFileResults();
    await expect(results).toContainText('1 matching lines');
    const item = results.getByRole('button', { name: /needle/ });
    await expect(item).toContainText('ERROR needle in green text');
    const shown = await item.innerText();
    expect(shown).not.toContain('\u001b');
    expect(shown).not.toMatch(/\[1;31m|\[0m/);
    await expect(item.locator('mark')).toHaveText('needle');
  });

  test('goes to a line by its number, however far back', async ({ page, ownedBff }) => {
    const file = join(task.directory, 'long.log');
    writeFileSync(file, Array.from({ length: 50_000 }, (_, i) => `numbered ${i + 1} of 50000\n`).join(''));
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    await expect(viewer.line('numbered 50000 of 50000')).toBeVisible();
    await page.getByRole('textbox', { name: 'Line' }).fill('1,234');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(page).toHaveURL(/#L1234$/);
    await expect(viewer.line('numbered 1234 of 50000')).toBeInViewport();
    await expect(viewer.followState()).toHaveText('paused');
  });

  test("a task's log is headed by the task's name, links back to it, and says when the task has ended", async ({
    page,
    ownedBff,
  }) => {
    test.setTimeout(90_000);
    const ended = await ownedBff.cluster.control.launchTask({
      name: 'e2e-ends-badly',
      cmd: 'echo about to fail >&2; exit 3',
    });
    await expect
      .poll(
        async () => {
          const response = await page.request.get(
            `${ownedBff.baseUrl}/api/tasks/${encodeURIComponent(ended.frameworkId)}/${encodeURIComponent(ended.taskId)}`,
          );
          return response.ok() ? ((await response.json()) as { row: { state: string } }).row.state : null;
        },
        { timeout: 30_000 },
      )
      .toBe('TASK_FAILED');
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(ended.agentId, join(ended.directory, 'stderr')));
    await expect(viewer.line('about to fail')).toBeVisible();
    const heading = page.getByRole('heading', { level: 1 });
    await expect(heading).toHaveText('e2e-ends-badly · stderr');
    await expect(viewer.followState()).toHaveText('task ended');
    await screenshotEverySize(page, 'logs-task-ended');
    await heading.getByRole('link', { name: 'e2e-ends-badly' }).click();
    await expect(page).toHaveURL(new RegExp(`/tasks/[^/]+/${ended.taskId}$`));
  });

  test('the sandbox browser lists names first, sorts and filters, and leads back to the task, executor and agent', async ({
    page,
    ownedBff,
  }) => {
    writeFileSync(join(task.directory, 'big.log'), 'x'.repeat(3_000_000));
    writeFileSync(join(task.directory, 'small.log'), 'y');
    await page.goto(
      `${ownedBff.baseUrl}/agents/${encodeURIComponent(task.agentId)}/frameworks/${encodeURIComponent(task.frameworkId)}` +
        `/executors/${encodeURIComponent(task.executorId)}/tasks/${encodeURIComponent(task.taskId)}/browse`,
    );
    const files = page.getByRole('table', { name: 'Files' });
    await expect(files.getByRole('link', { name: 'big.log', exact: true })).toBeVisible();
    const headers = (await files.locator('thead th').allInnerTexts()).map((text) =>
      text.replace(/[▲▼↕]/g, '').trim(),
    );
    expect(headers[0]).toBe('Name');

    await files.getByRole('button', { name: /Size/ }).click();
    await expect(files.locator('tbody tr').first()).toContainText('big.log');
    await page.getByRole('searchbox', { name: 'Filter Files' }).fill('small');
    await expect(files.locator('tbody tr')).toHaveCount(1);
    await expect(files.locator('tbody tr').first()).toContainText('small.log');

    const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    await expect(crumbs.getByRole('link', { name: 'Task e2e-first-hour' })).toHaveAttribute(
      'href',
      new RegExp(`/tasks/[^/]+/${task.taskId}$`),
    );
    await expect(crumbs.getByRole('link', { name: /^Executor / })).toBeVisible();
    await screenshotEverySize(page, 'sandbox-browser');
    await crumbs.getByRole('link', { name: /^Executor / }).click();
    await expect(page).toHaveURL(/\/executors\//);
  });
});
