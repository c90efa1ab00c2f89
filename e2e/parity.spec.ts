import type { Page } from '@playwright/test';
import type { AgentsView, FrameworksView } from '../src/bff/schemas/views';
import type { AgentFrameworkView } from '../src/bff/schemas/detail-views';
import { expectNoSeriousA11yViolations, screenshotBothThemes } from './accessibility';
import { AgentPage } from './pages/agent-page';
import { OverviewPage } from './pages/overview-page';
import { expect, test } from './parity-fixtures';
import type { ScenarioBff } from './parity-fixtures';

/** Ids the pages are reached by, read from the BFF (as a bookmark would hold them). */
async function clusterIds(page: Page, bff: ScenarioBff) {
  const get = async <T>(path: string): Promise<T> =>
    (await page.request.get(bff.baseUrl + path)).json() as Promise<T>;
  const agents = await get<AgentsView>('/api/agents');
  const active = agents.agents.find((agent) => agent.state === 'Active');
  const draining = agents.agents.find((agent) => agent.state === 'Draining');
  const frameworks = await get<FrameworksView>('/api/frameworks');
  const marathon = frameworks.active.find((framework) => framework.name === 'marathon');
  const completed = frameworks.completed[0];
  if (!active || !draining || !marathon || !completed) throw new Error('the parity scenario is not up');
  const onAgent = await get<AgentFrameworkView>(`/api/agents/${active.id}/frameworks/${marathon.id}`);
  const executor = onAgent.executors[0];
  if (!executor) throw new Error(`no marathon executor on ${active.id}`);
  return {
    agent: active.id,
    draining: draining.id,
    marathon: marathon.id,
    completed: completed.id,
    executor: executor.id,
  };
}

