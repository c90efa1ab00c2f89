import { test as base } from '@playwright/test';
import { startCluster } from '../src/cluster';
import type { LocalCluster } from '../src/cluster';
import { startBffProcess } from '../src/testing/bff-process';

export interface OwnedBff {
  /** A local cluster this test controls (stop the master, launch tasks...). */
  cluster: LocalCluster;
  /** A separate BFF process pointed at that cluster with --master, as an operator would run it. */
  baseUrl: string;
}

export const test = base.extend<object, { ownedBff: OwnedBff }>({
  ownedBff: [
    // Playwright reads a fixture's dependencies from this destructuring, so it must be an (empty) pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const cluster = await startCluster({ agents: 2 });
      const bff = await startBffProcess(['--master', cluster.masterUrl, '--poll-interval', '500']);
      try {
        await use({ cluster, baseUrl: bff.baseUrl });
      } finally {
        await bff.stop();
        await cluster.close();
      }
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
