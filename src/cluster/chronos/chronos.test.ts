import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../index';
import type { LocalCluster } from '../index';
import { eventually, getJson } from '../test-helpers';
import { startChronos } from './chronos';
import type { Chronos, ChronosJob } from './chronos';
import { addPeriod, parseSchedule } from './schedule';

interface StateTask {
  id: string;
  name: string;
  state: string;
}
interface State {
  frameworks: {
    id: string;
    name: string;
    webui_url: string;
    tasks: StateTask[];
    completed_tasks: StateTask[];
  }[];
}

describe('Chronos schedules', () => {
  it('reads repeating intervals with counts, time zones and offsets', () => {
    expect(parseSchedule('R/2026-12-02T10:00:00Z/PT20S')).toMatchObject({
      repetitions: -1,
      start: Date.parse('2026-12-02T10:00:00Z'),
      period: { seconds: 20 },
    });
    expect(parseSchedule('R5/2026-12-02T10:00:00+02:00/P1D').start).toBe(Date.parse('2026-12-02T08:00:00Z'));
    expect(parseSchedule('R0/2026-12-02T10:00:00Z/PT1H').repetitions).toBe(0);
    // Chronos keeps the fields and moves them into the zone.
    expect(parseSchedule('R/2026-07-01T10:00:00Z/PT1H', 'Europe/Berlin').start).toBe(
      Date.parse('2026-07-01T08:00:00Z'),
    );
    expect(parseSchedule('R//PT5S', '', 1_000_000).start).toBe(999_000);
    expect(
      addPeriod(Date.parse('2026-01-31T00:00:00Z'), parseSchedule('R/2026-01-01T00:00:00Z/P1M').period),
    ).toBe(Date.parse('2026-02-28T00:00:00Z'));
  });

  it('says what is wrong with a schedule that does not parse', () => {
    expect(() => parseSchedule('every 5 seconds')).toThrow(
      /Cannot parse schedule 'every 5 seconds': expected R\[n\]/,
    );
    expect(() => parseSchedule('R/2026-13-02T10:00:00Z/PT5S')).toThrow(/not a real date and time/);
    expect(() => parseSchedule('R/2026-12-02T10:00:00Z/PT0S')).toThrow(
      /empty: a job cannot repeat every 0 seconds/,
    );
    expect(() => parseSchedule('R/2026-12-02T10:00:00Z/5 minutes')).toThrow(/expected R\[n\]/);
    expect(() => parseSchedule('R/2026-12-02T10:00:00Z/PT5S', 'Mars/Olympus')).toThrow(
      /Unknown scheduleTimeZone/,
    );
    expect(() => parseSchedule('Rx/2026-12-02T10:00:00Z/PT5S')).toThrow(/expected R\[n\]/);
  });
});

