import { expect, test } from './fixtures';
import { OverviewPage } from './pages/overview-page';

test('master down: a banner says since when, the data stays, and it recovers without a reload', async ({
  page,
  ownedBff,
}) => {
  const overview = new OverviewPage(page);
  await page.goto(ownedBff.baseUrl + '/');
  await expect(overview.counter('agents-activated')).toHaveText('2');
  await expect(page.getByRole('alert')).toHaveCount(0);

  await ownedBff.cluster.control.stopMaster();
  try {
    const banner = page.getByRole('alert');
    try {
      await expect(banner).toContainText(/cannot reach the leading master/i, { timeout: 10_000 });
    } catch (error) {
      // Say what the server believed, so that a failure here tells the page's fault from the server's.
      const status = await page.request.get(ownedBff.baseUrl + '/api/status').then((r) => r.text());
      throw new Error(`${String(error)}\n/api/status said: ${status}`);
    }
    await expect(banner).toContainText(/refreshed/i);
    // The last good data is still on the page.
    await expect(overview.counter('agents-activated')).toHaveText('2');
    await expect(overview.activeTaskRow(/hello|web|counter/)).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/master-down.png', fullPage: true });
  } finally {
    await ownedBff.cluster.control.startMaster();
  }
  // mesoscope reconnects with backoff (1 s, 2 s, 4 s… so as not to hammer a struggling master).
  await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 20_000 });
  await expect(overview.counter('agents-activated')).toHaveText('2');
});
