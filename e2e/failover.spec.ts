import { startCluster } from '../src/cluster';
import type { LocalCluster } from '../src/cluster';
import { expect, test } from './fixtures';
import { ConnectionStatus } from './pages/connection-status';
import { OverviewPage } from './pages/overview-page';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

const hostPort = (url: string) => new URL(url).host;

test.describe('three masters, one killed', () => {
  let cluster: LocalCluster;
  let bff: BffProcess;

  test.beforeAll(async () => {
    cluster = await startCluster({ masters: 3, agents: 2, electionDelayMs: 500 });
    bff = await startBffProcess(['--master', cluster.masterUrls.join(','), '--poll-interval', '500']);
  });
  test.afterAll(async () => {
    await bff?.stop();
    await cluster?.close();
  });

  test('the page follows the new leader without losing its data, then rides out a full outage', async ({
    page,
  }) => {
    const overview = new OverviewPage(page);
    const status = new ConnectionStatus(page);
    const [first, second] = cluster.masterUrls as [string, string];
    await page.goto(bff.baseUrl + '/');
    await expect(overview.counter('agents-activated')).toHaveText('2');
    await expect(status.leaderBadge()).toContainText(hostPort(first));

    await cluster.control.killLeader();
    // One poll interval plus the election, plus the page's own status poll.
    await expect(status.leaderBadge()).toContainText(hostPort(second), { timeout: 6_000 });
    await expect(status.leaderChange()).toContainText(`Leader changed to ${hostPort(second)}`);
    await expect(status.leaderChange()).toContainText(`was ${hostPort(first)}`);
    await expect(overview.counter('agents-activated')).toHaveText('2');
    await expect(overview.activeTaskRow(/hello|web|counter/)).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/leader-changed.png', fullPage: true });

    await cluster.control.stopAllMasters();
    try {
      await expect(status.banner()).toContainText(/cannot reach the leading master/i, { timeout: 10_000 });
      await expect(status.banner()).toContainText(/stale since \d\d:\d\d:\d\d/i);
      await expect(overview.counter('agents-activated')).toHaveText('2');
      await expect(overview.activeTaskRow(/hello|web|counter/)).toBeVisible();
      await page.screenshot({ path: 'test-results/screens/all-masters-down.png', fullPage: true });
    } finally {
      await cluster.control.startAllMasters();
    }
    await expect(status.banner()).toHaveCount(0, { timeout: 10_000 });
    await expect(status.leaderBadge()).toContainText(hostPort(second));
  });
});

test.describe('credentials Mesos refuses', () => {
  const SECRET = 'e2e-secret-never-shown';
  let cluster: LocalCluster;
  let bff: BffProcess;

  test.beforeAll(async () => {
    cluster = await startCluster({
      agents: 1,
      scenario: 'empty',
      authenticate: { principal: 'mesoscope', secret: SECRET },
    });
    bff = await startBffProcess(['--master', cluster.masterUrl, '--poll-interval', '500'], {
      env: { MESOS_CREDENTIALS: `mesoscope:${SECRET}-wrong` },
    });
  });
  test.afterAll(async () => {
    await bff?.stop();
    await cluster?.close();
  });

  test('the page says Mesos refused them, stays usable, and the secret is nowhere', async ({ page }) => {
    const bodies: string[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(bff.baseUrl))
        void response.text().then(
          (text) => bodies.push(text),
          () => undefined,
        );
    });
    const status = new ConnectionStatus(page);
    await page.goto(bff.baseUrl + '/');
    await expect(status.banner()).toContainText("Mesos refused mesoscope's credentials (HTTP 401)");
    await expect(status.banner()).toContainText('--credentials-file or MESOS_CREDENTIALS');
    await page.screenshot({ path: 'test-results/screens/credentials-refused.png', fullPage: true });

    await page.getByRole('link', { name: 'Frameworks' }).click();
    await expect(page).toHaveURL(/\/frameworks$/);
    await expect(status.banner()).toContainText('HTTP 401');
    await expect(page.getByRole('heading').first()).toBeVisible();

    for (const text of [await page.content(), ...bodies, bff.output()]) expect(text).not.toContain(SECRET);
  });
});
