import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromium } from './e2e/chromium-path';
import { BUILT_SERVER, builtServerProblem } from './src/cli/built-server';

const port = Number(process.env['E2E_PORT'] ?? 5180);
const externalBaseUrl = process.env['MESOSCOPE_URL'];
// The tests run the built server, as `npm start` does: a missing or old build is built first, saying why.
const unbuilt = externalBaseUrl ? null : builtServerProblem(import.meta.dirname);
if (unbuilt) console.warn(`e2e: ${unbuilt}; building it first`);
const serve = `node ${BUILT_SERVER} --port ${port} --poll-interval 1000 --log-level warn`;

export default defineConfig({
  testDir: './e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env['CI'],
  // One retry, reported as "flaky" in the list: a test that fails twice still fails the run.
  // The e2e tests drive real processes on small shared CI machines, where one slow second must not fail a run.
  retries: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: externalBaseUrl ?? `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: resolveChromium() ?? undefined,
      args: CHROMIUM_ARGS,
    },
  },
  // The real BFF over the embedded local cluster, exactly as `npm start` runs it (the SPA is built first).
  webServer: externalBaseUrl
    ? undefined
    : {
        command: unbuilt ? `npm run -s build && ${serve}` : serve,
        url: `http://127.0.0.1:${port}/healthz`,
        reuseExistingServer: false,
        timeout: unbuilt ? 300_000 : 60_000,
        stdout: 'pipe',
        stderr: 'pipe',
      },
});
