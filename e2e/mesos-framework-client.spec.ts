/**
 * A scheduler library nobody here wrote, the npm package `mesos-framework`, runs command tasks on the local
 * cluster through the scheduler API, and the dashboard shows it as any framework: on the Frameworks page, its
 * tasks RUNNING then FINISHED, and their stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { screenshotBothThemes } from './accessibility';
import { expect, test } from './fixtures';
import { FileViewerPage } from './pages/file-viewer-page';
import { TaskPage } from './pages/tasks-page';

interface MesosFrameworkScheduler {
  on(event: string, listener: (payload: Record<string, unknown>) => void): void;
  subscribe(): void;
  teardown(): void;
  frameworkId: string | null;
}

interface MesosFramework {
  Scheduler: new (options: Record<string, unknown>) => MesosFrameworkScheduler;
  Mesos: { getMesos(): { CommandInfo: new (...args: unknown[]) => unknown } };
}

const library = createRequire(import.meta.url)('mesos-framework') as MesosFramework;

const FRAMEWORK = 'e2e-mesos-framework';
const GREETING = 'mesos-framework says hello from';

test('tasks of a mesos-framework scheduler show RUNNING then FINISHED, with their stdout, in the dashboard', async ({
  page,
  ownedBff,
}) => {
  test.setTimeout(120_000);
  const logDir = mkdtempSync(join(tmpdir(), 'mesos-framework-e2e-'));
  const url = new URL(ownedBff.cluster.masterUrl);
  const Mesos = library.Mesos.getMesos();
  const scheduler = new library.Scheduler({
    masterUrl: url.hostname,
    port: Number(url.port),
    frameworkName: FRAMEWORK,
    masterConnectionTimeout: 60,
    logging: { path: logDir, fileName: 'scheduler.log', level: 'error' },
    tasks: {
      greeter: {
        priority: 1,
        instances: 2,
        // Long enough for the dashboard (polling every 500 ms) to see them RUNNING before they finish.
        commandInfo: new Mesos.CommandInfo(
          null,
          null,
          true,
          `echo "${GREETING} $MESOS_TASK_ID"; sleep 8`,
          null,
          null,
        ),
        resources: { cpus: 0.1, mem: 32, ports: 0, disk: 0 },
      },
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
  scheduler.on('ready', () => scheduler.subscribe());
  try {
    await page.goto(`${ownedBff.baseUrl}/frameworks`);
    const active = page.getByRole('table', { name: 'Active Frameworks', exact: true });
    // The name is a cell; the framework's id is the link to its page.
    await active.locator('tbody tr', { hasText: FRAMEWORK }).getByRole('link').first().click();
    await expect(page).toHaveTitle(`Framework ${FRAMEWORK} · mesoscope`);
    expect(page.url()).toContain(`/frameworks/${encodeURIComponent(scheduler.frameworkId ?? '')}`);

    const activeTasks = page.getByTestId('active-tasks');
    await expect(activeTasks.locator('tbody tr', { hasText: 'RUNNING' })).toHaveCount(2, {
      timeout: 30_000,
    });
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 1080 });
      await screenshotBothThemes(page, `mesos-framework-${width}`);
    }

    const completed = page.getByTestId('completed-tasks');
    await expect(completed.locator('tbody tr', { hasText: 'FINISHED' })).toHaveCount(2, {
      timeout: 30_000,
    });
    for (const seen of states.values())
      expect(seen).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);

    await completed.locator('tbody tr').first().getByRole('link').first().click();
    await expect(page).toHaveURL(/\/tasks\//);
    const task = new TaskPage(page);
    await expect(task.timeline()).toContainText('RUNNING');
    await expect(task.timeline()).toContainText('FINISHED');
    const taskId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await task.section('Task').getByRole('link', { name: 'stdout' }).click();
    await expect(page).toHaveURL(/\/files\/view\?path=.*stdout/);
    await expect(new FileViewerPage(page).content()).toContainText(`${GREETING} ${taskId}`);
    expect(errors).toEqual([]);
  } finally {
    tornDown = true;
    scheduler.teardown();
    rmSync(logDir, { recursive: true, force: true });
  }
});
