import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchedTask } from '../src/cluster';
import { expectNoSeriousA11yViolations } from './accessibility';
import { expect, test } from './fixtures';
import { FileViewerPage } from './pages/file-viewer-page';

/** Numbered lines `<prefix> 000001 …`, each naming its own number. */
const numbered = (prefix: string, from: number, to: number) =>
  Array.from(
    { length: to - from + 1 },
    (_, i) => `${prefix} ${String(from + i).padStart(6, '0')} of the test\n`,
  ).join('');

test.describe('the file viewer', () => {
  let task: LaunchedTask;

  test.beforeAll(async ({ ownedBff }) => {
    task = await ownedBff.cluster.control.launchTask({ name: 'e2e-logs', cmd: 'sleep 600' });
  });

  test('opens at the end, follows, pauses when scrolled up, and End resumes', async ({ page, ownedBff }) => {
    const file = join(task.directory, 'follow.log');
    writeFileSync(file, numbered('follow', 1, 400));
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    await expect(viewer.line('follow 000400')).toBeVisible();
    await expect(viewer.followState()).toHaveText('following');

    appendFileSync(file, numbered('follow', 401, 450));
    await expect(viewer.line('follow 000450')).toBeVisible({ timeout: 5_000 });

    await viewer.wheelUp();
    await expect(viewer.followState()).toHaveText('paused');
    await expect(viewer.line('follow 000450')).not.toBeInViewport();
    appendFileSync(file, numbered('follow', 451, 500));
    // Paused: the view stays where the user scrolled to.
    await page.waitForTimeout(1_500);
    await expect(viewer.line('follow 000500')).toHaveCount(0);

    await page.keyboard.press('End');
    await expect(viewer.followState()).toHaveText('following');
    await expect(viewer.line('follow 000500')).toBeInViewport();
    await expectNoSeriousA11yViolations(page, 'the file viewer');
    await page.screenshot({ path: 'test-results/screens/logs-follow.png' });
  });

  test('scrolls back page by page to the start, keeping only a window of the file', async ({
    page,
    ownedBff,
  }) => {
    const file = join(task.directory, 'back.log');
    writeFileSync(file, numbered('back', 1, 40_000));
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    await expect(viewer.line('back 040000')).toBeVisible();
    const firstShown = async () => {
      const offsets = await viewer
        .lines()
        .evaluateAll((rows) => rows.map((row) => Number(row.dataset['offset'])));
      return Math.min(...offsets);
    };
    const atTail = await firstShown();
    for (let i = 0; i < 40; i += 1) {
      await viewer.scrollToTop();
      if (/beginning of the file/.test(await viewer.status().innerText())) break;
      await page.waitForTimeout(250);
    }
    await viewer.scrollToTop();
    await expect(viewer.status()).toContainText('From the beginning of the file');
    await expect(viewer.line('back 000001 of')).toBeVisible();
    expect(await firstShown()).toBeLessThan(atTail);
    // Bounded: the window holds lines 1 to at most 10,000 of the 40,000, and no longer reaches the end.
    const range = /lines 1–([\d,]+)/.exec(await viewer.status().innerText());
    expect(Number(range?.[1]?.replace(/,/g, ''))).toBeLessThanOrEqual(10_000);
    await expect(viewer.followState()).toHaveText('paused');

    await page.keyboard.press('End');
    await expect(viewer.line('back 040000')).toBeInViewport();
    await page.keyboard.press('Home');
    await expect(viewer.line('back 000001 of')).toBeInViewport();
  });

  test('searches the loaded lines, filters them, and finds a line far back in the whole file', async ({
    page,
    ownedBff,
  }) => {
    const file = join(task.directory, 'search.log');
    writeFileSync(file, numbered('search', 1, 40_000));
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file));
    await expect(viewer.line('search 040000')).toBeVisible();

    await viewer.searchBox().fill('search 0399');
    await expect(viewer.searchCount()).toHaveText('1 of 100');
    await viewer.searchBox().press('Enter');
    await expect(viewer.searchCount()).toHaveText('2 of 100');
    await expect(page.locator('.log-mark-current')).toHaveText('search 0399');
    await page.getByRole('button', { name: 'Filter' }).first().click();
    const shown = await viewer.lines().allInnerTexts();
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) expect(text).toContain('search 0399');
    await page.getByRole('button', { name: 'Filter' }).first().click();

    // Line 7 is 40,000 lines back, far outside the loaded window: the BFF searches the whole file.
    await viewer.searchBox().fill('search 000007 of');
    await expect(viewer.searchCount()).toHaveText('no match');
    await page.getByRole('button', { name: 'Whole file' }).first().click();
    const results = viewer.wholeFileResults();
    await expect(results).toContainText('1 matching lines');
    await results.getByRole('button', { name: /search 000007 of/ }).click();
    await expect(viewer.line('search 000007 of')).toBeInViewport();
    await expect(viewer.line('search 000007 of')).toHaveClass(/log-row-anchored/);
    await expect(viewer.followState()).toHaveText('paused');
    await page.screenshot({ path: 'test-results/screens/logs-search.png' });
  });

  test('opens the line range a URL names, and line-number clicks make such a URL', async ({
    page,
    ownedBff,
  }) => {
    const file = join(task.directory, 'range.log');
    writeFileSync(file, numbered('range', 1, 30_000));
    const viewer = new FileViewerPage(page);
    await page.goto(ownedBff.baseUrl + FileViewerPage.url(task.agentId, file, '#L120-L122'));
    await expect(viewer.line('range 000120')).toBeInViewport();
    for (const n of ['000120', '000121', '000122'])
      await expect(viewer.line(`range ${n}`)).toHaveClass(/log-row-selected/);
    await expect(viewer.line('range 000123')).not.toHaveClass(/log-row-selected/);

    await viewer
      .line('range 000130')
      .getByRole('button', { name: /Select line 130/ })
      .click();
    await viewer
      .line('range 000132')
      .getByRole('button', { name: /Select line 132/ })
      .click({ modifiers: ['Shift'] });
    await expect(page).toHaveURL(/#L130-L132$/);
    await page.reload();
    await expect(viewer.line('range 000131')).toHaveClass(/log-row-selected/);
  });
});
