import { expect, test, type Page } from '@playwright/test';
import { startScaleCluster } from '../src/cluster/scenarios/scale/start-scale-cluster';
import type { ScaleCluster } from '../src/cluster/scenarios/scale/start-scale-cluster';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';
import { screenshotEverySize } from './support/screens';

// The `large` scenario (1,000 agents, 10,000 tasks, two hours of finished ones): every count on the Overview,
// an agent's and a framework's page leads to the list it counts, and the Agents and Tasks pages find any agent.
let cluster: ScaleCluster;
let bff: BffProcess;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startScaleCluster({ scenario: 'large', seed: 7, churn: 'manual' });
  bff = await startBffProcess(['--master', cluster.masterUrl, '--log-level', 'warn']);
});

test.afterAll(async () => {
  await bff?.stop();
  await cluster?.close();
});

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

/** The number a table heading counts ("1,000", "3 of 1000"): the first number. */
async function tableCount(page: Page, testId: string): Promise<number> {
  const text = await page.getByTestId(testId).locator('.table-count').innerText();
  return Number(text.split(' ')[0]?.replaceAll(',', ''));
}

test('the Overview counts link to the tasks and agents they count', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(bff.baseUrl + '/');
  const running = page.getByTestId('tasks-running').getByRole('link');
  await expect(running).toHaveText('10,000', { timeout: 30_000 });
  await running.click();
  await expect(page).toHaveURL(/\/tasks\?state=TASK_RUNNING$/);
  await expect(page.getByRole('combobox', { name: 'State', exact: true })).toHaveValue('TASK_RUNNING');
  await expect.poll(() => tableCount(page, 'all-tasks')).toBe(10_000);

  await page.goto(bff.baseUrl + '/');
  const activated = page.getByTestId('agents-activated').getByRole('link');
  await expect(activated).toHaveText('1,000');
  await activated.click();
  await expect(page).toHaveURL(/\/agents\?state=Active$/);
  await expect(page.getByRole('combobox', { name: 'State' })).toHaveValue('Active');
  await expect.poll(() => tableCount(page, 'agents')).toBe(1000);

  // Failed tasks: the count and the list agree.
  await page.goto(bff.baseUrl + '/');
  const failed = page.getByTestId('tasks-failed');
  const failedCount = Number((await failed.innerText()).replaceAll(',', ''));
  if (failedCount > 0) {
    await failed.getByRole('link').click();
    await expect(page).toHaveURL(/state=TASK_FAILED/);
    await expect.poll(() => tableCount(page, 'all-tasks')).toBeGreaterThan(0);
  }
  await page.goto(bff.baseUrl + '/');
  await expect(page.getByTestId('tasks-running')).toHaveText('10,000');
  const overflow = await screenshotEverySize(page, 'large-overview');
  expect(overflow[1280]?.page).toBeLessThanOrEqual(0);
});

test('the Agents page sorts hostnames naturally, filters by state, and shows allocation as a share', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto(bff.baseUrl + '/agents');
  const agents = page.getByTestId('agents');
  await expect(agents.locator('.table-count')).toHaveText('1000', { timeout: 30_000 });
  // No agent has GPUs: no GPU column.
  const headers = (await agents.locator('thead th').allInnerTexts()).map((text) =>
    text.replace(/[▲▼↕]/g, '').trim(),
  );
  expect(headers).toContain('CPUs allocated');
  expect(headers.some((header) => header.startsWith('GPU'))).toBe(false);

  const hosts = await agents.locator('tbody tr:not(.virtual-spacer) td:nth-child(2)').allInnerTexts();
  expect(hosts.length).toBeGreaterThan(10);
  expect(hosts).toEqual([...hosts].sort(natural));
  expect(hosts).toEqual(
    [...cluster.agents.map((agent) => agent.hostname)].sort(natural).slice(0, hosts.length),
  );

  // The State filter lists the states there are, with counts.
  const stateFilter = page.getByRole('combobox', { name: 'State' });
  await expect(stateFilter.locator('option', { hasText: 'Active' })).toHaveText('Active (1,000)');

  // Allocation as a percentage with a bar, sorted by that percentage.
  await agents.getByRole('button', { name: /CPUs allocated/ }).click();
  await expect(page).toHaveURL(/agents\.sort=cpus/);
  await expect(agents.locator('th[aria-sort="descending"]')).toContainText('CPUs allocated');
  const cpuIndex = headers.indexOf('CPUs allocated') + 1;
  const shares = async () =>
    (await agents.locator(`tbody tr:not(.virtual-spacer) td:nth-child(${cpuIndex})`).allInnerTexts()).map(
      (text) => Number(text.replace('%', '')),
    );
  // The page shows the new order once the server answers.
  await expect
    .poll(async () => {
      const sorted = await shares();
      return sorted.length > 10 && sorted.every((share, at) => at === 0 || share <= (sorted[at - 1] ?? 0));
    })
    .toBe(true);
  await expect(agents.locator('tbody .share-bar').first()).toHaveAttribute('title', /allocated$/);

  // A state no agent is in: none listed, and the URL says why.
  await stateFilter.selectOption('');
  const overflow = await screenshotEverySize(page, 'large-agents');
  expect(overflow[1280]).toEqual({ page: 0, tables: [] });
});

