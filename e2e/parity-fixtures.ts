import { test as base } from '@playwright/test';
import { startCluster } from '../src/cluster';
import type { LocalCluster } from '../src/cluster';
import type { OverviewView } from '../src/bff/schemas/views';
import { startBffProcess } from '../src/testing/bff-process';

/** A local cluster in a named scenario, and a BFF process pointed at it with --master. */
export interface ScenarioBff {
  cluster: LocalCluster;
  baseUrl: string;
}

/** Waits until the BFF's overview passes `ready` (the scenario has settled and been polled). */
async function waitForOverview(baseUrl: string, ready: (overview: OverviewView) => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/overview`).catch(() => null);
    if (response?.ok && ready((await response.json()) as OverviewView)) return;
    if (Date.now() > deadline) throw new Error(`${baseUrl} did not show the scenario in time`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function scenarioBff(
  scenario: 'parity' | 'hostile',
  agents: number,
  ready: (overview: OverviewView) => boolean,
  use: (value: ScenarioBff) => Promise<void>,
): Promise<void> {
  const cluster = await startCluster({ agents, scenario });
  try {
    const bff = await startBffProcess(['--master', cluster.masterUrl, '--poll-interval', '500']);
    try {
      await waitForOverview(bff.baseUrl, ready);
      await use({ cluster, baseUrl: bff.baseUrl });
    } finally {
      await bff.stop();
    }
  } finally {
    await cluster.close();
  }
}

/**
 * `parityBff`: the `parity` scenario (an agent in every state, one unreachable, roles, quota, maintenance).
 * `hostileBff`: the `hostile` scenario (markup, `javascript:` URLs, RTL overrides and 10 kB names everywhere).
 */
export const test = base.extend<object, { parityBff: ScenarioBff; hostileBff: ScenarioBff }>({
  parityBff: [
    // Playwright reads a fixture's dependencies from this destructuring, so it must be an (empty) pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => scenarioBff('parity', 2, (overview) => overview.agents.unreachable === 1, use),
    { scope: 'worker', timeout: 60_000 },
  ],
  hostileBff: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => scenarioBff('hostile', 1, (overview) => overview.frameworks.completed === 1, use),
    { scope: 'worker', timeout: 60_000 },
  ],
});

export { expect } from '@playwright/test';
