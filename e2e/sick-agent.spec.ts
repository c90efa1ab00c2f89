import type { Page } from '@playwright/test';
import type { AgentsView } from '../src/bff/schemas/views';
import { expectNoSeriousA11yViolations, screenshotBothThemes } from './accessibility';
import { AppHeader } from './pages/app-header';
import { WallPage } from './pages/wall-page';
import { expect, test } from './parity-fixtures';

const SCREENS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;

/** Screenshots of the page as it is, at every screen size, light and dark. */
async function screens(page: Page, name: string, settle?: () => Promise<void>): Promise<void> {
  for (const size of SCREENS) {
    await page.setViewportSize(size);
    await settle?.();
    await screenshotBothThemes(page, `${name}-${size.width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('the unreachable agent is in plain sight: listed, its own page, found, and on the wall', async ({
  page,
  parityBff,
}) => {
  const header = new AppHeader(page);
  const agents = (await (await page.request.get(`${parityBff.baseUrl}/api/agents`)).json()) as AgentsView;
  const lost = agents.agents.find((agent) => agent.state === 'Unreachable');
  expect(lost, 'the parity scenario lists its unreachable agent').toBeDefined();
  const lostId = lost?.id ?? '';

  // Listed, with its state and since when.
  await page.goto(`${parityBff.baseUrl}/agents`);
  const table = page.getByRole('table', { name: 'Agents', exact: true });
  const row = table.getByRole('row').filter({ hasText: 'Unreachable' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/since (just now|.+ ago)/);
  await expect(row.getByRole('link').nth(1)).toHaveText(lost?.hostname ?? '');
  await expect(table.getByRole('row')).toHaveCount(1 + 6);
  await screens(page, 'sick-agents-list');

  // Its page: state, since, last seen, and what ran there.
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/agents/${lostId}$`));
  await expect(page.getByTestId('agent-state')).toHaveText('Unreachable');
  await expect(page.getByTestId('departed-notice')).toContainText('marked it unreachable');
  await expect(page.getByTestId('agent-since')).toHaveText(/just now|ago/);
  await expect(page.getByTestId('agent-last-seen')).toHaveText(/just now|ago/);
  const tasks = page.getByRole('table', { name: 'Tasks that ran here' });
  await expect(tasks.getByRole('row').filter({ hasText: 'partitioned-web' })).toContainText('UNREACHABLE');
  await expect(tasks.getByRole('row').filter({ hasText: 'partitioned-job' })).toContainText('LOST');
  await expectNoSeriousA11yViolations(page, 'the page of an unreachable agent');
  await screens(page, 'sick-agent-page');

  // Found by search, by its id.
  await page.keyboard.press('/');
  await expect(header.search()).toBeFocused();
  await page.keyboard.type(lostId.slice(-6));
  await expect(header.option(lostId)).toContainText('Unreachable');

  // The wall: its cell stands out, and the health word is not "Healthy".
  await page.keyboard.press('Escape');
  const wall = new WallPage(page);
  await wall.goto('', parityBff.baseUrl);
  await expect(wall.agentCells('unreachable')).toHaveCount(1);
  await expect(wall.agentCells('unreachable')).toHaveAttribute('title', new RegExp('unreachable'));
  await expect(wall.tile('health').locator('.wall-health')).not.toHaveText('Healthy');
  await expect(wall.tile('health').getByTestId('health-reasons')).toContainText('1 agent unreachable');
  await expect(wall.tile('health').getByTestId('health-reasons')).toContainText('1 agent draining');
  await expect(wall.tile('gpu')).toHaveCount(0);
  await expect(wall.tile('gauges').getByTestId('gauge-gpus')).toHaveCount(0);
  await screens(page, 'sick-wall', async () => {
    await expect(wall.agentCells()).toHaveCount(6);
    const overflow = await wall.overflow();
    expect(overflow.scrollHeight).toBeLessThanOrEqual(overflow.innerHeight);
  });
});

test('filters that find: a state in the Overview, the best kind first in search, all the matches, Esc', async ({
  page,
  parityBff,
}) => {
  const header = new AppHeader(page);
  await page.goto(parityBff.baseUrl);
  const completed = page.getByTestId('completed-tasks');
  await expect(completed.getByRole('row').nth(1)).toBeVisible();
  await completed.getByRole('searchbox').fill('lost');
  await expect(completed.getByRole('row').filter({ hasText: 'partitioned-job' })).toHaveCount(1);
  // Every row left is a LOST task (the filter reads the state as the column shows it).
  await expect(completed.locator('tbody tr').filter({ hasNotText: 'LOST' })).toHaveCount(0);

  // "chronos" names a framework exactly; its tasks only start with it: the framework comes first.
  await header.search().click();
  await page.keyboard.type('chronos');
  const groups = header.results().getByRole('group');
  await expect(groups.first()).toHaveAccessibleName(/Frameworks/);
  await expect(header.option('chronos').first()).toHaveAttribute('aria-selected', 'true');

  // More tasks match than are shown: the last option of the kind leads to all of them on the Tasks page.
  await header.search().fill('e');
  const more = header.option(/^All \d+ matching tasks/);
  await expect(more).toHaveCount(1);
  const total = Number(/All (\d+)/.exec(await more.innerText())?.[1]);
  expect(total).toBeGreaterThan(5);
  await screens(page, 'sick-search', async () => {
    await header.search().click();
    await expect(more).toBeVisible();
  });
  await header.search().click();
  await more.click();
  await expect(page).toHaveURL(/\/tasks\?tasks\.q=e$/);
  await expect(page.getByTestId('all-tasks').getByRole('searchbox')).toHaveValue('e');

  // Escape leaves nothing behind: the box is empty, and the next key is a shortcut again.
  await page.keyboard.press('/');
  await page.keyboard.type('zzz');
  await page.keyboard.press('Escape');
  await expect(header.search()).toHaveValue('');
  await expect(header.search()).not.toBeFocused();
  await page.keyboard.press('?');
  await expect(header.shortcutsSheet()).toBeVisible();
});
