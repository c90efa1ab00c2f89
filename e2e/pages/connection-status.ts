import type { Locator, Page } from '@playwright/test';

/** What the page says about its connection to the cluster: leader, leader changes, banners. */
export class ConnectionStatus {
  constructor(readonly page: Page) {}

  leaderBadge(): Locator {
    return this.page.getByTestId('leader-badge');
  }

  leaderChange(): Locator {
    return this.page.getByTestId('leader-change');
  }

  banner(): Locator {
    return this.page.getByRole('alert');
  }
}
