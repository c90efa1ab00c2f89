import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './accessibility';
import { AppHeader } from './pages/app-header';

test('find anything: Ctrl+K, type, arrow keys and Enter jump to what was found', async ({ page }) => {
  const header = new AppHeader(page);
  await page.goto('/agents');
  // Pages load as their own chunks: keys pressed before the page is there go to the browser, not to mesoscope.
  await expect(page.getByTestId('agents')).toBeVisible();
  await page.keyboard.press('Control+k');
  await expect(header.search()).toBeFocused();
  await page.keyboard.type('cache');
  await expect(header.search()).toHaveAttribute('aria-expanded', 'true');
  await expect(header.option(/^cache/)).toHaveAttribute('aria-selected', 'true');
  await expectNoSeriousA11yViolations(page, 'the search results');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/tasks\/[^/]+\/cache\./);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('cache.');

  // '/' focuses the box too; the arrow keys move through the matches and Enter opens the one chosen.
  await page.locator('main').click();
  await page.keyboard.press('/');
  await expect(header.search()).toBeFocused();
  await page.keyboard.type('hello');
  const options = header.results().getByRole('option');
  await expect(options).toHaveCount(2);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  const secondId = (await options.nth(1).locator('.search-option-id').innerText()).trim();
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(header.search()).toHaveAttribute(
    'aria-activedescendant',
    (await options.nth(1).getAttribute('id')) ?? '',
  );
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/tasks/[^/]+/${secondId.replace(/\./g, '\\.')}$`));

  // Frameworks are found by name.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('marath');
  await expect(header.results().getByRole('group', { name: /Frameworks/ })).toContainText('marathon');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/frameworks\/[^/]+$/);

  // Escape closes the list, then clears the box.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('zzz-nothing');
  await expect(header.results()).toContainText('Nothing matches');
  await page.keyboard.press('Escape');
  await expect(header.search()).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Escape');
  await expect(header.search()).toHaveValue('');
});

test('? opens the shortcuts sheet (focus kept inside, Esc closes) and g-sequences navigate', async ({
  page,
}) => {
  const header = new AppHeader(page);
  await page.goto('/');
  // Keys pressed before the shell has rendered reach no listener, as for a person before the page shows.
  await expect(header.search()).toBeVisible();
  await page.keyboard.press('?');
  await expect(header.shortcutsSheet()).toBeVisible();
  await expect(header.shortcutsSheet()).toContainText('Go to tasks');
  await expectNoSeriousA11yViolations(page, 'the shortcuts sheet');
  for (let i = 0; i < 4; i += 1) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')));
    expect(inside).toBe(true);
  }
  await page.screenshot({ path: 'test-results/screens/shortcuts-light.png' });
  await page.keyboard.press('Escape');
  await expect(header.shortcutsSheet()).toBeHidden();

  await page.keyboard.press('g');
  await page.keyboard.press('t');
  await expect(page).toHaveURL(/\/tasks$/);
  await page.keyboard.press('g');
  await page.keyboard.press('m');
  await expect(page).toHaveURL(/\/mesos-metrics$/);
  await page.keyboard.press('g');
  await page.keyboard.press('c');
  await expect(page).toHaveURL(/\/flags$/);

  // Keys typed into a field are text, not shortcuts.
  await header.search().click();
  await page.keyboard.type('gt');
  await expect(page).toHaveURL(/\/flags$/);
  await expect(header.search()).toHaveValue('gt');
});

test('the theme button cycles system, light and dark, survives a reload, and t t switches', async ({
  page,
}) => {
  const header = new AppHeader(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(header.themeButton()).toHaveAccessibleName('Theme: System');
  const lightBackground = await header.background();

  await header.themeButton().click();
  await expect(header.themeButton()).toHaveAccessibleName('Theme: Light');
  await header.themeButton().click();
  await expect(header.themeButton()).toHaveAccessibleName('Theme: Dark');
  expect(await header.themeAttribute()).toBe('dark');
  const darkBackground = await header.background();
  expect(darkBackground).not.toBe(lightBackground);

  await page.reload();
  await expect(header.themeButton()).toHaveAccessibleName('Theme: Dark');
  expect(await header.themeAttribute()).toBe('dark');
  expect(await header.background()).toBe(darkBackground);

  await page.locator('main').click();
  await page.keyboard.press('t');
  await page.keyboard.press('t');
  await expect(header.themeButton()).toHaveAccessibleName('Theme: Light');
  expect(await header.background()).toBe(lightBackground);
  await page.reload();
  expect(await header.themeAttribute()).toBe('light');

  // Back to following the system: no attribute, and the dark system scheme shows dark.
  await header.themeButton().click();
  await header.themeButton().click();
  await expect(header.themeButton()).toHaveAccessibleName('Theme: System');
  expect(await header.themeAttribute()).toBe('system');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await header.background()).toBe(darkBackground);
});
