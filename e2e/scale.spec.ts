import { expect, test } from '@playwright/test';
import { startScaleCluster } from '../src/cluster/scenarios/scale/start-scale-cluster';
import type { ScaleCluster } from '../src/cluster/scenarios/scale/start-scale-cluster';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

// The `large` scenario: 1,000 simulated agents, 200 frameworks, 10,000 running tasks, as `npm start --
// --scenario large` serves it; mesoscope follows its event stream as it would a real master's.
let cluster: ScaleCluster;
let bff: BffProcess;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // Churn by hand (`tick`), so that it cannot end the task the test is about to kill.
  cluster = await startScaleCluster({ scenario: 'large', seed: 7, churn: 'manual' });
  bff = await startBffProcess(['--master', cluster.masterUrl, '--log-level', 'warn']);
});

test.afterAll(async () => {
  await bff?.stop();
  await cluster?.close();
});

test('at 1,000 agents the agents page asks the server for one page and renders only the rows in view', async ({
  page,
}) => {
  await page.goto(bff.baseUrl + '/');
  await expect(page.getByTestId('agents-activated')).toHaveText(/^1,?000$/, { timeout: 30_000 });

  await page.goto(bff.baseUrl + '/agents');
  const agents = page.getByTestId('agents');
  await expect(agents.locator('.table-count')).toHaveText('1000');
  const rows = agents.locator('tbody tr:not(.virtual-spacer)');
  await expect(rows.first()).toBeVisible();
  // 500 agents on the page, a screenful (plus overscan) in the DOM.
  expect(await rows.count()).toBeLessThan(100);
  await expect(agents.getByRole('button', { name: 'Page 2' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/large-agents.png' });

  // The server filters all 1,000, not just the page on screen: an agent from the second page is found.
  const host = [...cluster.agents].map((agent) => agent.hostname).sort()[700] as string;
  await agents.getByRole('searchbox').fill(host);
  await expect(page).toHaveURL(new RegExp(`agents\\.q=${host.replaceAll('.', '\\.')}`));
  await expect(agents.locator('.table-count')).toHaveText('1 of 1000');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(host);

  // The agent's own page reads that agent.
  await rows.first().getByRole('link', { name: host }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(host);
});

test('at 10,000 tasks the Tasks page finds one task among them and follows it to its end', async ({
  page,
}) => {
  const task = [...cluster.sim.tasksById.values()].find((t) => t.state === 'TASK_RUNNING');
  if (!task) throw new Error('the large scenario has no running task');
  await page.goto(`${bff.baseUrl}/tasks?tasks.q=${encodeURIComponent(task.id)}`);
  const tasks = page.getByTestId('all-tasks');
  const row = tasks.locator('tbody tr', { hasText: task.id });
  await expect(row).toContainText('RUNNING', { timeout: 30_000 });
  await expect(tasks.locator('.table-count')).toHaveText('1');
  // 1,000 agents: the Agent filter offers the 200 with the most tasks and says how many more there are.
  const agentFilter = page.getByRole('combobox', { name: 'Agent' });
  await expect(agentFilter.locator('option')).toHaveCount(1 + 200 + 1);
  await expect(agentFilter.locator('option').last()).toHaveText(/800 more/);
  await page.screenshot({ path: 'test-results/screens/large-tasks.png' });

  // Other tasks start and end around it.
  for (let i = 0; i < 3; i += 1) cluster.churn?.tick();
  await cluster.control.killTask(task.id);
  // Streamed to mesoscope, published within 2 s, polled by the page every 3 s.
  await expect(row).toContainText('KILLED', { timeout: 10_000 });
});
