import { appendFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchedTask } from '../src/cluster';
import { expect, test } from './fixtures';
import { FileViewerPage } from './pages/file-viewer-page';

test.describe('the file viewer on awkward files', () => {
  let task: LaunchedTask;

  test.beforeAll(async ({ ownedBff }) => {
    task = await ownedBff.cluster.control.launchTask({ name: 'e2e-edge', cmd: 'sleep 600' });
  });

  test('renders ANSI colours and styles, and cluster text never as markup', async ({ page, ownedBff }) => {
    const file = join(task.directory, 'ansi.log');
    writeFileSync(
      file,
      '\u001b[1;31mERROR\u001b[0m disk full\n' +
        '\u001b[32mINFO\u001b[0m \u001b[4munderlined\u001b[24m and \u001b[38;2;80;160;255mtrue colour\u001b[0m\n' +
        '<img src=x onerror="window.__injected=1"> <script>window.__injected=2</script>\n',
    );
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    const error = viewer.content().locator('.ansi-red-fg', { hasText: 'ERROR' });
    await expect(error).toBeVisible();
    await expect(error).toHaveCSS('font-weight', '700');
    await expect(viewer.content().locator('.ansi-green-fg', { hasText: 'INFO' })).toBeVisible();
    await expect(viewer.content().getByText('true colour')).toHaveCSS('color', 'rgb(80, 160, 255)');
    await expect(viewer.content()).toContainText('<script>window.__injected=2</script>');
    await expect(viewer.content().locator('img, script')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
    await page.screenshot({ path: 'test-results/screens/logs-ansi.png' });
  });

  test('notices a truncated and a rotated file while following, and marks it', async ({ page, ownedBff }) => {
    const file = join(task.directory, 'rotating.log');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => `before rotation ${i + 1}\n`).join(''));
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    await expect(viewer.line('before rotation 50')).toBeVisible();

    // logrotate's copytruncate: the file is emptied in place, then written again from the start.
    truncateSync(file, 0);
    appendFileSync(file, 'after truncation 1\n');
    await expect(viewer.marker()).toContainText('truncated', { timeout: 10_000 });
    await expect(viewer.line('after truncation 1')).toBeVisible();
    // What was shown before stays above the marker.
    await expect(viewer.line('before rotation 50')).toHaveClass(/log-row-stale/);

    // Replaced (renamed over) by a new file that is already longer than the old one: the fingerprint tells.
    writeFileSync(`${file}.new`, Array.from({ length: 60 }, (_, i) => `new file line ${i + 1}\n`).join(''));
    renameSync(`${file}.new`, file);
    await expect(viewer.line('new file line 60')).toBeVisible({ timeout: 10_000 });
    await expect(viewer.followState()).toHaveText('following');
    // Both markers sit above the new content (scrolled out of view while following).
    await viewer.scrollToTop();
    await expect(viewer.marker().nth(0)).toContainText('truncated');
    await expect(viewer.marker().nth(1)).toContainText('replaced');
    await page.screenshot({ path: 'test-results/screens/logs-truncated.png' });
  });

  test('waits for a file that does not exist yet and opens it when it appears', async ({
    page,
    ownedBff,
  }) => {
    const file = join(task.directory, 'appears-later.log');
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    await expect(viewer.waiting()).toContainText('Waiting for');
    writeFileSync(file, 'here at last\n');
    await expect(viewer.line('here at last')).toBeVisible({ timeout: 10_000 });
    await expect(viewer.waiting()).toHaveCount(0);
    appendFileSync(file, 'and following\n');
    await expect(viewer.line('and following')).toBeVisible();
  });

  test('shows binary bytes safely, an empty file, and a 1 MB line cut with a way to see it whole', async ({
    page,
    ownedBff,
  }) => {
    const viewer = new FileViewerPage(page);
    const binary = join(task.directory, 'binary.bin');
    writeFileSync(
      binary,
      Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x07, 0xc3]), Buffer.from(' tail\n')]),
    );
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, binary));
    // Binary bytes are said to be binary first; shown as text anyway they are safe and exact.
    await expect(page.getByTestId('file-binary')).toContainText('looks like a binary file');
    await page.getByRole('button', { name: 'Show as text anyway' }).click();
    await expect(viewer.line('tail')).toContainText('\ufffd\ufffd\\x00\\x07\ufffd tail');

    const empty = join(task.directory, 'empty.log');
    writeFileSync(empty, '');
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, empty));
    await expect(page.getByTestId('file-empty')).toBeVisible();
    appendFileSync(empty, 'first words\n');
    await expect(viewer.line('first words')).toBeVisible({ timeout: 10_000 });

    const long = join(task.directory, 'long.log');
    writeFileSync(long, `short\n${'x'.repeat(1024 * 1024)}\nafter the long line\n`);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, long));
    await expect(viewer.line('after the long line')).toBeVisible();
    await viewer
      .content()
      .getByRole('button', { name: /1 MB line, show it whole/ })
      .click();
    const whole = page.getByTestId('whole-line-text');
    await expect(whole).not.toHaveText('Loading…');
    expect((await whole.textContent())?.length).toBe(1024 * 1024);
  });
});
