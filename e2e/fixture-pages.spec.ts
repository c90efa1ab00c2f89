import { FIXTURE_SETS, startFixtureCluster } from '../src/bff/testing/fixture-cluster';
import type { RawJson } from '../src/bff/testing/fixture-cluster';
import { expect, test } from '@playwright/test';
import { startBffProcess } from '../src/testing/bff-process';

/**
 * Real Mesos JSON from 0.19 to 1.x, served by a fixture-serving master and agents to a real BFF process: every
 * page renders without an error and shows the fixture's numbers.
 */
for (const set of FIXTURE_SETS) {
  test(`every page renders ${set.name}`, async ({ page }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const cluster = await startFixtureCluster(set);
    const bff = await startBffProcess(['--master', cluster.masterUrl, '--poll-interval', '1000']);
    try {
      const raw = cluster.masterState;
      const visit = async (path: string) => {
        await page.goto(bff.baseUrl + path);
        await expect(page.getByRole('main')).toBeVisible();
      };
      const noErrors = () => expect(page.locator('.error-state')).toHaveCount(0);

      await visit('/');
      const active = raw.slaves.filter((slave: RawJson) => !slave.deactivated).length;
      await expect(page.getByTestId('agents-activated')).toHaveText(String(raw.activated_slaves ?? active));
      await noErrors();

      await visit('/frameworks');
      await expect(
        page.getByRole('table', { name: 'Active Frameworks', exact: true }).getByRole('row'),
      ).toHaveCount(1 + Math.max(1, raw.frameworks.filter((f: RawJson) => f.active !== false).length));
      await noErrors();

      for (const framework of raw.frameworks) {
        await visit(`/frameworks/${encodeURIComponent(framework.id)}`);
        await expect(page.getByTestId('framework-active-tasks')).toHaveText(String(framework.tasks.length));
        await noErrors();
      }

      await visit('/agents');
      await expect(page.getByRole('table', { name: 'Agents', exact: true }).getByRole('row')).toHaveCount(
        1 + raw.slaves.length,
      );

      for (const [agentId, state] of cluster.agentStates) {
        await visit(`/agents/${encodeURIComponent(agentId)}`);
        await expect(page.getByTestId('agent-resources-total-cpus')).toHaveText(
          String(state.resources.cpus ?? 0),
        );
        await noErrors();
        for (const framework of state.frameworks) {
          await visit(
            `/agents/${encodeURIComponent(agentId)}/frameworks/${encodeURIComponent(framework.id)}`,
          );
          await expect(
            page.getByRole('table', { name: 'Executors', exact: true }).getByRole('row'),
          ).toHaveCount(1 + Math.max(1, framework.executors.length));
          await noErrors();
        }
      }
      const withoutData = raw.slaves.find((slave: RawJson) => !cluster.agentStates.has(slave.id));
      if (withoutData) {
        await visit(`/agents/${encodeURIComponent(withoutData.id)}`);
        await expect(page.locator('.error-state')).toContainText(/refused the connection/);
      }

      for (const path of ['/roles', '/offers', '/maintenance']) {
        await visit(path);
        // A list with rows is a table; an empty one collapses to its title and why it is empty.
        await expect(page.getByRole('main').locator('table, .data-table-empty').first()).toBeVisible();
        await noErrors();
      }
      if (!set.roles) {
        await visit('/roles');
        await expect(page.getByText(/no \/master\/roles endpoint/)).toBeVisible();
      }
      expect(pageErrors).toEqual([]);
    } finally {
      await bff.stop();
      await cluster.close();
    }
  });
}
