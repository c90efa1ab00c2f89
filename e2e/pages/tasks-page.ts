import type { Locator, Page } from '@playwright/test';

/** The Tasks page: filters above one server-paged table of every task. */
export class TasksPage {
  constructor(readonly page: Page) {}

  async goto(search = ''): Promise<void> {
    await this.page.goto(search ? `/tasks?${search}` : '/tasks');
  }

  table(): Locator {
    return this.page.getByRole('table', { name: 'Tasks' });
  }

  /** Body rows that hold tasks (not the header, not the "No tasks" message). */
  taskRows(): Locator {
    return this.table()
      .locator('tbody tr')
      .filter({ has: this.page.getByRole('link') });
  }

  filter(label: 'State' | 'Framework' | 'Agent' | 'Role'): Locator {
    return this.page.getByRole('combobox', { name: label, exact: true });
  }

  group(name: 'All' | 'Active' | 'Unreachable' | 'Completed'): Locator {
    return this.page
      .getByRole('group', { name: 'Tasks' })
      .getByRole('button', { name: new RegExp(`^${name}`) });
  }

  findBox(): Locator {
    return this.page.getByRole('searchbox', { name: 'Filter Tasks' });
  }

  /** The text of one column in every task row, by the column's header text. */
  async columnTexts(header: string): Promise<string[]> {
    const headers = await this.table().locator('thead th').allInnerTexts();
    const index = headers.findIndex((text) => text.replace(/[▲▼↕]/g, '').trim() === header);
    if (index === -1) throw new Error(`no column ${header} in ${headers.join(', ')}`);
    return this.taskRows()
      .locator(`td:nth-child(${index + 1})`)
      .allInnerTexts();
  }
}

/** One task's page. */
export class TaskPage {
  constructor(readonly page: Page) {}

  section(name: string): Locator {
    return this.page.getByRole('region', { name });
  }

  timeline(): Locator {
    return this.section('Status updates').getByRole('list');
  }

  /** The task's JSON, read when its section is opened. */
  rawJson(): Locator {
    return this.page.getByTestId('task-raw-json');
  }
}
