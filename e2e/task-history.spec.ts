import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { HistoryTaskPageView } from '../src/bff/schemas/views';
import { screenshotBothThemes } from './accessibility';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

interface MasterState {
  frameworks: Array<{
    id: string;
    name: string;
    tasks: Array<{ id: string; slave_id: string }>;
    completed_tasks: Array<{ id: string }>;
  }>;
}

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
    await screenshotBothThemes(page, `task-history-${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe('task history over a master that forgets', () => {
  test.describe.configure({ timeout: 300_000 });
  let dataDir: string;
  let bff: BffProcess;
  let master: string;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mesoscope-e2e-tasks-'));
    // The master keeps only the last 2 ended tasks of each framework, so the demo's jobs are soon forgotten.
    bff = await startBffProcess([
      '--data-dir',
      dataDir,
      '--max-completed-tasks-per-framework',
      '2',
      '--poll-interval',
      '1000',
      '--log-level',
      'warn',
    ]);
    const status = await json<{ leader: { url: string } | null }>(`${bff.baseUrl}/api/status`);
    master = status.leader?.url ?? '';
  });
  test.afterAll(async () => {
    await bff?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a forgotten failing job is on Tasks for the last 24 h, opens, and groups on Failures', async ({
    page,
  }) => {
    // Wait for a report-mailer run that the history has and the master no longer lists.
    let forgotten: string | null = null;
    const deadline = Date.now() + 180_000;
    while (!forgotten) {
      if (Date.now() > deadline) throw new Error(`nothing forgotten yet: ${bff.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const history = await json<HistoryTaskPageView>(
        `${bff.baseUrl}/api/history/tasks?app=ChronosTask:report-mailer`,
      );
      const state = await json<MasterState>(`${master}/master/state`);
      const listed = new Set(
        state.frameworks.flatMap((f) => [...f.tasks, ...f.completed_tasks].map((t) => t.id)),
      );
      forgotten = history.tasks.find((task) => !listed.has(task.taskId))?.taskId ?? null;
    }

    await page.goto(`${bff.baseUrl}/tasks`);
    await page.getByRole('link', { name: '24 h' }).click();
    await expect(page).toHaveURL(/\/tasks\/history\?range=24h/);
    await page.getByLabel('App').fill('ChronosTask:report-mailer');
    await page.getByLabel('App').press('Enter');
    await expect(page).toHaveURL(/app=ChronosTask%3Areport-mailer/);
    const row = page.getByTestId('history-tasks').getByRole('link', { name: forgotten });
    await expect(row).toBeVisible();
    await shoot(page, 'tasks-24h');
    await row.click();
    await expect(page.getByTestId('stored-task')).toContainText('The master no longer lists this task');
    await expect(page.getByTestId('task-statuses')).toContainText('Command exited with status 1');
    await expect(page.getByTestId('task-summary').getByRole('link', { name: 'stdout' })).toBeVisible();
    await shoot(page, 'forgotten-task');

    await page.goto(`${bff.baseUrl}/failures?groupBy=message&range=7d`);
    const group = page.getByTestId('failure-group').filter({ hasText: 'Command exited with status <n>' });
    await expect(group).toBeVisible();
    await expect(group).toContainText('new since yesterday');
    await page.getByRole('button', { name: 'App', exact: true }).click();
    const app = page.getByTestId('failure-group').filter({ hasText: 'report-mailer' });
    await expect(app).toBeVisible();
    await shoot(page, 'failures');
    await app.getByRole('link', { name: 'tasks' }).click();
    await expect(page).toHaveURL(/\/tasks\/history\?.*app=ChronosTask%3Areport-mailer/);
    await expect(page.getByTestId('history-tasks').getByRole('link', { name: forgotten })).toBeVisible();
  });

  test('the agent timeline shows a task killed there', async ({ page }) => {
    const state = await json<MasterState>(`${master}/master/state`);
    const marathon = state.frameworks.find((f) => f.name === 'marathon')!;
    const agentId = marathon.tasks[0]!.slave_id;
    // Tearing Marathon down kills its tasks.
    const teardown = await fetch(`${master}/master/teardown`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `frameworkId=${encodeURIComponent(marathon.id)}`,
    });
    expect(teardown.status).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await json<HistoryTaskPageView>(
              `${bff.baseUrl}/api/history/tasks?state=TASK_KILLED&agent=${agentId}`,
            )
          ).tasks.length,
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    await page.goto(`${bff.baseUrl}/agents/${encodeURIComponent(agentId)}`);
    const timeline = page.getByTestId('agent-timeline');
    await expect(timeline).toContainText('KILLED');
    await expect(page.getByTestId('agent-failures-24h')).toContainText('failures in 24 h');
    await timeline.scrollIntoViewIfNeeded();
    await shoot(page, 'agent-timeline');
    // A sick agent is visible from the list: its failures of the last 24 h are a column.
    await page.goto(`${bff.baseUrl}/agents`);
    await expect(page.getByRole('columnheader', { name: 'Failures 24 h' })).toBeVisible();
    await expect(page.locator('td .badge.tone-bad').first()).toBeVisible();
    await shoot(page, 'agents');
  });
});
