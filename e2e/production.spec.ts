/**
 * mesoscope behind its own sign-in (--htpasswd): the browser is asked for credentials, and with them the whole
 * SPA works under the strict Content-Security-Policy.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { expect, test } from '@playwright/test';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

let bff: BffProcess | undefined;
let baseUrl: string;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-auth-'));
  const users = path.join(dir, 'users');
  writeFileSync(users, `ops:${bcrypt.hashSync('s3cret pass', 8).replace(/^\$2b\$/, '$2y$')}\n`);
  bff = await startBffProcess(['--agents', '1', '--htpasswd', users, '--data-dir', dir], {
    waitFor: 'readyz',
    timeoutMs: 60_000,
  });
  baseUrl = bff.baseUrl;
});

test.afterAll(async () => {
  await bff?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('without credentials the browser gets a sign-in challenge and no dashboard', async ({ page }) => {
  const answer = await page.request.get(baseUrl);
  expect(answer.status()).toBe(401);
  expect(answer.headers()['www-authenticate']).toMatch(/^Basic realm="mesoscope"/);
  expect(await answer.text()).not.toContain('<div id="root">');
  // Headless Chromium cannot show the sign-in dialog: it gives up on the challenge instead.
  await expect(page.goto(baseUrl)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
});

test('signed in, the SPA loads and shows the cluster with no CSP violation', async ({ browser }) => {
  const context = await browser.newContext({ httpCredentials: { username: 'ops', password: 's3cret pass' } });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto(baseUrl);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByText('mesoscope-local').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('heading', { name: /history/i })).toBeVisible();
  await page.goto(`${baseUrl}/tasks`);
  await expect(page.getByRole('table').first()).toBeVisible();
  expect(violations).toEqual([]);
  await context.close();
});
