/**
 * What a mesoscope page costs a browser, measured in Chromium through the DevTools protocol: time from
 * navigation to data on screen, main-thread time from data on screen to the first poll (the rest of the page's
 * mount) and per poll after it (Performance.getMetrics `TaskDuration`, the time the renderer's main thread
 * was busy, sampled at each poll of the page's main view), bytes per poll (what
 * came over the wire for mesoscope's /api requests), the JS heap after a garbage collection, and DOM size.
 */
import type { Browser, CDPSession, Page } from '@playwright/test';

export interface PageCosts {
  /** From starting the navigation to the first frame with a data row on screen. */
  timeToDataMs: number;
  /**
   * Main-thread busy time from data on screen to the page's first poll: the rest of its mount (parts drawn
   * after the first rows, such as the Overview's charts, and their code loaded). Not a poll: reported apart.
   */
  mainThreadAfterDataMs: number;
  /** Main-thread busy time between consecutive polls of the page's main view, from the first poll on. */
  mainThreadPerPollMs: number[];
  /** Bytes over the wire for the /api requests of each poll cycle. */
  bytesPerPoll: number[];
  heapMb: number;
  domNodes: number;
}

// tsx (esbuild, keepNames) wraps functions in `__name(...)`; functions serialized into the page need it too.
const TSX_NAME_SHIM = 'globalThis.__name = (fn) => fn';

async function taskDurationMs(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/**
 * Notes in the page the first moment an element matching `css` is visible, checked at every DOM change, so
 * the time to data is the page's own and not Playwright's: `waitForSelector` looks again only every 500 ms
 * after its first few tries, which would round every figure under a second up by as much.
 */
function noteFirstVisible(css: string): void {
  const found = (): boolean =>
    Array.from(document.querySelectorAll(css)).some((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
    });
  const note = (): void => {
    if (!found()) return;
    (window as unknown as { __firstDataAt?: number }).__firstDataAt =
      performance.timeOrigin + performance.now();
    observer.disconnect();
  };
  const observer = new MutationObserver(note);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

/**
 * Opens `url`, waits for a visible `dataSelector` (CSS), then watches `polls` polls of the request whose path starts with
 * `pollPath` (the page's main view), attributing main-thread time and bytes to each.
 */
export async function measurePage(
  browser: Browser,
  options: { url: string; dataSelector: string; pollPath: string; polls: number },
): Promise<PageCosts> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.addInitScript(TSX_NAME_SHIM);
  await page.addInitScript(noteFirstVisible, options.dataSelector);
  let bytes = 0;
  page.on('requestfinished', (request) => {
    if (!new URL(request.url()).pathname.startsWith('/api/')) return;
    void request
      .sizes()
      .then((sizes) => (bytes += sizes.responseBodySize + sizes.responseHeadersSize))
      .catch(() => undefined);
  });
  try {
    const started = Date.now();
    await page.goto(options.url, { waitUntil: 'commit' });
    await page.waitForSelector(`${options.dataSelector} >> visible=true`, { timeout: 120_000 });
    const firstDataAt = await page.evaluate(
      () => (window as unknown as { __firstDataAt?: number }).__firstDataAt ?? null,
    );
    const timeToDataMs = (firstDataAt ?? Date.now()) - started;

    const nextPoll = async () => {
      await page.waitForResponse((r) => new URL(r.url()).pathname.startsWith(options.pollPath), {
        timeout: 60_000,
      });
      // Let the page render what arrived before sampling.
      await page.waitForTimeout(500);
    };
    const atData = await taskDurationMs(cdp);
    await nextPoll();
    let last = await taskDurationMs(cdp);
    const mainThreadAfterDataMs = last - atData;

    const mainThread: number[] = [];
    const perPoll: number[] = [];
    let lastBytes = bytes;
    for (let poll = 0; poll < options.polls; poll++) {
      await nextPoll();
      const now = await taskDurationMs(cdp);
      mainThread.push(now - last);
      perPoll.push(bytes - lastBytes);
      last = now;
      lastBytes = bytes;
    }
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    return {
      timeToDataMs,
      mainThreadAfterDataMs,
      mainThreadPerPollMs: mainThread,
      bytesPerPoll: perPoll,
      heapMb: heap.usedSize / 1024 / 1024,
      domNodes,
    };
  } finally {
    await context.close();
  }
}

/** Opens a page on `origin` and runs `fn` there (same origin as the master, like the Mesos UI it serves). */
export async function onOrigin<T>(
  browser: Browser,
  origin: string,
  fn: (page: Page, cdp: CDPSession) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  try {
    await page.goto(`${origin}/master/health`);
    await page.evaluate(TSX_NAME_SHIM);
    return await fn(page, cdp);
  } finally {
    await context.close();
  }
}

export { taskDurationMs };

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
