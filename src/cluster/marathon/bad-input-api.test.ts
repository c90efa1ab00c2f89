import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-helpers';
import { call, settled, startMarathonCluster } from './test-marathon';
import type { Json } from './test-marathon';

describe('local Marathon: bad input, fetch and containers', () => {
  let cluster: Awaited<ReturnType<typeof startMarathonCluster>>;
  let m: string;
  let files: string;
  beforeAll(async () => {
    cluster = await startMarathonCluster({ agents: 1 });
    m = cluster.marathonUrl;
    files = mkdtempSync(join(tmpdir(), 'marathon-fetch-'));
  });
  afterAll(async () => {
    await cluster.close();
    rmSync(files, { recursive: true, force: true });
  });

  it('refuses bad definitions in Marathon’s error shape and deploys nothing', async () => {
    await call(m, 'POST', '/v2/apps', { id: '/keeper', cmd: 'sleep 600', cpus: 0.05, mem: 8 });
    await settled(m, '/keeper', 1);
    const cases: [unknown, number, Json][] = [
      ['{"id": "/x", ', 400, { message: 'Invalid JSON' }],
      [
        { id: '/x', cmd: 'x', colour: 'red' },
        422,
        { details: [{ path: '/colour', errors: ['error.unknown.property'] }] },
      ],
      [{ id: '/a/../b', cmd: 'x' }, 422, { details: [expect.objectContaining({ path: '/id' })] }],
      [{ id: '/with space', cmd: 'x' }, 422, { details: [expect.objectContaining({ path: '/id' })] }],
      [
        { id: '/neg', cmd: 'x', instances: -1 },
        422,
        { details: [{ path: '/instances', errors: ['got -1, expected 0 or more'] }] },
      ],
      [
        { id: '/huge', cmd: 'x', instances: 10000 },
        422,
        { details: [{ path: '/instances', errors: ['got 10000, expected 1000 or less'] }] },
      ],
      [
        { id: '/op', cmd: 'x', constraints: [['hostname', 'NEAR']] },
        422,
        {
          details: [
            {
              path: '/constraints(0)',
              errors: [expect.stringContaining('Constraint operator must be one of')],
            },
          ],
        },
      ],
      [
        { id: '/re', cmd: 'x', constraints: [['hostname', 'LIKE', '([']] },
        422,
        { details: [{ path: '/constraints(0)', errors: ["'([' is not a valid regular expression"] }] },
      ],
      [{ id: '/nothing' }, 422, { message: 'Object is not valid' }],
    ];
    for (const [body, status, shape] of cases) {
      const res = await call(m, 'POST', '/v2/apps', body);
      expect([res.status, res.body]).toEqual([status, expect.objectContaining(shape)]);
      expect(typeof res.body.message).toBe('string');
    }
    const apps = ((await call(m, 'GET', '/v2/apps')).body.apps as Json[]).map((a) => a.id);
    expect(apps).toEqual(['/keeper']);
    expect((await call(m, 'GET', '/v2/deployments')).body).toEqual([]);
    expect((await call(m, 'GET', '/v2/apps/keeper')).body.app.tasksRunning).toBe(1);
    expect((await call(m, 'GET', '/v2/apps/missing')).status).toBe(404);
    expect((await call(m, 'DELETE', '/v2/apps/missing')).body).toEqual({
      message: "App '/missing' does not exist",
    });
    expect((await call(m, 'GET', '/v2/nowhere')).status).toBe(404);
    expect((await call(m, 'GET', '/v2/apps/%E0%A4%A')).status).toBe(400);
  });

  it('reads boolean query values in any case', async () => {
    const res = await call(m, 'PUT', '/v2/apps/keeper?force=True&partialUpdate=TRUE', { instances: 2 });
    expect(res.status).toBe(200);
    await settled(m, '/keeper', 2);
  });

  it('fetches uris into the sandbox, extracting archives, and records a Docker container', async () => {
    mkdirp(join(files, 'tree'));
    writeFileSync(join(files, 'tree', 'inside.txt'), 'from the archive\n');
    execFileSync('tar', ['-czf', join(files, 'bundle.tgz'), '-C', join(files, 'tree'), 'inside.txt']);
    writeFileSync(join(files, 'run.sh'), '#!/bin/sh\necho ran\n');
    const res = await call(m, 'POST', '/v2/apps', {
      id: '/fetched',
      cmd: 'cat inside.txt && ./run.sh && sleep 600',
      cpus: 0.05,
      mem: 8,
      fetch: [
        { uri: `file://${join(files, 'bundle.tgz')}` },
        { uri: `file://${join(files, 'run.sh')}`, executable: true },
      ],
      container: { type: 'DOCKER', docker: { image: 'nginx:1.27-alpine', network: 'HOST' } },
    });
    expect(res.status).toBe(201);
    expect(res.body.fetch).toEqual([
      { uri: `file://${join(files, 'bundle.tgz')}`, extract: true, executable: false, cache: false },
      { uri: `file://${join(files, 'run.sh')}`, extract: false, executable: true, cache: false },
    ]);
    expect(res.body.container).toEqual({
      type: 'DOCKER',
      volumes: [],
      docker: {
        image: 'nginx:1.27-alpine',
        network: 'HOST',
        forcePullImage: false,
        privileged: false,
        parameters: [],
      },
    });
    const app = await settled(m, '/fetched', 1);
    const task = (app.tasks as Json[])[0] as Json;
    const stdout = await eventually(async () => {
      const out = sandboxFile(cluster.agents[0]?.workDir ?? '', task.id as string, 'stdout');
      return out.includes('ran') ? out : undefined;
    });
    expect(stdout).toContain('from the archive');
    const state = (await (await fetch(`${cluster.masterUrl}/master/state`)).json()) as Json;
    const mesosTask = (state.frameworks as Json[])
      .flatMap((f) => f.tasks as Json[])
      .find((t) => t.id === task.id);
    expect(mesosTask?.container).toMatchObject({ type: 'DOCKER', docker: { image: 'nginx:1.27-alpine' } });
  });
});

function mkdirp(path: string): void {
  execFileSync('mkdir', ['-p', path]);
}

function sandboxFile(agentWorkDir: string, taskId: string, name: string): string {
  try {
    const found = execFileSync('find', [agentWorkDir, '-path', `*${taskId}*`, '-name', name])
      .toString()
      .trim()
      .split('\n')[0];
    return found ? execFileSync('cat', [found]).toString() : '';
  } catch {
    return '';
  }
}
