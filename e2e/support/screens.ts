import type { Page } from '@playwright/test';
import { screenshotBothThemes } from '../accessibility';

/** The screens mesoscope is looked at on: a laptop, a desktop and a 4K wall. */
export const SCREENS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;

/** What scrolls sideways: the page itself, and each table that is wider than its box. */
export interface Overflow {
  page: number;
  tables: Array<{ table: string; by: number }>;
}

export async function horizontalOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    tables: [...document.querySelectorAll<HTMLElement>('.table-scroll')]
      .map((box) => ({
        table: box.querySelector('table')?.getAttribute('aria-label') ?? box.closest('section')?.id ?? '',
        title: box.closest('section')?.querySelector('h2')?.textContent ?? '',
        by: box.scrollWidth - box.clientWidth,
      }))
      .filter((box) => box.by > 1)
      .map(({ title, by }) => ({ table: title, by })),
  }));
}

/**
 * Screenshots of the page at each size in both themes (`test-results/screens/<name>-<width>-<theme>.png`);
 * returns how much it overflowed sideways at each width.
 */
export async function screenshotEverySize(page: Page, name: string): Promise<Record<number, Overflow>> {
  const overflow: Record<number, Overflow> = {};
  const initial = page.viewportSize();
  for (const size of SCREENS) {
    await page.setViewportSize(size);
    // Let charts and virtual tables lay themselves out at the new size.
    await page.waitForTimeout(400);
    overflow[size.width] = await horizontalOverflow(page);
    await screenshotBothThemes(page, `${name}-${size.width}`);
  }
  if (initial) await page.setViewportSize(initial);
  return overflow;
}
