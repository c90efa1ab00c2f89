import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { test as base } from '@playwright/test';
import { startCluster } from '../src/cluster';
import type { LocalCluster } from '../src/cluster';

export interface OwnedBff {
  /** A local cluster this test controls (stop the master, launch tasks...). */
  cluster: LocalCluster;
  /** A separate BFF process pointed at that cluster with --master, as an operator would run it. */
  baseUrl: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`BFF exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`BFF at ${url} did not become healthy`);
}

export const test = base.extend<object, { ownedBff: OwnedBff }>({
  ownedBff: [
    // Playwright reads a fixture's dependencies from this destructuring, so it must be an (empty) pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const cluster = await startCluster({ agents: 2 });
      const port = await freePort();
      // node --import tsx (not npx) so that the signal reaches the server itself, not a wrapper.
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/bff/server.ts',
          '--port',
          String(port),
          '--master',
          cluster.masterUrl,
          '--poll-interval',
          '500',
        ],
        { stdio: 'ignore' },
      );
      const baseUrl = `http://127.0.0.1:${port}`;
      try {
        await waitForHealth(baseUrl, child);
        await use({ cluster, baseUrl });
      } finally {
        child.kill('SIGTERM');
        await cluster.close();
      }
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
