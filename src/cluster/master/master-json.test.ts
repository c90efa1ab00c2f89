import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { getJson } from '../test-helpers';
import { startScaleCluster } from '../scenarios/scale/start-scale-cluster';
import type { ScaleCluster } from '../scenarios/scale/start-scale-cluster';

interface StateTask {
  id: string;
  state: string;
  statuses: { state: string }[];
}
interface State {
  frameworks: { id: string; tasks: StateTask[]; completed_tasks: StateTask[] }[];
}

let cluster: ScaleCluster;
beforeAll(async () => {
  cluster = await startScaleCluster({
    scenario: 'small',
    churn: 'off',
    seed: 5,
    spec: { agents: 5, frameworks: 2, activeTasks: 20, historyHours: 0.01 },
  });
});
afterAll(() => cluster?.close());

describe('the master renderer', () => {
  it('shows a status update in the next /master/state although each task is rendered once and reused', async () => {
    const before = await getJson<State>(`${cluster.masterUrl}/master/state`);
    const framework = before.frameworks[0];
    const task = framework?.tasks[0];
    if (!framework || !task) throw new Error('no running task');
    const live = cluster.sim.liveTask(task.id);
    if (!live) throw new Error(`task ${task.id} is not live`);
    cluster.sim.updateTask(live, 'TASK_FAILED', { reason: 'REASON_COMMAND_EXECUTOR_FAILED' });

    const after = await getJson<State>(`${cluster.masterUrl}/master/state`);
    const again = after.frameworks.find((f) => f.id === framework.id);
    expect(again?.tasks.map((t) => t.id)).not.toContain(task.id);
    const ended = again?.completed_tasks.find((t) => t.id === task.id);
    expect(ended?.state).toBe('TASK_FAILED');
    expect(ended?.statuses.map((s) => s.state)).toEqual([
      ...task.statuses.map((s) => s.state),
      'TASK_FAILED',
    ]);
    // What did not change renders the same.
    expect(again?.tasks).toEqual(framework.tasks.filter((t) => t.id !== task.id));
  });

  it('writes the same document plain, gzipped and as jsonp', async () => {
    const url = `${cluster.masterUrl}/master/frameworks`;
    const plain = await (await request(url)).body.text();
    const zipped = await request(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const unzipped = gunzipSync(Buffer.from(await zipped.body.arrayBuffer())).toString('utf8');
    const jsonp = await (await request(`${url}?jsonp=cb`)).body.text();
    expect(JSON.parse(unzipped)).toEqual(JSON.parse(plain));
    expect(jsonp).toBe(`cb(${plain});`);
  });
});
