import type { Page } from '@playwright/test';
import type { AgentFrameworkView } from '../src/bff/schemas/detail-views';
import type { AgentsView, FrameworksView } from '../src/bff/schemas/views';
import { HOSTILE } from '../src/cluster/scenarios/hostile-scenario';
import { expect, test } from './parity-fixtures';
import type { ScenarioBff } from './parity-fixtures';

interface InertReport {
  /** Elements carrying an inline event handler attribute (onerror=, onload=, ...). */
  handlers: string[];
  /** Elements the hostile names would create if they were parsed as markup. */
  injected: number;
  javascriptLinks: number;
  /** How far the page scrolls sideways (a 10 kB name must not widen it). */
  overflow: number;
}

async function inertReport(page: Page): Promise<InertReport> {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      handlers: all
        .filter((el) => [...el.attributes].some((attribute) => attribute.name.toLowerCase().startsWith('on')))
        .map((el) => el.outerHTML.slice(0, 120)),
      injected: document.querySelectorAll('img[src="x"], svg[onload], marquee, script:not([src]), iframe')
        .length,
      javascriptLinks: [...document.querySelectorAll('a[href]')].filter((a) =>
        (a.getAttribute('href') ?? '').trim().toLowerCase().startsWith('javascript:'),
      ).length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    };
  });
}

async function hostileIds(page: Page, bff: ScenarioBff) {
  const get = async <T>(path: string): Promise<T> =>
    (await page.request.get(bff.baseUrl + path)).json() as Promise<T>;
  const frameworks = await get<FrameworksView>('/api/frameworks');
  const markup = frameworks.active.find((framework) => framework.name === HOSTILE.markup);
  const long = frameworks.active.find((framework) => framework.name === HOSTILE.long);
  const gone = frameworks.completed[0];
  const agent = (await get<AgentsView>('/api/agents')).agents[0];
  if (!markup || !long || !gone || !agent) throw new Error('the hostile scenario is not up');
  const onAgent = await get<AgentFrameworkView>(`/api/agents/${agent.id}/frameworks/${markup.id}`);
  const executor = onAgent.executors.find((candidate) => candidate.id.startsWith(HOSTILE.markup));
  if (!executor) throw new Error('no executor for the markup task');
  return { markup: markup.id, long: long.id, gone: gone.id, agent: agent.id, executor };
}

test('hostile names, labels, URLs and file names render as inert text on every page', async ({
  page,
  hostileBff,
}) => {
  test.setTimeout(120_000);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const ids = await hostileIds(page, hostileBff);
  const enc = encodeURIComponent;
  const agentFramework = `/agents/${enc(ids.agent)}/frameworks/${enc(ids.markup)}`;
  const pages: Array<[string, string, (p: Page) => Promise<void>]> = [
    [
      'overview',
      '/',
      (p) => expect(p.getByRole('table', { name: 'Active Tasks' })).toContainText(HOSTILE.markup),
    ],
    [
      'frameworks',
      '/frameworks',
      (p) =>
        expect(p.getByRole('table', { name: 'Active Frameworks', exact: true })).toContainText(
          HOSTILE.markup,
        ),
    ],
    [
      'framework',
      `/frameworks/${enc(ids.markup)}`,
      (p) => expect(p.getByRole('heading', { level: 1 })).toContainText(HOSTILE.markup),
    ],
    [
      'framework-long',
      `/frameworks/${enc(ids.long)}`,
      (p) => expect(p.getByTestId('framework-summary')).toBeVisible(),
    ],
    [
      'framework-completed',
      `/frameworks/${enc(ids.gone)}`,
      (p) => expect(p.getByText('This framework has terminated!')).toBeVisible(),
    ],
    [
      'agents',
      '/agents',
      (p) => expect(p.getByRole('table', { name: 'Agents', exact: true })).toContainText('Active'),
    ],
    [
      'agent',
      `/agents/${enc(ids.agent)}`,
      (p) => expect(p.getByRole('table', { name: 'Frameworks', exact: true })).toContainText(HOSTILE.markup),
    ],
    [
      'agent-framework',
      agentFramework,
      (p) => expect(p.getByRole('table', { name: 'Executors', exact: true })).toContainText(HOSTILE.markup),
    ],
    [
      'executor',
      `${agentFramework}/executors/${enc(ids.executor.id)}`,
      (p) => expect(p.getByRole('table', { name: 'Tasks', exact: true })).toContainText(HOSTILE.markup),
    ],
    [
      'roles',
      '/roles',
      (p) => expect(p.getByRole('table', { name: 'Roles', exact: true })).toContainText(HOSTILE.role),
    ],
    [
      'offers',
      '/offers',
      (p) => expect(p.getByRole('table', { name: 'Outstanding Offers' })).toContainText(HOSTILE.markup),
    ],
    [
      'maintenance',
      '/maintenance',
      (p) => expect(p.getByRole('table', { name: 'Maintenance Schedule' })).toContainText(HOSTILE.markup),
    ],
    [
      'sandbox',
      `/agents/${enc(ids.agent)}/browse?path=${enc(ids.executor.directory)}`,
      (p) => expect(p.getByRole('link', { name: HOSTILE.rtl, exact: true })).toBeVisible(),
    ],
    ['tasks', '/tasks', (p) => expect(p.getByRole('table').first()).toContainText(HOSTILE.rtl)],
    [
      'task',
      `/tasks/${enc(ids.markup)}/${enc(ids.executor.id)}`,
      (p) => expect(p.getByText(HOSTILE.javascriptUrl).first()).toBeVisible(),
    ],
  ];
  for (const [name, path, ready] of pages) {
    await page.goto(hostileBff.baseUrl + path);
    await ready(page);
    // Give anything that would fire (an onerror on a broken image) the time to do so.
    await page.waitForTimeout(300);
    const report = await inertReport(page);
    expect(report.handlers, `${name}: inline handlers`).toEqual([]);
    expect(report.injected, `${name}: injected elements`).toBe(0);
    expect(report.javascriptLinks, `${name}: javascript: links`).toBe(0);
    expect(report.overflow, `${name}: the page is wider than the window`).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `test-results/screens/hostile-${name}.png`, fullPage: true });
  }
  expect(dialogs).toEqual([]);
});

test('a 10 kB name is cut short in its cell, whole in its tooltip', async ({ page, hostileBff }) => {
  await page.goto(`${hostileBff.baseUrl}/frameworks`);
  const cell = page
    .getByRole('table', { name: 'Active Frameworks', exact: true })
    .getByRole('cell')
    .filter({ has: page.locator(`span[title="${HOSTILE.long}"]`) })
    .first();
  await expect(cell).toBeVisible();
  const box = await cell.boundingBox();
  expect(box?.width ?? Infinity).toBeLessThan(400);
  expect(box?.height ?? Infinity).toBeLessThan(60);
});
