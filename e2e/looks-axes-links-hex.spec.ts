import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { ExecutorView } from '../src/bff/schemas/detail-views';
import type { FrameworksView, TaskPage } from '../src/bff/schemas/views';
import { FileViewerPage } from './pages/file-viewer-page';
import { SCREENS, screenshotEverySize } from './support/screens';

async function getJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(path);
  expect(response.ok(), path).toBe(true);
  return (await response.json()) as T;
}

/** The y-axis labels of the wall's charts (Recharts) and of the Overview's (plain SVG). */
const Y_LABELS = '.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value, .svg-chart-y-axis text';

/** Every y-axis label of every chart on the page, with how far it sticks out of its chart's svg (0 when inside). */
async function yLabelsOutside(page: Page) {
  return page.evaluate(
    (selector) =>
      [
        ...document.querySelectorAll<SVGSVGElement>('.chart-box svg.recharts-surface, .svg-chart > svg'),
      ].flatMap((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll<SVGTextElement>(selector)].map((label) => {
          const r = label.getBoundingClientRect();
          return {
            text: label.textContent ?? '',
            outside: Math.max(
              box.left - r.left,
              box.top - r.top,
              r.right - box.right,
              r.bottom - box.bottom,
              0,
            ),
          };
        });
      }),
    Y_LABELS,
  );
}

async function expectChartAxesInside(page: Page, name: string) {
  for (const size of SCREENS) {
    await page.setViewportSize(size);
    await expect(page.locator(Y_LABELS).first()).toBeVisible();
    await page.waitForTimeout(400);
    const labels = await yLabelsOutside(page);
    expect(labels.length, `${name} at ${size.width}`).toBeGreaterThan(0);
    // Half a pixel is antialiasing, not a cut.
    expect(
      labels.filter((label) => label.outside > 0.5),
      `${name} at ${size.width}`,
    ).toEqual([]);
    // Round ticks: every label is 0 or a number with at most one significant decimal (20 TB, 2.5K, 0.5).
    for (const { text } of labels)
      expect(text, `${name} at ${size.width}`).toMatch(/^(0|\d+(\.\d)?\d*K?( [KMGTP]B)?)$/);
  }
}

test('chart axes sit inside their charts at every size, in round steps, and the charts are looked at', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await expectChartAxesInside(page, 'overview');
  await screenshotEverySize(page, 'axes-overview');

  await page.goto('/wall');
  await expectChartAxesInside(page, 'wall');
  await screenshotEverySize(page, 'axes-wall');
});

test("a framework's web UI link looks like a link out, not like the links that stay inside", async ({
  page,
}) => {
  const frameworks = await getJson<FrameworksView>(page, '/api/frameworks');
  const withUi = frameworks.active.find((framework) => framework.webuiUrl);
  if (!withUi) throw new Error('no framework of the demo has a web UI');
  await page.goto(`/frameworks/${encodeURIComponent(withUi.id)}`);
  const summary = page.getByTestId('framework-summary');
  const webUi = summary.getByRole('link', {
    name: new RegExp(`${withUi.webuiUrl ?? ''}.*opens in a new tab`),
  });
  await expect(webUi).toHaveAttribute('target', '_blank');
  await expect(webUi.locator('svg')).toBeVisible();
  const inside = page.locator('main a:not(.external-link)').first();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const [outside, inner] = await Promise.all(
      [webUi, inside].map((link) =>
        link.evaluate((element) => {
          const style = getComputedStyle(element);
          return { color: style.color, line: style.textDecorationLine };
        }),
      ),
    );
    expect(outside?.color).not.toBe(inner?.color);
    expect(outside?.line).toContain('underline');
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshotEverySize(page, 'looks-framework');
});

test('the Tasks filter bar keeps Role on the first line at 1280 px', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  // A filter set brings a "Clear filters" button into the bar too.
  await page.goto('/tasks?group=completed&state=TASK_FAILED');
  const bar = page.getByRole('search', { name: 'Task filters' });
  const clear = bar.getByRole('button', { name: 'Clear filters' });
  await expect(clear).toBeVisible();
  const state = await bar.getByLabel('State', { exact: true }).boundingBox();
  const role = await bar.getByLabel('Role', { exact: true }).boundingBox();
  const clearBox = await clear.boundingBox();
  expect(role?.y).toBe(state?.y);
  // The button is centred on the selects' line, not below them.
  expect(
    Math.abs((clearBox?.y ?? 0) + (clearBox?.height ?? 0) / 2 - ((role?.y ?? 0) + (role?.height ?? 0) / 2)),
  ).toBeLessThan(6);
  await screenshotEverySize(page, 'looks-tasks');
});

test('a binary file can be read as hex: offset, 16 bytes a line and the printable ASCII', async ({
  page,
}) => {
  const tasks = await getJson<TaskPage>(page, '/api/tasks?group=active&q=logs-files');
  const task = tasks.rows.find((row) => row.name === 'logs-files');
  if (!task) throw new Error('the demo has no logs-files task');
  const executor = await getJson<ExecutorView>(
    page,
    `/api/agents/${task.agentId}/frameworks/${task.frameworkId}/executors/${encodeURIComponent(task.executorId)}`,
  );
  const sandbox = executor.tasks.find((row) => row.id === task.id)?.sandbox ?? executor.executor.directory;
  const file = `${sandbox}/binary.dat`;
  const download = await page.request.get(
    `/agent/${encodeURIComponent(task.agentId)}/files/download?path=${encodeURIComponent(file)}`,
  );
  const bytes = await download.body();
  expect(bytes.length).toBe(4096);
  const hex = (from: number) =>
    [...bytes.subarray(from, from + 16)].map((byte) => byte.toString(16).padStart(2, '0'));

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(FileViewerPage.url(task.agentId, file));
  const notice = page.getByTestId('file-binary');
  await notice.getByRole('button', { name: 'Show as hex' }).click();
  const view = page.getByTestId('hex-view');
  const lines = view.locator('.hex-line');
  await expect(lines).toHaveCount(256);
  const first = hex(0);
  await expect(lines.first().locator('.hex-offset')).toHaveText('00000000');
  await expect(lines.first().locator('.hex-bytes')).toHaveText(
    `${first.slice(0, 8).join(' ')}  ${first.slice(8).join(' ')}`,
  );
  await expect(lines.nth(255).locator('.hex-offset')).toHaveText('00000ff0');
  await expect(lines.nth(255).locator('.hex-bytes')).toContainText(hex(4080).slice(8).join(' '));
  const ascii = [...bytes.subarray(0, 16)].map((byte) =>
    byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.',
  );
  await expect(lines.first().locator('.hex-ascii')).toHaveText(`|${ascii.join('')}|`);
  await expect(view).toContainText('4,096 bytes');
  await screenshotEverySize(page, 'looks-hex');
});
