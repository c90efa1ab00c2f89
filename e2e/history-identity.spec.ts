import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { HistoryView } from '../src/bff/schemas/wall';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

/** The history's 1 h view once it holds at least `samples` samples that pass `check`. */
async function historyOnce(
  bff: BffProcess,
  samples: number,
  check: (view: HistoryView) => boolean = () => true,
): Promise<HistoryView> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const response = await fetch(`${bff.baseUrl}/api/history?window=1h`).catch(() => null);
    if (response?.ok) {
      const view = (await response.json()) as HistoryView;
      if (view.samples >= samples && check(view)) return view;
    }
    if (Date.now() > deadline) throw new Error(`no such history at ${bff.baseUrl}: ${bff.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const filled = (view: HistoryView) => view.points.filter((point) => point.running !== null);
const failures = (view: HistoryView) =>
  view.failures.reduce((sum, bar) => sum + (bar.perMinute ?? 0) * (view.failureStepMs / 60_000), 0);

test.describe('history belongs to one cluster', () => {
  test.describe.configure({ timeout: 240_000 });
  let dataDir: string;
  test.beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-e2e-history-'));
  });
  test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('the large scenario, then the demo: no trace of the first in the second, and each keeps its own', async ({
    page,
  }) => {
    const large = await startBffProcess([
      '--scenario',
      'large',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ]);
    let largeView: HistoryView;
    try {
      largeView = await historyOnce(large, 2, (view) =>
        filled(view).some((point) => (point.running ?? 0) >= 9_000),
      );
    } finally {
      await large.stop();
    }
    const largeSamples = largeView.samples;
    expect(Math.max(...filled(largeView).map((point) => point.cpusTotal ?? 0))).toBeGreaterThan(1_000);

    const demo = await startBffProcess(['--data-dir', dataDir, '--log-level', 'warn']);
    try {
      const view = await historyOnce(demo, 1);
      // Only the demo's own samples: 3 agents of 4 CPUs, a handful of tasks, its own few failures.
      for (const point of filled(view)) {
        expect(point.cpusTotal).toBeLessThanOrEqual(12);
        expect(point.running ?? 0).toBeLessThan(100);
      }
      expect(failures(view)).toBeLessThan(100);

      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.goto(`${demo.baseUrl}/wall`);
      const running = page.getByTestId('tile-tasks').locator('.wall-tile-figure');
      await expect(running).toHaveText(/^\d{1,2}$/);
      await expect(page.getByTestId('tile-failures').locator('.wall-tile-figure')).toHaveText(
        /^\d{1,2} in 1h$/,
      );
      await page.screenshot({ path: 'test-results/screens/history-demo-after-large-wall.png' });
    } finally {
      await demo.stop();
    }
    expect(
      readdirSync(dataDir)
        .filter((name) => name.endsWith('.bin'))
        .sort(),
    ).toEqual(['history-local-demo-3-agents.bin', 'history-local-large.bin']);

    // The large cluster again: its history is where it left it.
    const again = await startBffProcess([
      '--scenario',
      'large',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ]);
    try {
      const view = await historyOnce(again, largeSamples);
      expect(view.samples).toBeGreaterThanOrEqual(largeSamples);
    } finally {
      await again.stop();
    }
  });
});
