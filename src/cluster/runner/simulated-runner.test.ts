import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdSource } from '../master/ids';
import { SimMaster } from '../scenarios/scale/sim-master';
import type { SimAgent } from '../scenarios/scale/sim-master';
import type { FrameworkRecord } from '../master/model';

let workDir: string;
let master: SimMaster;
let agent: SimAgent;
let framework: FrameworkRecord;

const resources = { cpus: 1, gpus: 0, mem: 256, disk: 0, ports: [] };
const launch = (name: string) =>
  master.launchTask({ framework, agent, name, resources, role: '*', command: 'sleep 1000' });

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'simulated-runner-'));
  master = new SimMaster('m1', '127.0.0.1', 'test', workDir, createIdSource(1), {
    maxCompletedTasksPerFramework: 2,
    completedFrameworks: 1,
  });
  agent = master.addAgent({
    hostname: 'a1',
    resources: { cpus: 8, gpus: 0, mem: 8192, disk: 0, ports: [] },
    attributes: {},
  });
  framework = master.registerFramework({ name: 'f', user: 'u', roles: ['*'] });
});
afterEach(() => {
  master.log.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the simulated task runner on the master model', () => {
  it('starts a staged task over two steps, and a started one at once', async () => {
    const staged = launch('staged');
    master.runner.stage(staged);
    expect(staged.state).toBe('TASK_STAGING');
    master.runner.step();
    expect(staged.state).toBe('TASK_STARTING');
    master.runner.step();
    expect(staged.state).toBe('TASK_RUNNING');
    expect(staged.statuses.map((s) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);

    const started = launch('started');
    await master.runner.start(started);
    expect(started.state).toBe('TASK_RUNNING');
    expect(master.liveCounts.get('TASK_RUNNING')).toBe(2);
    expect(agent.used.cpus).toBe(2);
  });

  it('kills through TASK_KILLING at the next step, releasing the agent and keeping the task completed', () => {
    const task = launch('victim');
    master.runner.stage(task);
    master.runner.step();
    master.runner.step();
    master.runner.requestKill(task);
    expect(task.state).toBe('TASK_KILLING');
    master.runner.step();
    expect(task.state).toBe('TASK_KILLED');
    expect(task.statuses.at(-1)?.message).toBe('Command terminated with signal Terminated');
    expect(agent.used.cpus).toBe(0);
    expect(master.liveTask(task.id)).toBeUndefined();
    expect(master.findTask(task.id)).toBe(task);
    expect(framework.completedTasks).toEqual([task]);
    expect(master.counters.terminalTasks.get('TASK_KILLED')).toBe(1);
  });

  it('leaves a staged task that ended meanwhile as it is', () => {
    const task = launch('short');
    master.runner.stage(task);
    master.updateTask(task, 'TASK_FAILED');
    master.runner.step();
    master.runner.step();
    expect(task.state).toBe('TASK_FAILED');
    expect(task.statuses.map((s) => s.state)).toEqual(['TASK_FAILED']);
  });

  it('keeps completed tasks and frameworks within the caps of the model', async () => {
    const tasks = [launch('t1'), launch('t2'), launch('t3')];
    for (const task of tasks) {
      await master.runner.start(task);
      await master.runner.kill(task);
    }
    expect(framework.completedTasks.map((t) => t.name)).toEqual(['t2', 't3']);
    const second = master.registerFramework({ name: 'g', user: 'u', roles: ['*'] });
    master.teardownFramework(framework.id);
    master.teardownFramework(second.id);
    expect(master.completedFrameworks.map((f) => f.name)).toEqual(['g']);
    expect([framework.id, second.id]).toEqual(['m1-0000', 'm1-0001']);
    expect(master.frameworks.size).toBe(0);
  });
});
