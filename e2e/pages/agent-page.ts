import type { Locator, Page } from '@playwright/test';

/** The agent, agent → framework and executor pages. */
export class AgentPage {
  constructor(readonly page: Page) {}

  table(name: string): Locator {
    return this.page.getByRole('table', { name, exact: true });
  }

  summary(): Locator {
    return this.page.getByTestId('agent-summary');
  }

  resourceCell(
    series: 'used' | 'allocated' | 'available' | 'total',
    kind: 'cpus' | 'gpus' | 'mem' | 'disk',
  ): Locator {
    return this.page.getByTestId(`agent-resources-${series}-${kind}`);
  }

  breadcrumb(): Locator {
    return this.page.getByRole('navigation', { name: 'Breadcrumb' });
  }
}
