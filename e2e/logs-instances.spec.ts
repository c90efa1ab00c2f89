import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { FileViewerPage } from './pages/file-viewer-page';

test('stdout and stderr side by side, and every instance of an app merged by time', async ({
  page,
  ownedBff,
}) => {
  const control = ownedBff.cluster.control;
  const [a, b] = await Promise.all([
    control.launchTask({ framework: 'e2e-apps', name: 'twin', cmd: 'sleep 600' }),
    control.launchTask({ framework: 'e2e-apps', name: 'twin', cmd: 'sleep 600' }),
  ]);
  if (!a || !b) throw new Error('tasks did not start');
  // Timestamps interleave the two instances; the line without one stays with the line before it.
  appendFileSync(
    join(a.directory, 'stdout'),
    '2030-01-01T00:00:01Z first\n2030-01-01T00:00:03Z third\n  continued\n',
  );
  appendFileSync(join(b.directory, 'stdout'), '2030-01-01T00:00:02Z second\n2030-01-01T00:00:04Z fourth\n');
  appendFileSync(join(a.directory, 'stderr'), 'an error of twin A\n');

  const viewer = new FileViewerPage(page);
  await page.goto(ownedBff.baseUrl + FileViewerPage.url(a.agentId, join(a.directory, 'stdout')));
  await expect(viewer.line('first')).toBeVisible();
  await page.getByRole('link', { name: 'both' }).click();
  await expect(page.getByTestId('file-content')).toHaveCount(2);
  await expect(page.getByTestId('file-content').nth(1)).toContainText('an error of twin A');

  await page.getByRole('link', { name: 'All 2 instances' }).click();
  await expect(page.getByRole('heading', { name: 'twin: stdout of every instance' })).toBeVisible();
  await expect(page.getByTestId('file-content')).toHaveCount(2);
  await page.getByRole('button', { name: 'Merged by time' }).click();
  const merged = page.getByTestId('file-content');
  await expect(merged).toHaveCount(1);
  await expect(merged).toContainText('fourth');
  const texts = (await merged.getByTestId('log-line').allInnerTexts()).filter(
    (text) => text.includes('2030') || text.includes('continued'),
  );
  expect(texts.map((text) => text.replace(/^#\d\s*/, '').trim())).toEqual([
    '2030-01-01T00:00:01Z first',
    '2030-01-01T00:00:02Z second',
    '2030-01-01T00:00:03Z third',
    'continued',
    '2030-01-01T00:00:04Z fourth',
  ]);
  await page.screenshot({ path: 'test-results/screens/logs-merged.png' });
});
