import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../cluster';
import type { LocalCluster } from '../cluster';
import type { ChronosJobsView } from './schemas/views';
import type { TestBff } from './test-support';
import { buildTestBff } from './test-support';
import { chronosOrigin } from './upstream/chronos-client';

describe("a Chronos framework's jobs on its framework page", () => {
  let cluster: LocalCluster;
  let bff: TestBff;

  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 1, chronos: true });
    const post = (path: string, body: unknown) =>
      fetch(`${cluster.chronos!.url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/v1/scheduler/iso8601', {
      name: 'nightly',
      command: 'true',
      schedule: 'R/2030-01-01T02:00:00Z/P1D',
      scheduleTimeZone: 'Europe/Berlin',
    });
    await post('/v1/scheduler/dependency', { name: 'report', command: 'true', parents: ['nightly'] });
    await post('/v1/scheduler/iso8601', { name: 'now', command: 'exit 1', schedule: 'R1//PT1H', retries: 0 });
    bff = await buildTestBff([cluster.masterUrl]);
  }, 30_000);
  afterAll(async () => {
    await bff?.close();
    await cluster?.close();
  });

  it('lists schedule, next run, last result and parents, read from the Chronos at its webui_url', async () => {
    let view: ChronosJobsView | undefined;
    for (let i = 0; i < 60; i++) {
      await bff.poller.pollOnce();
      view = (
        await bff.app.inject({ url: `/api/frameworks/${cluster.chronos!.frameworkId}/chronos-jobs` })
      ).json<ChronosJobsView>();
      if (view.available && view.jobs.find((job) => job.name === 'now')?.lastResult === 'error') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!view?.available) throw new Error(`expected the jobs, got ${JSON.stringify(view)}`);
    expect(view.url).toBe(cluster.chronos!.url);
    const byName = new Map(view.jobs.map((job) => [job.name, job]));
    expect(byName.get('nightly')).toMatchObject({
      schedule: 'R/2030-01-01T02:00:00Z/P1D',
      scheduleTimeZone: 'Europe/Berlin',
      nextRun: '2030-01-01T01:00:00.000Z',
      lastResult: null,
      parents: [],
    });
    expect(byName.get('report')).toMatchObject({ schedule: null, nextRun: null, parents: ['nightly'] });
    expect(byName.get('now')).toMatchObject({ lastResult: 'error', errorCount: 1, nextRun: null });
  });

  it('does not ask frameworks that are not Chronos, and says so', async () => {
    await cluster.control.launchTask({ framework: 'batch', name: 'x', cmd: 'sleep 30' });
    await bff.poller.pollOnce();
    const batch = bff.poller.snapshot!.state.frameworks.find((f) => f.name === 'batch')!;
    const view = (await bff.app.inject({ url: `/api/frameworks/${batch.id}/chronos-jobs` })).json();
    expect(view).toEqual({ available: false, reason: 'not a Chronos framework' });
    expect((await bff.app.inject({ url: '/api/frameworks/nope/chronos-jobs' })).statusCode).toBe(404);
  });

  it('contacts only plain http(s) addresses from a webui_url', () => {
    expect(chronosOrigin('http://10.0.0.5:4400/ui/')).toBe('http://10.0.0.5:4400');
    expect(chronosOrigin('https://chronos.example.com')).toBe('https://chronos.example.com');
    expect(chronosOrigin('file:///etc/passwd')).toBeNull();
    expect(chronosOrigin('http://user:secret@chronos:4400')).toBeNull();
    expect(chronosOrigin('http://chronos.999:4400')).toBeNull();
    expect(chronosOrigin('javascript:alert(1)')).toBeNull();
    expect(chronosOrigin(undefined)).toBeNull();
  });
});
