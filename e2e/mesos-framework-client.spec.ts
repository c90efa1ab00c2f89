/**
 * A scheduler library nobody here wrote, the npm package `mesos-framework`, runs command tasks and tasks on
 * its own executor (written with the library's Executor, run by the agent through the executor API) on the
 * local cluster through the scheduler API, and the dashboard shows it as any framework: on the Frameworks
 * page, its tasks RUNNING then FINISHED, and their stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mesosFrameworkExecutor, writeScript } from '../src/cluster/agent/test-executor-scripts';
import { mesosFrameworkScheduler } from '../src/cluster/master/scheduler-api/mesos-framework-scheduler';
import { screenshotBothThemes } from './accessibility';
import { expect, test } from './fixtures';
import { FileViewerPage } from './pages/file-viewer-page';
import { TaskPage } from './pages/tasks-page';

const FRAMEWORK = 'e2e-mesos-framework';
const GREETING = 'mesos-framework says hello from';
// Long enough for the dashboard to see all three RUNNING at once, even when the executor's Node process is slow
// to start on a busy machine.
const RUN_SECONDS = 15;

test('tasks of a mesos-framework scheduler show RUNNING then FINISHED, with their stdout, in the dashboard', async ({
  page,
  ownedBff,
}) => {
  test.setTimeout(120_000);
  const logDir = mkdtempSync(join(tmpdir(), 'mesos-framework-e2e-'));
  const script = writeScript(
    ownedBff.cluster.workDir,
    'e2e-mesos-framework-executor.cjs',
    mesosFrameworkExecutor(RUN_SECONDS * 1000),
  );
  const { scheduler, executorTaskIds } = mesosFrameworkScheduler({
    masterUrl: ownedBff.cluster.masterUrl,
    name: FRAMEWORK,
    logDir,
    commandTasks: { instances: 2, command: `echo "${GREETING} $MESOS_TASK_ID"; sleep ${RUN_SECONDS}` },
    executorTasks: {
      instances: 1,
      executorCommand: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`,
    },
  });
  const states = new Map<string, string[]>();
  scheduler.on('update', (update) => {
    const status = update.status as { task_id: { value: string }; state: string };
    states.set(status.task_id.value, [...(states.get(status.task_id.value) ?? []), status.state]);
  });
  const errors: unknown[] = [];
  let tornDown = false;
  // The library reports the end of its event stream as an error, which a teardown brings about on purpose.
  scheduler.on('error', (error) => {
    if (!tornDown) errors.push(error);
  });
  try {
    await page.goto(`${ownedBff.baseUrl}/frameworks`);
    const active = page.getByRole('table', { name: 'Active Frameworks', exact: true });
    // The name is a cell; the framework's id is the link to its page.
    await active.locator('tbody tr', { hasText: FRAMEWORK }).getByRole('link').first().click();
    await expect(page).toHaveTitle(`Framework ${FRAMEWORK} · mesoscope`);
    expect(page.url()).toContain(`/frameworks/${encodeURIComponent(scheduler.frameworkId ?? '')}`);

    const activeTasks = page.getByTestId('active-tasks');
    await expect(activeTasks.locator('tbody tr', { hasText: 'RUNNING' })).toHaveCount(3, {
      timeout: 30_000,
    });
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
      await screenshotBothThemes(page, `mesos-framework-${width}`);
    }

    const completed = page.getByTestId('completed-tasks');
    await expect(completed.locator('tbody tr', { hasText: 'FINISHED' })).toHaveCount(3, {
      timeout: 30_000,
    });
    const [executorTaskId] = executorTaskIds;
    for (const [taskId, seen] of states) {
      expect(seen).toEqual(
        taskId === executorTaskId
          ? ['TASK_RUNNING', 'TASK_FINISHED']
          : ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED'],
      );
    }

    // A command task: its page, its timeline, and the greeting its command wrote to stdout.
    await completed
      .locator('tbody tr', { hasNotText: executorTaskId })
      .first()
      .getByRole('link')
      .first()
      .click();
    await expect(page).toHaveURL(/\/tasks\//);
    const task = new TaskPage(page);
    await expect(task.timeline()).toContainText('RUNNING');
    await expect(task.timeline()).toContainText('FINISHED');
    const taskId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await task.section('Task').getByRole('link', { name: 'stdout' }).click();
    await expect(page).toHaveURL(/\/files\/view\?path=.*stdout/);
    await expect(new FileViewerPage(page).content()).toContainText(`${GREETING} ${taskId}`);

    // The task of the framework's own executor: its page, and what the executor printed for it.
    await page.goto(`${ownedBff.baseUrl}/frameworks/${encodeURIComponent(scheduler.frameworkId ?? '')}`);
    await completed.locator('tbody tr', { hasText: executorTaskId }).getByRole('link').first().click();
    const escapedId = encodeURIComponent(executorTaskId ?? '').replaceAll('.', '\\.');
    await expect(page).toHaveURL(new RegExp(`/tasks/[^/]+/${escapedId}$`));
    await expect(task.timeline()).toContainText('RUNNING');
    await expect(task.timeline()).toContainText('FINISHED');
    await task.section('Task').getByRole('link', { name: 'stdout' }).click();
    await expect(page).toHaveURL(/\/files\/view\?path=.*stdout/);
    await expect(new FileViewerPage(page).content()).toContainText(
      `mesos-framework executor runs ${executorTaskId}`,
    );
    expect(errors).toEqual([]);
  } finally {
    tornDown = true;
    scheduler.teardown();
    rmSync(logDir, { recursive: true, force: true });
  }
});
