/**
 * Debian's python3-marathon (marathon-python), a strict client: its models reject any key they do not know,
 * so every answer it parses has exactly Marathon's keys.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarathonCluster } from './test-marathon';

// Debian installs the module for the system interpreter, which a python3 first on PATH may not be.
const python = ['python3', '/usr/bin/python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import marathon'], { stdio: 'ignore' }).status === 0,
);
const hasClient = python !== undefined;
const script = fileURLToPath(new URL('./fixtures/python-marathon-run.py', import.meta.url));

function run(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(python ?? 'python3', [script, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!hasClient)(
  'python3-marathon against the local Marathon (apt-get install python3-marathon)',
  () => {
    let cluster: Awaited<ReturnType<typeof startMarathonCluster>>;
    beforeAll(async () => {
      cluster = await startMarathonCluster();
    });
    afterAll(() => cluster.close());

    it('creates, lists, scales, restarts and deletes apps and groups', async () => {
      const { code, stdout, stderr } = await run(cluster.marathonUrl);
      expect(stderr).not.toContain('Traceback');
      expect(`${code}\n${stdout}\n${stderr}`).toMatch(/^0\n/);
      const steps = Object.fromEntries(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { step: string; value: unknown })
          .map((s) => [s.step, s.value]),
      );
      expect(steps).toMatchObject({
        info: {
          name: 'marathon',
          frameworkId: expect.any(String),
          leader: new URL(cluster.marathonUrl).host,
        },
        created: '/py-app',
        listed: ['/py-app'],
        scaled: { instances: 2, running: 2, startedAt: true },
        restart: ['deploymentId', 'version'],
        restarted: 2,
        killed: 1,
        versions: true,
        groups: ['/py-group'],
        group: ['/py-group/db', '/py-group/web'],
        'group-scaled': 2,
        queue: 0,
        deployments: 0,
        deleted: [],
      });
      expect((steps.scaled as { hosts: string[] }).hosts).toHaveLength(2);
    }, 90_000);
  },
);