test('an agent page lists its tasks and its counters link to them; the Tasks page finds any agent', async ({
  page,
}) => {
  test.setTimeout(90_000);
  // The agent with the fewest tasks: not among the 200 the Agent filter lists first.
  const perAgent = new Map<string, number>();
  for (const task of cluster.sim.tasksById.values())
    perAgent.set(task.agent.id, (perAgent.get(task.agent.id) ?? 0) + 1);
  const [quiet] = [...cluster.agents]
    .filter((agent) => (perAgent.get(agent.id) ?? 0) > 0)
    .sort((a, b) => (perAgent.get(a.id) ?? 0) - (perAgent.get(b.id) ?? 0));
  if (!quiet) throw new Error('no agent runs a task');
  const running = [...cluster.sim.tasksById.values()].filter(
    (task) => task.agent.id === quiet.id && task.state === 'TASK_RUNNING',
  ).length;

  await page.goto(`${bff.baseUrl}/agents/${quiet.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(quiet.hostname, { timeout: 30_000 });
  await expect.poll(() => tableCount(page, 'active-tasks')).toBe(perAgent.get(quiet.id));
  await expect(page.getByTestId('completed-tasks')).toBeVisible();
  // The tab says which agent, by name.
  await expect(page).toHaveTitle(`Agent ${quiet.hostname} · mesoscope`);
  const runningLink = page.getByTestId('tasks-running').getByRole('link');
  // The counter is the agent's own metric; the list is what the master says runs there.
  await expect(runningLink).toHaveAttribute('href', `/tasks?agent=${quiet.id}&state=TASK_RUNNING`);
  await screenshotEverySize(page, 'large-agent');
  await runningLink.click();
  await expect(page).toHaveURL(new RegExp(`/tasks\\?agent=${quiet.id}&state=TASK_RUNNING$`));
  await expect.poll(() => tableCount(page, 'all-tasks')).toBe(running);
  // The filter names the agent by hostname and id, though it is not among the 200 busiest.
  const agentFilter = page.getByRole('combobox', { name: 'Agent', exact: true });
  await expect(agentFilter.locator('option:checked')).toContainText(quiet.id);

  // From a clean Tasks page, the Agent filter finds that agent by typing part of its hostname.
  await page.goto(`${bff.baseUrl}/tasks?group=active`);
  await expect(agentFilter.locator('option').last()).toHaveText(/800 more/);
  await page.getByRole('searchbox', { name: 'Find agent' }).fill(quiet.hostname);
  await expect(agentFilter.locator('option')).toHaveCount(2);
  await expect(agentFilter.locator('option').nth(1)).toHaveText(
    new RegExp(`^${quiet.hostname.replaceAll('.', '\\.')} \\(…`),
  );
  await agentFilter.selectOption(quiet.id);
  await expect(page).toHaveURL(new RegExp(`agent=${quiet.id}`));
  await expect.poll(() => tableCount(page, 'all-tasks')).toBe(perAgent.get(quiet.id));

  // Reason / message column, and stop times: absolute on hover.
  await page.goto(`${bff.baseUrl}/tasks?group=completed`);
  const tasks = page.getByTestId('all-tasks');
  await expect(tasks.locator('tbody tr td a').first()).toBeVisible();
  const headers = (await tasks.locator('thead th').allInnerTexts()).map((text) =>
    text.replace(/[▲▼↕]/g, '').trim(),
  );
  expect(headers).toContain('Reason / message');
  const stopped = tasks
    .locator(`tbody tr td:nth-child(${headers.indexOf('Stopped') + 1}) button.time-toggle`)
    .first();
  await expect(stopped).toHaveAttribute('title', /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/);
  const overflow = await screenshotEverySize(page, 'large-tasks-completed');
  expect(overflow[1280]).toEqual({ page: 0, tables: [] });
});