test('agents in every state, and the agent page read from the agent down to an executor and its sandbox', async ({
  page,
  parityBff,
}) => {
  await page.goto(`${parityBff.baseUrl}/agents`);
  const agents = page.getByRole('table', { name: 'Agents', exact: true });
  for (const state of ['Draining', 'Drained', 'Deactivated']) {
    await expect(agents.getByRole('row').filter({ hasText: state })).toHaveCount(1);
  }
  await expect(agents.getByRole('row').filter({ hasText: 'Active' })).toHaveCount(2);

  await agents.getByRole('row').filter({ hasText: 'Draining' }).getByRole('link').last().click();
  const agent = new AgentPage(page);
  await expect(page.getByTestId('agent-state')).toHaveText('Draining');
  await expect(page.getByTestId('agent-draining')).toContainText('Grace period1 hour');
  await expect(page.getByTestId('agent-drain-end')).toHaveText(/in (60|59) minutes/);
  await expect(page.getByTestId('tasks-killing')).toHaveText('1');
  await expect(agent.resourceCell('total', 'cpus')).toHaveText('4');

  const ids = await clusterIds(page, parityBff);
  await page.goto(`${parityBff.baseUrl}/agents/${ids.agent}`);
  await expect(
    agent.table('Resource Reservations').getByRole('row').filter({ hasText: 'marathon' }),
  ).toContainText('/ 1');
  await expect(agent.table('Resource Providers')).toContainText('org.apache.mesos.rp.local.storage');
  // An agent without GPUs has no GPU row.
  await expect(agent.resourceCell('used', 'gpus')).toHaveCount(0);
  await expect(agent.resourceCell('used', 'cpus')).toHaveText(/^\d/);
  await agent
    .table('Frameworks')
    .getByRole('row')
    .filter({ hasText: 'marathon' })
    .getByRole('link')
    .first()
    .click();

  await expect(page).toHaveURL(new RegExp(`/agents/${ids.agent}/frameworks/${ids.marathon}$`));
  const executors = agent.table('Executors');
  await expect(executors.getByRole('row')).not.toHaveCount(1);
  await executors.getByRole('row').nth(1).getByRole('link').first().click();

  await expect(page).toHaveURL(/\/executors\//);
  await expect(agent.breadcrumb()).toContainText('marathon');
  const tasks = agent.table('Tasks');
  await expect(tasks.getByRole('columnheader', { name: 'CPUs' })).toBeVisible();
  await expect(tasks.getByRole('row').nth(2)).toContainText('RUNNING');
  await tasks.getByRole('link', { name: 'Sandbox' }).first().click();
  await expect(page).toHaveURL(/\/browse\?path=/);
  await expect(page.getByRole('link', { name: 'stdout', exact: true })).toBeVisible();
});

test('the overview counts the unreachable agent and task; a framework page counts its tasks', async ({
  page,
  parityBff,
}) => {
  const overview = new OverviewPage(page);
  await page.goto(`${parityBff.baseUrl}/`);
  await expect(overview.counter('agents-unreachable')).toHaveText('1');
  await expect(overview.counter('agents-deactivated')).toHaveText('3');
  await expect(
    overview.taskTable('Unreachable Tasks').getByRole('row').filter({ hasText: 'partitioned-web' }),
  ).toBeVisible();
  await expect(overview.counter('tasks-unreachable')).toHaveText('1');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Frameworks' }).click();
  await page
    .getByRole('table', { name: 'Active Frameworks', exact: true })
    .getByRole('row')
    .filter({ hasText: 'marathon' })
    .getByRole('link')
    .first()
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('marathon');
  await expect(page.getByTestId('tasks-unreachable')).toHaveText('1');
  await expect(page.getByTestId('tasks-killing')).toHaveText('1');
  await expect(page.getByTestId('framework-resources-allocated-cpus')).not.toHaveText('0');
  await expect(page.getByRole('table', { name: 'Unreachable Tasks' })).toContainText('partitioned-web');

  const ids = await clusterIds(page, parityBff);
  await page.goto(`${parityBff.baseUrl}/frameworks/${ids.completed}`);
  await expect(page.getByText('This framework has terminated!')).toBeVisible();
});

test('roles with column groups that stay chosen, offers, and maintenance with draining and down machines', async ({
  page,
  parityBff,
}) => {
  await page.goto(`${parityBff.baseUrl}/roles`);
  const roles = page.getByRole('table', { name: 'Roles', exact: true });
  const marathon = roles.getByRole('row').filter({ hasText: 'marathon' });
  await expect(marathon).toBeVisible();
  await expect(roles.getByRole('columnheader', { name: 'Weight' })).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Weight' }).check();
  await expect(roles.getByRole('columnheader', { name: 'Weight' })).toBeVisible();
  await expect(marathon.getByRole('cell').nth(1)).toHaveText('2');
  await page.getByRole('checkbox', { name: 'Allocated' }).uncheck();
  await expect(roles.getByRole('columnheader', { name: 'Allocated' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Weight' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Allocated' })).not.toBeChecked();
  await expect(roles.getByRole('columnheader', { name: 'Quota Limit' })).toBeVisible();

  await page.goto(`${parityBff.baseUrl}/offers`);
  const offers = page.getByRole('table', { name: 'Outstanding Offers' });
  await expect(offers.getByRole('row').nth(1)).toContainText(/marathon|chronos/);
  await expect(offers.getByRole('row').nth(1).getByRole('link', { name: '127.0.0.1' })).toBeVisible();

  await page.goto(`${parityBff.baseUrl}/maintenance`);
  await expect(page.getByRole('table', { name: 'Maintenance Schedule' }).getByRole('row')).toHaveCount(3);
  const draining = page.getByRole('table', { name: 'Draining Machines' });
  await expect(draining).toContainText('ACCEPT');
  await expect(draining).toContainText('Draining');
  await expect(page.getByRole('table', { name: 'Down Machines' })).toContainText('retired-1.mesoscope.local');
});

test('unknown ids get a clear not-found page, and old /slaves links land on /agents', async ({
  page,
  parityBff,
}) => {
  const ids = await clusterIds(page, parityBff);
  const cases: Array<[string, string]> = [
    ['/agents/no-such-agent', 'No agent found with ID: no-such-agent'],
    ['/frameworks/no-such-framework', 'No framework found with ID: no-such-framework'],
    [`/agents/${ids.agent}/frameworks/no-such-framework`, 'No framework found with ID: no-such-framework'],
    [`/agents/${ids.agent}/frameworks/${ids.marathon}/executors/nope`, 'No executor found with ID: nope'],
  ];
  for (const [path, message] of cases) {
    await page.goto(parityBff.baseUrl + path);
    await expect(page.getByTestId('not-found')).toContainText(message);
    await expect(page.getByTestId('not-found').getByRole('link')).toBeVisible();
  }
  await page.goto(`${parityBff.baseUrl}/slaves/${ids.agent}`);
  await expect(page).toHaveURL(new RegExp(`/agents/${ids.agent}$`));
  await expect(page.getByTestId('agent-state')).toHaveText('Active');
});

test('everything works from the keyboard, and the time format choice follows you across pages', async ({
  page,
  parityBff,
}) => {
  await page.goto(`${parityBff.baseUrl}/agents`);
  const agents = page.getByRole('table', { name: 'Agents', exact: true });
  const hostHeader = agents.getByRole('columnheader', { name: /Host/ });
  await hostHeader.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await expect(hostHeader).toHaveAttribute('aria-sort', 'descending');
  await page.getByRole('searchbox', { name: 'Filter Agents' }).focus();
  await page.keyboard.type('Drain');
  await expect(agents.getByRole('row')).toHaveCount(3);

  const registered = agents
    .getByRole('row')
    .nth(1)
    .getByRole('button', { name: /ago|just now/ })
    .first();
  await registered.focus();
  await page.keyboard.press('Enter');
  await expect(agents.getByRole('row').nth(1).locator('time').first()).toHaveText(/^\d{4}-\d\d-\d\dT/);

  await agents.getByRole('row').nth(1).getByRole('link').last().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('agent-state')).toHaveText(/Draining|Drained/);
  await expect(page.getByTestId('agent-summary').locator('time').first()).toHaveText(/^\d{4}-\d\d-\d\dT/);

  await page.goto(`${parityBff.baseUrl}/roles`);
  await page.getByRole('checkbox', { name: 'Offered' }).focus();
  await page.keyboard.press('Space');
  await expect(
    page.getByRole('table', { name: 'Roles', exact: true }).getByRole('columnheader', { name: 'Offered' }),
  ).toBeVisible();

  await page.goto(`${parityBff.baseUrl}/maintenance`);
  await expect(page.getByRole('table', { name: 'Maintenance Schedule' }).locator('time').first()).toHaveText(
    /^\d{4}-\d\d-\d\dT/,
  );
});

