/** The repository's Marathon app for mesoscope runs on the cluster it watches and comes up healthy. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtServerProblem } from '../../cli/built-server';
import { call, settled, startMarathonCluster } from './test-marathon';
import type { Json } from './test-marathon';

const definition = JSON.parse(
  readFileSync(new URL('../../../deploy/mesoscope.marathon.json', import.meta.url), 'utf8'),
) as Json;

describe('deploy/mesoscope.marathon.json', () => {
  let cluster: Awaited<ReturnType<typeof startMarathonCluster>>;
  let dir: string;
  beforeAll(async () => {
    cluster = await startMarathonCluster({ agents: 1 });
    dir = mkdtempSync(join(tmpdir(), 'mesoscope-on-marathon-'));
  });
  afterAll(async () => {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs mesoscope on the local cluster, healthy on /healthz and behind sign-in', async () => {
    // It runs the checkout's build, as `npm start` does (`npm test` builds before the unit tests).
    expect(builtServerProblem(process.cwd()), 'the build mesoscope runs from').toBeNull();
    const htpasswd = join(dir, 'htpasswd');
    writeFileSync(htpasswd, `admin:${bcrypt.hashSync('secret', 4)}\n`);
    const app = {
      ...definition,
      env: {
        ...(definition.env as Json),
        MESOSCOPE_HOME: process.cwd(),
        MESOS_MASTER: cluster.masterUrl,
        MESOSCOPE_HTPASSWD: htpasswd,
      },
      healthChecks: (definition.healthChecks as Json[]).map((c) => ({ ...c, intervalSeconds: 1 })),
    };
    const created = await call(cluster.marathonUrl, 'POST', '/v2/apps', app);
    expect(created.status).toBe(201);
    const running = await settled(cluster.marathonUrl, '/mesoscope', 1, 90_000);
    expect(running.tasksHealthy).toBe(1);
    const task = (running.tasks as Json[])[0] as Json;
    const base = `http://127.0.0.1:${task.ports[0]}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/api/frameworks`)).status).toBe(401);
  }, 120_000);
});
