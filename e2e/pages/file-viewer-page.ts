import type { Locator, Page } from '@playwright/test';

/** The file viewer: a virtualized window of a file's lines, with search and follow. */
export class FileViewerPage {
  constructor(readonly page: Page) {}

  /** The viewer URL of a file on an agent, optionally with `?offset=` or `#L..` appended. */
  static url(agentId: string, path: string, suffix = ''): string {
    return `/agents/${encodeURIComponent(agentId)}/files/view?path=${encodeURIComponent(path)}${suffix}`;
  }

  content(): Locator {
    return this.page.getByTestId('file-content').first();
  }

  followState(): Locator {
    return this.page.getByTestId('file-follow-state').first();
  }

  async text(): Promise<string> {
    return this.content().innerText();
  }

  /** Rendered rows (only those near the view are in the DOM). */
  lines(): Locator {
    return this.content().getByTestId('log-line');
  }

  line(text: string | RegExp): Locator {
    return this.lines().filter({ hasText: text });
  }

  /** The byte offset of the last rendered line. */
  async lastLineOffset(): Promise<number> {
    const offsets = await this.lines().evaluateAll((rows) =>
      rows.map((row) => Number(row.getAttribute('data-offset'))),
    );
    return offsets.length === 0 ? -1 : Math.max(...offsets);
  }

  searchBox(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search the loaded lines' }).first();
  }

  searchCount(): Locator {
    return this.page.getByTestId('search-count').first();
  }

  status(): Locator {
    return this.page.getByTestId('log-status').first();
  }

  marker(): Locator {
    return this.page.getByTestId('log-marker');
  }

  waiting(): Locator {
    return this.page.getByTestId('file-waiting');
  }

  wholeFileResults(): Locator {
    return this.page.getByTestId('whole-file-results');
  }

  /** Scrolls the view up with the mouse wheel, as a user would. */
  async wheelUp(pixels = 3000): Promise<void> {
    await this.content().hover();
    await this.page.mouse.wheel(0, -pixels);
  }

  /** Scrolls to the very top as a user would (a wheel turn up, then the scrollbar to the top). */
  async scrollToTop(): Promise<void> {
    await this.wheelUp(200);
    await this.content().evaluate((element) => {
      element.scrollTop = 0;
    });
  }
}
