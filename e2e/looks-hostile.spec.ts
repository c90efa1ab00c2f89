import type { Page } from '@playwright/test';
import type { AgentFrameworkView } from '../src/bff/schemas/detail-views';
import type { AgentsView, FrameworksView } from '../src/bff/schemas/views';
import { HOSTILE } from '../src/cluster/scenarios/hostile-scenario';
import { expect, test } from './parity-fixtures';
import type { ScenarioBff } from './parity-fixtures';
import { screenshotEverySize } from './support/screens';

async function ids(page: Page, bff: ScenarioBff) {
  const get = async <T>(path: string): Promise<T> =>
    (await page.request.get(bff.baseUrl + path)).json() as Promise<T>;
  const frameworks = await get<FrameworksView>('/api/frameworks');
  const markup = frameworks.active.find((framework) => framework.name === HOSTILE.markup);
  const long = frameworks.active.find((framework) => framework.name === HOSTILE.long);
  const agent = (await get<AgentsView>('/api/agents')).agents[0];
  if (!markup || !long || !agent) throw new Error('the hostile scenario is not up');
  const onAgent = await get<AgentFrameworkView>(`/api/agents/${agent.id}/frameworks/${markup.id}`);
  const executor = onAgent.executors.find((candidate) => candidate.id.startsWith(HOSTILE.markup));
  if (!executor) throw new Error('no executor for the markup task');
  return { markup: markup.id, long: long.id, agent: agent.id, executor };
}

// Hostile names (10 kB, markup, bidi overrides) are the hardest test of a layout: at 1280 px no page and no
// table may scroll sideways, and every page is looked at in three sizes and both themes.
test('no page and no table scrolls sideways at 1280 px, whatever the names; no console warning on load', async ({
  page,
  hostileBff,
}) => {
  test.setTimeout(300_000);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text());
  });
  await page.goto(hostileBff.baseUrl + '/');
  await expect(page.getByRole('table', { name: 'Active Tasks' })).toContainText(HOSTILE.markup);
  expect(warnings).toEqual([]);

  const { markup, long, agent, executor } = await ids(page, hostileBff);
  const enc = encodeURIComponent;
  const pages: Array<[string, string]> = [
    ['overview', '/'],
    ['agents', '/agents'],
    ['agent', `/agents/${enc(agent)}`],
    ['frameworks', '/frameworks'],
    ['framework', `/frameworks/${enc(markup)}`],
    ['framework-long', `/frameworks/${enc(long)}`],
    ['tasks', '/tasks'],
    ['task', `/tasks/${enc(markup)}/${enc(executor.id)}`],
    ['sandbox', `/agents/${enc(agent)}/browse?path=${enc(executor.directory)}`],
  ];
  const overflowing: Record<string, unknown> = {};
  for (const [name, path] of pages) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(hostileBff.baseUrl + path);
    await expect(page.locator('main, #root').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    const overflow = await screenshotEverySize(page, `hostile-looks-${name}`);
    const at1280 = overflow[1280];
    if (at1280 && (at1280.page > 0 || at1280.tables.length > 0)) overflowing[name] = at1280;
  }
  expect(overflowing).toEqual({});
});