describe('Chronos over a local cluster', () => {
  let cluster: LocalCluster;
  let chronos: Chronos;

  beforeAll(async () => {
    cluster = await startCluster({ scenario: 'empty', agents: 2 });
    chronos = await startChronos({ masters: [cluster.masterUrl] });
  }, 30_000);
  afterAll(async () => {
    await chronos?.close();
    await cluster?.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${chronos.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const jobs = () => getJson<ChronosJob[]>(`${chronos.url}/v1/scheduler/jobs`);
  const job = async (name: string) => (await jobs()).find((j) => j.name === name);
  const chronosTasks = async (name: string) => {
    const state = await getJson<State>(`${cluster.masterUrl}/master/state`);
    const framework = state.frameworks.find((f) => f.name === 'chronos');
    return [...(framework?.tasks ?? []), ...(framework?.completed_tasks ?? [])].filter(
      (task) => task.name === `ChronosTask:${name}`,
    );
  };

  it('registers as the chronos framework with its API as webui_url', async () => {
    const state = await getJson<State>(`${cluster.masterUrl}/master/state`);
    const framework = state.frameworks.find((f) => f.name === 'chronos');
    expect(framework?.id).toBe(chronos.frameworkId);
    expect(framework?.webui_url).toBe(chronos.url);
  });

  it('runs a job every 5 s, and a dependent job after it, both seen running', async () => {
    const start = new Date(Date.now() + 500).toISOString();
    expect(
      (
        await post('/v1/scheduler/iso8601', {
          name: 'tick',
          command: 'echo tick; sleep 1',
          schedule: `R/${start}/PT5S`,
          epsilon: 'PT30S',
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await post('/v1/scheduler/dependency', {
          name: 'after-tick',
          command: 'echo after; sleep 1',
          parents: ['tick'],
        })
      ).status,
    ).toBe(204);
    await eventually(
      async () => ((await chronosTasks('tick')).some((t) => t.state === 'TASK_RUNNING') ? true : undefined),
      10_000,
    );
    await eventually(
      async () =>
        (await chronosTasks('after-tick')).some((t) => t.state === 'TASK_RUNNING') ? true : undefined,
      15_000,
    );
    const tick = await eventually(async () => {
      const found = await job('tick');
      return found && found.successCount >= 2 ? found : undefined;
    }, 20_000);
    expect(tick.lastSuccess).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(tick.schedule).toMatch(/^R\/\d{4}-.*\/PT5S$/);
    expect(Date.parse(tick.schedule!.split('/')[1]!)).toBeGreaterThan(Date.parse(start));
    const after = await eventually(async () => {
      const found = await job('after-tick');
      return found && found.successCount >= 1 ? found : undefined;
    }, 10_000);
    expect(after.parents).toEqual(['tick']);
    expect(after.schedule).toBeUndefined();
    expect(Date.parse(after.lastSuccess)).toBeGreaterThanOrEqual(Date.parse(tick.lastSuccess) - 6000);
  }, 40_000);

  it('retries a failing job `retries` times, then counts one error', async () => {
    const start = new Date(Date.now() + 200).toISOString();
    expect(
      (
        await post('/v1/scheduler/iso8601', {
          name: 'flaky',
          command: 'echo oops >&2; exit 1',
          schedule: `R1/${start}/PT1H`,
          retries: 2,
        })
      ).status,
    ).toBe(204);
    const flaky = await eventually(async () => {
      const found = await job('flaky');
      return found && found.errorCount >= 1 ? found : undefined;
    }, 20_000);
    expect(flaky.successCount).toBe(0);
    expect(flaky.lastError).toMatch(/^\d{4}-/);
    const tasks = await chronosTasks('flaky');
    expect(tasks.map((t) => t.state)).toEqual(['TASK_FAILED', 'TASK_FAILED', 'TASK_FAILED']);
    expect(new Set(tasks.map((t) => t.id.split(':')[2]))).toEqual(new Set(['0', '1', '2']));
  }, 30_000);

  it('runs an R0 or disabled job only when asked to (PUT), and deletes jobs', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      (
        await post('/v1/scheduler/iso8601', {
          name: 'manual',
          command: 'true',
          schedule: `R0/${future}/PT1S`,
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await post('/v1/scheduler/iso8601', {
          name: 'off',
          command: 'true',
          schedule: `R//PT1S`,
          disabled: true,
        })
      ).status,
    ).toBe(204);
    expect((await fetch(`${chronos.url}/v1/scheduler/job/manual`, { method: 'PUT' })).status).toBe(204);
    const manual = await eventually(async () => {
      const found = await job('manual');
      return found && found.successCount === 1 ? found : undefined;
    }, 15_000);
    expect(manual.schedule).toBe(`R0/${future}/PT1S`);
    expect((await job('off'))?.successCount).toBe(0);
    expect((await chronosTasks('off')).length).toBe(0);
    expect((await fetch(`${chronos.url}/v1/scheduler/job/off`, { method: 'DELETE' })).status).toBe(204);
    expect(await job('off')).toBeUndefined();
    const missing = await fetch(`${chronos.url}/v1/scheduler/job/off`, { method: 'DELETE' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ message: "Job 'off' not found", status: 'Bad Request' });
  }, 30_000);

  it('answers 400 with a clear message to bad schedules and bad jobs, and keeps nothing of them', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await post('/v1/scheduler/iso8601', { name: 'cycle-a', command: 'true', schedule: `R0/${future}/PT1H` });
    expect(
      (await post('/v1/scheduler/dependency', { name: 'cycle-b', command: 'true', parents: ['cycle-a'] }))
        .status,
    ).toBe(204);
    const cases: [string, unknown, RegExp][] = [
      [
        '/v1/scheduler/iso8601',
        { name: 'bad', command: 'true', schedule: 'every 5 seconds' },
        /Cannot parse schedule 'every 5 seconds'/,
      ],
      [
        '/v1/scheduler/iso8601',
        { name: 'bad', command: 'true', schedule: 'R/2026-02-30T10:00:00Z/PT5S' },
        /not a real date/,
      ],
      [
        '/v1/scheduler/iso8601',
        { name: 'bad', command: 'true', schedule: 'R/1960-01-01T00:00:00Z/PT5S' },
        /before 1970/,
      ],
      [
        '/v1/scheduler/iso8601',
        { name: 'bad', command: 'true', schedule: 'R//PT5S', scheduleTimeZone: 'Nowhere/City' },
        /Unknown scheduleTimeZone/,
      ],
      ['/v1/scheduler/iso8601', { name: 'bad job', command: 'true', schedule: 'R//PT5S' }, /name is invalid/],
      [
        '/v1/scheduler/iso8601',
        { name: 'bad', command: 'true', schedule: 'R//PT5S', retries: 'three' },
        /'retries' must be a number/,
      ],
      [
        '/v1/scheduler/iso8601',
        { name: 'bad', command: 'true', schedule: 'R//PT5S', epsilon: 'soon' },
        /epsilon 'soon'/,
      ],
      ['/v1/scheduler/iso8601', '{"name": "bad",', /not JSON/],
      [
        '/v1/scheduler/dependency',
        { name: 'bad', command: 'true', parents: ['no-such-job'] },
        /parent job 'no-such-job' not found/,
      ],
      ['/v1/scheduler/dependency', { name: 'bad', command: 'true', parents: [] }, /needs 'parents'/],
      [
        '/v1/scheduler/dependency',
        { name: 'cycle-a', command: 'true', parents: ['cycle-b'] },
        /depend on itself/,
      ],
    ];
    for (const [path, body, message] of cases) {
      const response = await post(path, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { message: string; status: string };
      expect(answer.message).toMatch(message);
      expect(answer.status).toBe('Bad Request');
    }
    expect((await jobs()).map((j) => j.name)).not.toContain('bad');
    expect((await job('cycle-a'))?.schedule).toBe(`R0/${future}/PT1H`);
  });
});
