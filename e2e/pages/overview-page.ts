import type { Locator, Page } from '@playwright/test';

/** The home page: cluster summary on the left, task tables on the right. */
export class OverviewPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  counter(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  async counterValue(testId: string): Promise<number> {
    return Number((await this.counter(testId).innerText()).trim());
  }

  taskTable(caption: 'Active Tasks' | 'Unreachable Tasks' | 'Completed Tasks'): Locator {
    return this.page.getByRole('table', { name: caption });
  }

  /** The first row of the active tasks table whose text matches, e.g. a running `hello` task. */
  activeTaskRow(text: RegExp): Locator {
    return this.taskTable('Active Tasks').getByRole('row').filter({ hasText: text }).first();
  }
}
