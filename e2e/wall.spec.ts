import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectNoSeriousA11yViolations } from './accessibility';
import { expect, test } from './fixtures';
import { WallPage } from './pages/wall-page';
import { startBffProcess } from '../src/testing/bff-process';
import { startFakeMaster } from './support/fake-master';

const SCREENS = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];

test('/wall fills 1920×1080 and 3840×2160 exactly: every tile on screen, no scrolling, text to scale', async ({
  page,
}) => {
  const wall = new WallPage(page);
  for (const screen of SCREENS) {
    await page.setViewportSize(screen);
    if (screen === SCREENS[0]) await wall.goto();
    // The demo fails a chronos job now and then: healthy, or saying that tasks fail, never anything else.
    await expect(wall.tile('health').locator('.wall-health')).toHaveText(/^(Healthy|Tasks failing)$/);
    await expect(wall.agentCells('active')).toHaveCount(3);
    await expect(wall.tile('frameworks')).toContainText('marathon');
    await expect(wall.freshness()).toHaveAttribute('data-state', 'live');
    // No navigation chrome on the wall.
    await expect(page.getByRole('navigation')).toHaveCount(0);

    const size = await wall.overflow();
    expect(size.scrollHeight).toBeLessThanOrEqual(size.innerHeight);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
    const boxes = await wall.tileBoxes();
    // Every tile but the GPU one: the demo has no GPUs.
    expect(boxes).toHaveLength(10);
    for (const box of boxes) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(screen.width + 0.5);
      expect(box.y + box.height).toBeLessThanOrEqual(screen.height + 0.5);
    }
    // Text scales with the screen: as readable from across the room on a 4K panel as on a 1080p one.
    const fontPx = await page
      .getByTestId('wall')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeCloseTo(Math.min(48, screen.height * 0.0145), 0);
    await page.screenshot({ path: `test-results/screens/wall-${screen.width}x${screen.height}.png` });
    if (screen === SCREENS[0]) await expectNoSeriousA11yViolations(page, 'the wall (dark)');
  }
});

test('/wall stays readable at 1,000 agents, marking the unreachable and draining ones', async ({ page }) => {
  const master = await startFakeMaster(1_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-e2e-'));
  const bff = await startBffProcess([
    '--master',
    master.url,
    '--poll-interval',
    '1000',
    '--data-dir',
    dataDir,
  ]);
  try {
    await page.setViewportSize({ width: 1920, height: 1080 });
    const wall = new WallPage(page);
    await wall.goto('', bff.baseUrl);
    await expect(wall.agentCells()).toHaveCount(1_000);
    await expect(wall.tile('agents')).toContainText('964 / 1,000 active');
    expect(await wall.agentCells('unreachable').count()).toBe(10);
    expect(await wall.agentCells('draining').count()).toBe(17);
    const sizes = await wall
      .agentCells()
      .evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().width));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
    const styles = await Promise.all(
      ['active', 'unreachable', 'draining', 'drained'].map((status) =>
        wall
          .agentCells(status)
          .first()
          .evaluate(
            (cell) => getComputedStyle(cell).backgroundImage + getComputedStyle(cell).backgroundColor,
          ),
      ),
    );
    expect(new Set(styles).size).toBe(4);
    const size = await wall.overflow();
    expect(size.scrollHeight).toBeLessThanOrEqual(size.innerHeight);
    await page.screenshot({ path: 'test-results/screens/wall-1000-agents-1920x1080.png' });
  } finally {
    await bff.stop();
    await master.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a hidden tab keeps polling; ?kiosk hides the navigation; rotate= cycles pages; the pointer hides', async ({
  page,
}) => {
  const wall = new WallPage(page);
  await wall.goto('refresh=1&theme=light');
  // The demo fails a chronos job now and then: healthy, or saying that tasks fail, never anything else.
  await expect(wall.tile('health').locator('.wall-health')).toHaveText(/^(Healthy|Tasks failing)$/);
  await expect(page.getByTestId('wall')).toHaveAttribute('data-theme', 'light');

  // A TV is never the focused window: polling goes on with the tab hidden.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  let polls = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/wall') polls += 1;
  });
  await expect.poll(() => polls, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

  await wall.goto('rotate=/wall:5,/agents:5&theme=light');
  await expect(page).toHaveURL(/\/agents\?kiosk&rotate=/, { timeout: 15_000 });
  await expect(page.getByRole('table').first()).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page).toHaveURL(/\/wall\?kiosk&rotate=.*theme=light/, { timeout: 15_000 });
  await expect(page.getByTestId('wall')).toHaveAttribute('data-theme', 'light');

  await expect(page.locator('html')).toHaveClass(/cursor-hidden/, { timeout: 6_000 });
  await page.mouse.move(100, 100);
  await page.mouse.move(200, 150);
  await expect(page.locator('html')).not.toHaveClass(/cursor-hidden/);
});
