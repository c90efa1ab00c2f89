import type { Locator, Page } from '@playwright/test';

/** The sandbox browser: breadcrumb plus a listing of one directory on an agent. */
export class SandboxPage {
  constructor(readonly page: Page) {}

  listing(): Locator {
    return this.page.getByRole('table', { name: /files/i });
  }

  fileLink(name: string): Locator {
    return this.listing().getByRole('link', { name, exact: true });
  }
}
