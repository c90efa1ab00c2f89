import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCluster } from '../src/cluster';
import type { LocalCluster } from '../src/cluster';
import { expect, test } from './fixtures';
import { WallPage } from './pages/wall-page';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

interface HistoryAnswer {
  samples: number;
  persistence: string;
  latestAt: number | null;
}

test.describe.serial('the wall over time', () => {
  let cluster: LocalCluster;
  let dataDir: string;
  let bff: BffProcess;
  const startBff = () =>
    startBffProcess(['--master', cluster.masterUrl, '--poll-interval', '500', '--data-dir', dataDir]);
  const history = async (): Promise<HistoryAnswer> =>
    (await fetch(`${bff.baseUrl}/api/history?window=1h`)).json() as Promise<HistoryAnswer>;

  test.beforeAll(async () => {
    cluster = await startCluster({ agents: 2 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-e2e-'));
    bff = await startBff();
  });

  test.afterAll(async () => {
    await bff?.stop();
    await cluster?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('history survives a restart of mesoscope: a freshly opened wall shows it at once', async ({
    page,
  }) => {
    // One sample per 5 s: three samples span at least two chart points.
    await expect.poll(async () => (await history()).samples, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const before = await history();
    expect(before.persistence).toBe('disk');

    await bff.stop();
    bff = await startBff();
    const after = await history();
    expect(after.samples).toBeGreaterThanOrEqual(before.samples);
    expect(after.persistence).toBe('disk');

    const wall = new WallPage(page);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await wall.goto('', bff.baseUrl);
    await expect(wall.chartArea('cpu')).toHaveAttribute('d', /M.+L/);
    await expect(wall.chartArea('tasks')).toHaveAttribute('d', /M.+L/);
    await page.screenshot({ path: 'test-results/screens/wall-after-restart.png' });

    // The Overview's small charts read the same history.
    await page.goto(`${bff.baseUrl}/?history=6h`);
    const charts = page.getByTestId('overview-charts');
    await expect(charts).toContainText(/\d+ samples/);
    await expect(charts.getByRole('button', { name: '6h' })).toHaveAttribute('aria-pressed', 'true');
    // A few samples may fall in one 6 h bucket: then the series is one point, drawn as a dot.
    await expect(charts.locator('.svg-chart-area').first().locator('path, circle').first()).toBeVisible();
  });

  test('master down: "stale since" with the last data kept, then fresh data again by itself', async ({
    page,
  }) => {
    const wall = new WallPage(page);
    await wall.goto('refresh=1', bff.baseUrl);
    await expect(wall.freshness()).toHaveAttribute('data-state', 'live');
    await expect(wall.agentCells()).toHaveCount(2);

    await cluster.control.stopMaster();
    try {
      await expect(wall.freshness()).toHaveAttribute('data-state', 'stale', { timeout: 10_000 });
      // The last data before the outage, read after one more refresh (1 s) once stale: the server's last publish
      // before it saw the master go can land after the status that says so.
      await page.waitForTimeout(1_500);
      const running = await wall.tile('tasks').locator('.wall-tile-figure').innerText();
      expect(running).toMatch(/^\d+$/);
      await expect(wall.freshness()).toContainText(/Stale since \d\d:\d\d:\d\d/);
      await expect(wall.freshness()).toContainText('master unreachable');
      await expect(wall.tile('health')).toContainText('Master unreachable');
      // Nothing blanks: three refreshes later, the last data is still on every tile.
      await page.waitForTimeout(3_000);
      await expect(wall.agentCells()).toHaveCount(2);
      await expect(wall.tile('tasks').locator('.wall-tile-figure')).toHaveText(running);
      await expect(wall.tile('frameworks')).toContainText('marathon');
      await page.screenshot({ path: 'test-results/screens/wall-master-down.png' });
    } finally {
      await cluster.control.startMaster();
    }
    const staleSince = Date.now();
    // mesoscope reconnects with backoff (1 s, 2 s, 4 s… so as not to hammer a struggling master).
    await expect(wall.freshness()).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    // The demo fails a chronos job now and then: healthy, or saying that tasks fail, never anything else.
    await expect(wall.tile('health').locator('.wall-health')).toHaveText(/^(Healthy|Tasks failing)$/);
    const fresh = (await (await fetch(`${bff.baseUrl}/api/wall`)).json()) as { snapshotAt: number };
    expect(fresh.snapshotAt).toBeGreaterThan(staleSince - 1_000);
  });
});
