import type { Locator, Page } from '@playwright/test';

/** The header every page shares: find anything, the theme button, the shortcuts sheet. */
export class AppHeader {
  constructor(readonly page: Page) {}

  search(): Locator {
    return this.page.getByRole('combobox', { name: 'Find a task, framework or agent' });
  }

  results(): Locator {
    return this.page.getByRole('listbox', { name: 'Search results' });
  }

  option(text: string | RegExp): Locator {
    return this.results().getByRole('option').filter({ hasText: text });
  }

  themeButton(): Locator {
    return this.page.getByRole('button', { name: /^Theme: / });
  }

  shortcutsSheet(): Locator {
    return this.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  }

  /** The theme the page shows: `<html data-theme>`, or 'system' without one. */
  async themeAttribute(): Promise<string> {
    return this.page.evaluate(() => document.documentElement.dataset['theme'] ?? 'system');
  }

  /** The page background, to check a theme is really applied, not just recorded. */
  async background(): Promise<string> {
    return this.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  }
}
