import type { Locator, Page } from '@playwright/test';

/** The in-page file viewer (tail and follow). */
export class FileViewerPage {
  constructor(readonly page: Page) {}

  content(): Locator {
    return this.page.getByTestId('file-content');
  }

  followState(): Locator {
    return this.page.getByTestId('file-follow-state');
  }

  async text(): Promise<string> {
    return this.content().innerText();
  }
}
