import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import bcrypt from 'bcryptjs';
import { startBffProcess } from '../src/testing/bff-process';
import type { BffProcess } from '../src/testing/bff-process';

interface MasterState {
  slaves: { id: string; hostname: string; active: boolean }[];
  frameworks: { id: string; name: string; tasks: unknown[] }[];
}

const authorization = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test.describe('operations (--allow-operations with htpasswd sign-in)', () => {
  test.describe.configure({ timeout: 180_000 });
  let dir: string;
  let bff: BffProcess;
  const alice = authorization('alice', 'alice pw');

  test.beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mesoscope-e2e-ops-'));
    const hash = (password: string) => bcrypt.hashSync(password, 4).replace(/^\$2b\$/, '$2y$');
    writeFileSync(path.join(dir, 'users'), `alice:${hash('alice pw')}\nbob:${hash('bob pw')}\n`);
    bff = await startBffProcess([
      '--htpasswd',
      path.join(dir, 'users'),
      '--allow-operations',
      '--operators',
      'alice',
      '--data-dir',
      path.join(dir, 'data'),
      '--poll-interval',
      '1000',
      '--log-level',
      'warn',
    ]);
  });
  test.afterAll(async () => {
    await bff?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const masterState = async () =>
    (await (
      await fetch(`${bff.baseUrl}/mesos/master/state`, { headers: { authorization: alice } })
    ).json()) as MasterState;

  test('an operator tears down a framework and deactivates an agent after confirming, and the Audit page lists both', async ({
    browser,
  }) => {
    const context = await browser.newContext({
      httpCredentials: { username: 'alice', password: 'alice pw' },
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();

    const state = await masterState();
    const framework = state.frameworks.find((f) => f.name !== '') ?? state.frameworks[0]!;
    await page.goto(`${bff.baseUrl}/frameworks/${encodeURIComponent(framework.id)}`);
    await page.getByRole('button', { name: 'Tear down', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(`Tear down framework ${framework.name} (id ${framework.id})?`);
    await expect(dialog).toContainText(/Its \d+ tasks? will be killed/);
    await page.screenshot({ path: 'test-results/screens/operations-teardown-dialog-1280.png' });
    await dialog.getByRole('button', { name: 'Tear down framework' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'TEARDOWN accepted' })).toBeVisible();
    await expect
      .poll(async () => (await masterState()).frameworks.map((f) => f.id))
      .not.toContain(framework.id);

    const agent = (await masterState()).slaves[0]!;
    await page.goto(`${bff.baseUrl}/agents/${encodeURIComponent(agent.id)}`);
    await page.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await expect(page.getByRole('dialog')).toContainText(
      `Deactivate agent ${agent.hostname} (id ${agent.id})?`,
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate agent' }).click();
    await expect(page.getByTestId('agent-state')).toHaveText('Deactivated');
    await expect(page.getByRole('button', { name: 'Reactivate', exact: true })).toBeVisible();

    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    const table = page.getByTestId('audit-table');
    await expect(table).toContainText(`framework ${framework.id}`);
    await expect(table).toContainText(`agent ${agent.id}`);
    await page.screenshot({ path: 'test-results/screens/operations-audit-1280.png' });

    const lines = readFileSync(path.join(dir, 'data', 'audit.log'), 'utf8')
      .trim()
      .split('\n');
    const entries = lines.map(
      (line) => JSON.parse(line) as { user: string; action: string; outcome: string },
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: 'alice', action: 'teardown-framework', outcome: 'done' }),
        expect.objectContaining({ user: 'alice', action: 'deactivate-agent', outcome: 'done' }),
      ]),
    );
    await context.close();
  });

  test('a signed-in user who is not an operator sees no buttons, and a cross-site request is refused', async ({
    browser,
  }) => {
    const context = await browser.newContext({ httpCredentials: { username: 'bob', password: 'bob pw' } });
    const page = await context.newPage();
    const agent = (await masterState()).slaves.at(-1)!;
    await page.goto(`${bff.baseUrl}/agents/${encodeURIComponent(agent.id)}`);
    await expect(page.getByTestId('agent-state')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Audit', exact: true })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Agent operations' })).toHaveCount(0);
    await context.close();

    const crossSite = await fetch(`${bff.baseUrl}/api/operations/deactivate-agent`, {
      method: 'POST',
      headers: {
        authorization: alice,
        origin: 'https://elsewhere.example',
        'x-mesoscope-operation': '1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ agentId: agent.id }),
    });
    expect(crossSite.status).toBe(403);
    expect((await masterState()).slaves.find((s) => s.id === agent.id)?.active).toBe(true);
  });
});
