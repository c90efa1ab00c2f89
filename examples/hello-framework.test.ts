/**
 * The example framework run as a user runs it, a process of its own, against a local cluster over HTTP.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../src/cluster/index';
import type { LocalCluster } from '../src/cluster/index';
import { eventually, getJson } from '../src/cluster/test-helpers';
import type { MasterStateJson } from '../src/cluster/test-helpers';

const SCRIPT = resolve(import.meta.dirname, 'hello-framework.ts');

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: resolve(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exit };
}

async function waitFor(r: Run, text: string): Promise<void> {
  await eventually(async () => (r.output().includes(text) ? true : undefined), 30_000);
}

describe('examples/hello-framework.ts against a local cluster', () => {
  let cluster: LocalCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 2 });
    dir = mkdtempSync(join(tmpdir(), 'hello-framework-'));
  });
  afterAll(async () => {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const state = () => getJson<MasterStateJson>(`${cluster.masterUrl}/master/state`);

  it('launches N tasks, sees them RUNNING and FINISHED, and tears itself down', async () => {
    const stateFile = join(dir, 'finish.json');
    const r = run([
      '--master',
      cluster.masterUrl,
      '--tasks',
      '4',
      '--name',
      'hello-finish',
      '--state-file',
      stateFile,
    ]);
    expect(await r.exit, r.output()).toBe(0);
    expect(r.output()).toContain('running 4, finished 0 of 4');
    expect(r.output()).toContain('all 4 tasks finished: tearing down');
    expect(existsSync(stateFile)).toBe(false);

    const after = await state();
    const framework = after.completed_frameworks.find((f) => f.name === 'hello-finish');
    expect(framework?.completed_tasks.map((t) => t.state).sort()).toEqual(Array(4).fill('TASK_FINISHED'));
    const task = framework?.completed_tasks[0];
    const agent = cluster.agents.find((a) => a.id === task?.slave_id);
    const stdout = await getJson<{ data: string }>(
      `${agent?.url}/files/read?offset=0&path=${encodeURIComponent(
        `/frameworks/${framework?.id}/executors/${task?.id}/runs/latest/stdout`,
      )}`,
    );
    expect(stdout.data).toContain(`hello from ${task?.id}`);
  });

  it('killed and started again, re-subscribes with its framework id and reconciles its tasks', async () => {
    const stateFile = join(dir, 'restart.json');
    const args = [
      '--master',
      cluster.masterUrl,
      '--tasks',
      '2',
      '--cmd',
      'sleep 3',
      '--name',
      'hello-restart',
    ];
    const first = run([...args, '--state-file', stateFile]);
    await waitFor(first, 'running 2, finished 0 of 2');
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { frameworkId: string };
    first.child.kill('SIGKILL');
    await first.exit;

    const second = run([...args, '--state-file', stateFile]);
    expect(await second.exit, second.output()).toBe(0);
    expect(second.output()).toContain(`re-subscribed as framework ${saved.frameworkId}: reconciling 2 tasks`);
    expect(second.output()).toContain('all 2 tasks finished');
    // One framework, not two: the second run was the same framework failing over.
    const after = await state();
    const all = [...after.frameworks, ...after.completed_frameworks].filter(
      (f) => f.name === 'hello-restart',
    );
    expect(all.map((f) => f.id)).toEqual([saved.frameworkId]);
    expect(all[0]?.completed_tasks.map((t) => t.state)).toEqual(['TASK_FINISHED', 'TASK_FINISHED']);
  });

  it('started again after its failover timeout passed, starts over as a new framework', async () => {
    const stateFile = join(dir, 'gone.json');
    const args = [
      '--master',
      cluster.masterUrl,
      '--tasks',
      '1',
      '--name',
      'hello-gone',
      '--state-file',
      stateFile,
    ];
    const first = run([...args, '--cmd', 'sleep 600', '--failover-timeout', '0.5']);
    await waitFor(first, 'running 1, finished 0 of 1');
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { frameworkId: string };
    first.child.kill('SIGKILL');
    await first.exit;
    const gone = await eventually(async () =>
      (await state()).completed_frameworks.find((f) => f.id === saved.frameworkId),
    );
    expect(gone.completed_tasks.map((t) => t.state)).toEqual(['TASK_KILLED']);

    const second = run(args);
    expect(await second.exit, second.output()).toBe(0);
    expect(second.output()).toContain(`framework ${saved.frameworkId} is gone`);
    expect(second.output()).toContain('all 1 tasks finished');
    const after = await state();
    const runs = after.completed_frameworks.filter((f) => f.name === 'hello-gone');
    expect(runs).toHaveLength(2);
  });

  it('on SIGINT tears the framework down, its tasks killed', async () => {
    const stateFile = join(dir, 'sigint.json');
    const r = run([
      ...['--master', cluster.masterUrl, '--tasks', '2', '--cmd', 'sleep 600', '--name', 'hello-sigint'],
      ...['--state-file', stateFile],
    ]);
    await waitFor(r, 'running 2, finished 0 of 2');
    r.child.kill('SIGINT');
    expect(await r.exit, r.output()).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
    const framework = await eventually(async () =>
      (await state()).completed_frameworks.find((f) => f.name === 'hello-sigint'),
    );
    expect(framework.completed_tasks.map((t) => t.state)).toEqual(['TASK_KILLED', 'TASK_KILLED']);
  });

  it('stops with a clear message on a bad flag', async () => {
    const r = run(['--master', cluster.masterUrl, '--tasks', 'many']);
    expect(await r.exit).toBe(2);
    expect(r.output()).toContain('--tasks must be a positive number, not "many"');
  });
});
