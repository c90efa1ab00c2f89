import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from '../src/cluster';
import type { LocalCluster } from '../src/cluster';
import { expect, test } from './fixtures';
import { FileViewerPage } from './pages/file-viewer-page';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

// Its own cluster: the agent this test cuts off does not come back.
let cluster: LocalCluster;
let bff: BffProcess;

test.beforeAll(async () => {
  cluster = await startCluster({ agents: 2 });
  bff = await startBffProcess(['--master', cluster.masterUrl, '--poll-interval', '500']);
});

test.afterAll(async () => {
  await bff?.stop();
  await cluster?.close();
});

test('the agent going away: what was read stays, the viewer says why and keeps retrying', async ({
  page,
}) => {
  const task = await cluster.control.launchTask({ name: 'e2e-gone', cmd: 'sleep 600' });
  const file = join(task.directory, 'gone.log');
  writeFileSync(file, Array.from({ length: 30 }, (_, i) => `read before the agent went ${i + 1}\n`).join(''));
  const viewer = new FileViewerPage(page);
  await page.goto(bff.baseUrl + FileViewerPage.url(task.agentId, file));
  await expect(viewer.line('read before the agent went 30')).toBeVisible();

  // The agent's server stops at once; the master notices 3 s later and marks it unreachable.
  await cluster.control.makeAgentUnreachable(task.agentId, { afterMs: 3_000 });
  const problem = page.getByTestId('file-problem');
  await expect(problem).toContainText(/cannot reach it|may have left the cluster/i, { timeout: 15_000 });
  await expect(problem).toContainText(/retrying/i);
  await expect(viewer.line('read before the agent went 30')).toBeVisible();
  // Once the master has marked it unreachable, mesoscope no longer knows the agent, and says so.
  await expect(problem).toContainText(/may have left the cluster/i, { timeout: 20_000 });
  await expect(viewer.lines()).toHaveCount(30);
  await page.screenshot({ path: 'test-results/screens/logs-agent-gone.png' });
});
