import type { Locator, Page } from '@playwright/test';

/** The wall display (/wall): tiles by test id, the freshness marker, and layout measurements. */
export class WallPage {
  constructor(readonly page: Page) {}

  async goto(query = '', baseUrl = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/wall${query ? `?${query}` : ''}`);
  }

  tile(id: string): Locator {
    return this.page.getByTestId(`tile-${id}`);
  }

  freshness(): Locator {
    return this.page.getByTestId('wall-freshness');
  }

  agentCells(status?: string): Locator {
    return this.page
      .getByTestId('agent-grid')
      .locator(status ? `[data-status="${status}"]` : '[data-status]');
  }

  /** The filled area of an allocation chart: its SVG path is empty until two buckets hold samples. */
  chartArea(tile: string): Locator {
    return this.tile(tile).locator('.recharts-area-area');
  }

  /** Document size against the viewport: the wall must never scroll. */
  async overflow(): Promise<{
    scrollHeight: number;
    innerHeight: number;
    scrollWidth: number;
    innerWidth: number;
  }> {
    return this.page.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      return {
        scrollHeight: root.scrollHeight,
        innerHeight: window.innerHeight,
        scrollWidth: root.scrollWidth,
        innerWidth: window.innerWidth,
      };
    });
  }

  /** Every tile's box, to check they all sit inside the viewport. */
  async tileBoxes(): Promise<Array<{ x: number; y: number; width: number; height: number }>> {
    return this.page.locator('.wall-tile').evaluateAll((tiles) =>
      tiles.map((tile) => {
        const { x, y, width, height } = tile.getBoundingClientRect();
        return { x, y, width, height };
      }),
    );
  }
}