test('every page: no serious accessibility violation; screenshots in light and dark', async ({
  page,
  parityBff,
}) => {
  test.setTimeout(120_000);
  const ids = await clusterIds(page, parityBff);
  const pages: Array<[string, string, (p: Page) => Promise<void>]> = [
    ['overview', '/', (p) => expect(p.getByTestId('agents-unreachable')).toHaveText('1')],
    [
      'frameworks',
      '/frameworks',
      (p) =>
        expect(p.getByRole('table', { name: 'Active Frameworks', exact: true })).toContainText('marathon'),
    ],
    [
      'framework',
      `/frameworks/${ids.marathon}`,
      (p) => expect(p.getByTestId('tasks-unreachable')).toHaveText('1'),
    ],
    [
      'agents',
      '/agents',
      (p) => expect(p.getByRole('table', { name: 'Agents', exact: true })).toContainText('Drained'),
    ],
    [
      'agent',
      `/agents/${ids.agent}`,
      (p) => expect(p.getByRole('table', { name: 'Frameworks', exact: true })).toContainText('marathon'),
    ],
    [
      'agent-draining',
      `/agents/${ids.draining}`,
      (p) => expect(p.getByTestId('agent-draining')).toBeVisible(),
    ],
    [
      'agent-framework',
      `/agents/${ids.agent}/frameworks/${ids.marathon}`,
      (p) =>
        expect(
          p.getByRole('table', { name: 'Executors', exact: true }).getByRole('row').nth(1),
        ).toBeVisible(),
    ],
    [
      'executor',
      `/agents/${ids.agent}/frameworks/${ids.marathon}/executors/${ids.executor}`,
      (p) => expect(p.getByRole('table', { name: 'Tasks', exact: true })).toContainText('RUNNING'),
    ],
    [
      'roles',
      '/roles',
      (p) => expect(p.getByRole('table', { name: 'Roles', exact: true })).toContainText('marathon'),
    ],
    [
      'offers',
      '/offers',
      (p) =>
        expect(p.getByRole('table', { name: 'Outstanding Offers' }).getByRole('row').nth(1)).toBeVisible(),
    ],
    [
      'maintenance',
      '/maintenance',
      (p) => expect(p.getByRole('table', { name: 'Down Machines' })).toContainText('retired'),
    ],
  ];
  for (const [name, path, ready] of pages) {
    await page.goto(parityBff.baseUrl + path);
    await ready(page);
    await expectNoSeriousA11yViolations(page, name);
    await screenshotBothThemes(page, `parity-${name}`);
  }
});
